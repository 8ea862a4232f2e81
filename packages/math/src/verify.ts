import { eachOf } from '@mixreward/core/worker';
/**
 * The whole `math.verify` pipeline for one (completion, reference) pair, as pure functions a worker
 * thread can call: extract the final answer, parse both sides, decide equivalence.
 * @module
 */
import { show, some, type MathNode } from './ast.js';
import { computeEngineCheck, loadComputeEngine } from './cas.js';
import { answersEquivalent, defaultEquivalenceSettings, type EquivalenceSettings, type PercentMode, type SymbolicCheck } from './equivalence.js';
import { cleanCandidate, extractAnswers, extractChoice, findBoxed, type AnswerSource, type BoxedSelection } from './extract.js';
import { AnswerParseError, parseAnswer } from './latex-parse.js';
import { notAnAnswer, restatesQuestion, trailingRepetition } from './non-answers.js';
import { stripUnits } from './units.js';

/** Every setting of the verifier, all with defaults (see {@link defaultVerifySettings}). */
export interface VerifySettings {
  /** Which `\boxed{}` is the final answer when several agree or conflicts are allowed: `last` (default) or `first`. */
  boxed: BoxedSelection;
  /** `reject` (default): several different final answers (two different boxed values, several `<answer>` tags) score 0; `select`: use the one `boxed` selects. */
  conflicting_answers: 'reject' | 'select';
  /** Use the last number of the completion when no answer is marked in any other way. Default true. */
  last_number_fallback: boolean;
  /** Percent reading, see {@link PercentMode}. Default `strip` (`25\%` = 25: the sign omitted or added, same number). */
  percent: PercentMode;
  /** Relative tolerance for non-exact values, >= 0. Default 1e-9. */
  relative_tolerance: number;
  /** Decimal places both sides are rounded to when a decimal is involved, 0..15. Default 6 (Math-Verify). */
  float_rounding: number;
  /** Accept a more precise answer that rounds to a decimal reference at its shown decimals. Default true. */
  reference_precision: boolean;
  /** Partial credit for sets, tuples and matrices: the share of reference elements matched (in [0, 1]). Default false (0 or 1). */
  partial_credit: boolean;
  /** Letters that make a one-letter reference a multiple-choice answer. Default `ABCDEFGHIJ`. */
  choice_letters: string;
  /** Ask the CAS (compute-engine) about pairs the fast path cannot decide. Default true. */
  cas: boolean;
}

/** The defaults of {@link VerifySettings}. */
export const defaultVerifySettings: VerifySettings = {
  boxed: 'last',
  conflicting_answers: 'reject',
  last_number_fallback: true,
  percent: defaultEquivalenceSettings.percent,
  relative_tolerance: defaultEquivalenceSettings.relativeTolerance,
  float_rounding: defaultEquivalenceSettings.floatRounding,
  reference_precision: defaultEquivalenceSettings.referencePrecision,
  partial_credit: false,
  choice_letters: 'ABCDEFGHIJ',
  cas: true,
};

/** One verification task: plain data, so it can cross to a worker thread. */
export interface VerifyInput {
  /** The model's output. */
  completion: string;
  /** The reference answer: a string (LaTeX or plain, may be a full solution with `\boxed{}`) or a number; or a list of accepted answers. */
  reference: string | number | readonly (string | number)[];
  /** Settings; missing ones take their defaults. */
  settings?: Partial<VerifySettings>;
  /** The question's text, when known: an answer that only restates the question's expression is not rewarded. */
  prompt?: string;
}

/** The verdict on one pair. */
export interface VerifyOutcome {
  /** `ok` (scored) or `skipped` (the reference is unusable). */
  status: 'ok' | 'skipped';
  /** In [0, 1] for `ok` (1 equivalent, 0 not, a share with `partial_credit`); null when skipped. */
  reward: number | null;
  /** What was compared and why the verdict. */
  reason: string;
  /** The extracted final answer, as written; null when none was found. */
  answer: string | null;
  /** Where the answer was found. */
  source: AnswerSource | null;
  /** The reference answer that was compared. */
  referenceAnswer: string | null;
  /** True when the CAS was needed for the verdict. */
  usedCas: boolean;
}

/** What {@link verifyAnswerFast} returns: a verdict, or `undecided` when only the CAS can decide. */
export interface VerifyPending {
  /** The verdict, when decided. */
  outcome?: VerifyOutcome;
  /** True when the pair needs the CAS. */
  undecided?: boolean;
}

const UNIT_WORDS =
  'units?|square\\s+units?|sq\\.?\\s*units?|cm|mm|km|m|meters?|metres?|centimeters?|millimeters?|kilometers?|kg|g|grams?|kilograms?|mg|lbs?|pounds?|ounces?|oz|s|sec|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|dollars?|cents?|euros?|inch(?:es)?|in|ft|feet|foot|yards?|yd|miles?|mph|km/h|m/s|liters?|litres?|L|mL|ml|degrees?|deg|radians?|rad|students?|people|items?|apples?|books?|ways?|times|points?|marbles?|cookies?|pages?|boxes?|cars?|coins?|balls?';
// Plain unit words only: `\text{cm}` units survive to the tree, where differing units are caught.
const TRAILING_UNIT = new RegExp(`(?<=[\\d).])\\s*(?:square|cubic|sq\\.?)?\\s*(?:${UNIT_WORDS})(?:\\^?\\{?[23]\\}?|[²³])?\\s*\\.?$`);

/** Remove a trailing unit word (`5 cm`, `12 dollars`, `3\text{ m}^2`) after a number. */
export function stripUnitWords(text: string): string {
  let current = text.trim();
  for (let pass = 0; pass < 2; pass++) {
    const next = current.replace(TRAILING_UNIT, '').trim();
    if (next === current || next.length === 0) break;
    current = next;
  }
  return current;
}

function parseOrUndefined(text: string): MathNode | undefined {
  try {
    return parseAnswer(text);
  } catch (error) {
    if (error instanceof AnswerParseError || error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The reference's answer text: a string reference may be a whole solution with a `\boxed{}` answer. */
function referenceAnswerText(reference: string): string {
  // A reference is trusted: several boxed values are the parts of one answer.
  const boxed = [...new Set(findBoxed(reference).map((content) => content.trim()))];
  if (boxed.length > 0) return boxed.join(', ');
  return cleanCandidate(reference);
}

function parseReference(reference: string): { text: string; node: MathNode } | undefined {
  const text = referenceAnswerText(reference);
  // A sentence ("The answer is $5$.", a worked solution without \boxed): use what it marks as the answer.
  const marked = (): { text: string; node: MathNode } | undefined => {
    const extracted = extractAnswers(reference, { lastNumberFallback: false });
    const candidate = extracted && extracted.source !== 'bare' && extracted.source !== 'last-number' ? extracted.candidates[extracted.candidates.length - 1] : undefined;
    const parsed = candidate === undefined ? undefined : parseOrUndefined(candidate);
    return candidate !== undefined && parsed && !isProse(parsed) ? { text: candidate, node: parsed } : undefined;
  };
  if (looksLikeSentence(text)) {
    const found = marked();
    if (found) return found;
  }
  const node = parseOrUndefined(text);
  if (node && !isProse(node)) return { text, node };
  return marked();
}

/** Two or more words outside `\text{}` and commands. */
function looksLikeSentence(text: string): boolean {
  const words = text.replace(/\\text\{[^}]*\}|\\[a-zA-Z]+/g, ' ').match(/[a-zA-Z]{3,}/g);
  return (words?.length ?? 0) >= 2;
}

/** Three or more words, or one long text: a sentence, not an answer. */
function isProse(node: MathNode): boolean {
  let words = 0;
  some(node, (child) => {
    if (child.kind === 'text') words += child.value.length > 60 ? 3 : 1;
    return false;
  });
  return words >= 3;
}

function parseCandidate(text: string, referenceHasText: boolean): MathNode | undefined {
  const direct = parseOrUndefined(referenceHasText ? text : stripUnitWords(text));
  if (direct && !isProse(direct)) return direct;
  // "x = 5, so ..." or prose around one value: try after the last "=" or ":" of a short candidate.
  const tail = /(?:=|:|\bis)\s*([^=:]+)$/.exec(text);
  if (tail && text.length < 200) {
    const last = parseOrUndefined(stripUnitWords((tail[1] as string).replace(/[.\s$]+$/, '').replace(/^[\s$]+/, '')));
    if (last && !isProse(last)) return last;
  }
  return direct;
}

function mergeSettings(partial: Partial<VerifySettings> | undefined): VerifySettings {
  return { ...defaultVerifySettings, ...(partial ?? {}) };
}

function outcome(fields: Omit<VerifyOutcome, 'usedCas'> & { usedCas?: boolean }): VerifyOutcome {
  return { usedCas: false, ...fields };
}

/**
 * Verify one pair without the CAS. Returns the verdict, or `undefined` with `undecided` set when
 * only the CAS can decide. Used by {@link verifyAnswer}; exported for callers that manage the CAS.
 */
export function verifyAnswerFast(input: VerifyInput, symbolic?: SymbolicCheck): VerifyPending {
  const settings = mergeSettings(input.settings);
  const referenceString = typeof input.reference === 'number' ? String(input.reference) : Array.isArray(input.reference) ? String(input.reference[0] ?? '') : (input.reference as string);
  if (typeof referenceString !== 'string' || referenceString.trim().length === 0) {
    return { outcome: outcome({ status: 'skipped', reward: null, reason: 'the reference is empty', answer: null, source: null, referenceAnswer: null }) };
  }
  const completion = typeof input.completion === 'string' ? input.completion : '';
  const placeholder = notAnAnswer(referenceAnswerText(referenceString));
  if (placeholder !== undefined) {
    return { outcome: outcome({ status: 'skipped', reward: null, reason: `the reference "${clip(referenceString)}" is ${placeholder}`, answer: null, source: null, referenceAnswer: null }) };
  }
  // Degenerate output whose last token happens to be the reference is not an answer.
  const repetition = trailingRepetition(completion);
  if (repetition) {
    return {
      outcome: outcome({
        status: 'ok',
        reward: 0,
        reason: `degenerate output: the completion ends with "${clip(repetition.unit.trim(), 40)}" repeated ${repetition.count} times; not rewarded`,
        answer: null,
        source: null,
        referenceAnswer: referenceAnswerText(referenceString),
      }),
    };
  }

  // Multiple choice: a one-letter reference.
  const letters = settings.choice_letters;
  const choice = new RegExp(`^\\s*\\(?([${letters.replace(/[^A-Za-z]/g, '') || 'A'}])\\)?\\.?\\s*$`).exec(referenceAnswerText(referenceString).replace(/\\text\{([^}]*)\}/g, '$1'));
  if (choice && letters.length > 0) return { outcome: verifyChoice(completion, choice[1] as string, settings) };

  const reference = parseReference(referenceString);
  if (!reference) {
    return { outcome: outcome({ status: 'skipped', reward: null, reason: `the reference "${clip(referenceString)}" could not be parsed`, answer: null, source: null, referenceAnswer: null }) };
  }
  const extracted = extractAnswers(completion, { lastNumberFallback: settings.last_number_fallback });
  if (!extracted || extracted.candidates.length === 0) {
    const unfinished = /<think>/i.test(completion) && !/<\/think>/i.test(completion);
    return {
      outcome: outcome({ status: 'ok', reward: 0, reason: unfinished ? 'no final answer: the <think> block is never closed' : 'no final answer found in the completion', answer: null, source: null, referenceAnswer: reference.text }),
    };
  }
  // A text answer (`\text{Evelyn}`), not a value with a unit (`5\text{ cm}`), keeps the words of candidates.
  const referenceHasText = some(stripUnits(reference.node), (node) => node.kind === 'text');
  const equivalence: EquivalenceSettings = {
    percent: settings.percent,
    relativeTolerance: settings.relative_tolerance,
    floatRounding: settings.float_rounding,
    referencePrecision: settings.reference_precision,
  };
  const context = { settings: equivalence, ...(symbolic ? { symbolic } : {}), undecided: false };

  // A loop and `push`, not `map`: one array shape whatever list the candidates came in (see extract.ts).
  const parsed: { text: string; node: MathNode | undefined }[] = [];
  for (let index = 0; index < extracted.candidates.length; index++) {
    const text = extracted.candidates[index] as string;
    parsed.push({ text, node: parseCandidate(text, referenceHasText) });
  }
  // Several final answers of one kind: they must agree.
  const decisive = extracted.source === 'boxed' || extracted.source === 'answer-tag';
  if (decisive && parsed.length > 1 && settings.conflicting_answers === 'reject') {
    const distinct: typeof parsed = [];
    for (const candidate of parsed) {
      const same = distinct.some((seen) => {
        if (!seen.node || !candidate.node) return seen.text.trim() === candidate.text.trim();
        return answersEquivalent(seen.node, candidate.node, { settings: equivalence }) === true;
      });
      if (!same) distinct.push(candidate);
    }
    if (distinct.length > 1) {
      return {
        outcome: outcome({
          status: 'ok',
          reward: 0,
          reason: `several different final answers (${joinTexts(distinct, 40)}): not rewarded`,
          answer: joinTexts(distinct, Infinity),
          source: extracted.source,
          referenceAnswer: reference.text,
        }),
      };
    }
  }
  const selected = (settings.boxed === 'first' && decisive ? parsed[0] : parsed[parsed.length - 1]) as (typeof parsed)[number];
  if (!selected.node) {
    return {
      outcome: outcome({ status: 'ok', reward: 0, reason: `the answer "${clip(selected.text)}" (${extracted.source}) could not be parsed`, answer: selected.text, source: extracted.source, referenceAnswer: reference.text }),
    };
  }
  const marked = extracted.source === 'boxed' || extracted.source === 'answer-tag' || extracted.source === 'anchor' || extracted.source === 'bold';
  if (restatesQuestion({ answer: selected.text, reference: reference.text, completion, ...(input.prompt === undefined ? {} : { prompt: input.prompt }), marked })) {
    return {
      outcome: outcome({
        status: 'ok',
        reward: 0,
        reason: `the answer ${show(selected.node)} (${extracted.source}) restates the question's expression without giving its value; not rewarded`,
        answer: selected.text,
        source: extracted.source,
        referenceAnswer: reference.text,
      }),
    };
  }
  const verdict = answersEquivalent(reference.node, selected.node, context);
  if (verdict === null && !symbolic && settings.cas) return { undecided: true };
  const equal = verdict === true;
  let reward = equal ? 1 : 0;
  let detail = '';
  if (!equal && settings.partial_credit) {
    const share = partialShare(reference.node, selected.node, equivalence);
    if (share > 0) {
      reward = share;
      detail = ` (partial credit ${share.toFixed(3)})`;
    }
  }
  const relation = verdict === null ? 'could not be decided equal to' : equal ? 'equals' : 'does not equal';
  return {
    outcome: outcome({
      status: 'ok',
      reward,
      reason: `answer ${show(selected.node)} (${extracted.source}) ${relation} reference ${show(reference.node)}${detail}`,
      answer: selected.text,
      source: extracted.source,
      referenceAnswer: reference.text,
      usedCas: symbolic !== undefined,
    }),
  };
}

function partialShare(reference: MathNode, answer: MathNode, settings: EquivalenceSettings): number {
  const items = (node: MathNode): MathNode[] | undefined =>
    node.kind === 'set' || node.kind === 'tuple' ? node.items : node.kind === 'matrix' ? node.rows.flat() : undefined;
  const expected = items(reference);
  const given = items(answer) ?? [answer];
  if (!expected || expected.length === 0) return 0;
  const ordered = reference.kind !== 'set';
  const used = new Array<boolean>(given.length).fill(false);
  let matched = 0;
  expected.forEach((item, index) => {
    if (ordered) {
      const candidate = given[index];
      if (candidate && answersEquivalent(item, candidate, { settings }) === true) matched++;
      return;
    }
    const found = given.findIndex((candidate, at) => !used[at] && answersEquivalent(item, candidate, { settings }) === true);
    if (found >= 0) {
      used[found] = true;
      matched++;
    }
  });
  return matched / Math.max(expected.length, given.length);
}

function verifyChoice(completion: string, letter: string, settings: VerifySettings): VerifyOutcome {
  const groups = extractChoice(completion, settings.choice_letters);
  if (!groups || groups.length === 0) {
    return outcome({ status: 'ok', reward: 0, reason: `no choice letter found; reference is ${letter}`, answer: null, source: null, referenceAnswer: letter });
  }
  const distinct = new Set(groups.flatMap((group) => group.letters));
  const source = (groups[0] as { source: AnswerSource }).source;
  const decisive = source === 'boxed' || source === 'answer-tag';
  const chosen = groups.length > 1 && !(decisive && settings.conflicting_answers === 'reject') ? (groups[settings.boxed === 'first' ? 0 : groups.length - 1] as { letters: string[] }).letters : [...distinct];
  if (chosen.length > 1) {
    return outcome({ status: 'ok', reward: 0, reason: `several choices given (${chosen.join(', ')}): not rewarded`, answer: chosen.join(', '), source, referenceAnswer: letter });
  }
  const answer = chosen[0] as string;
  const equal = answer.toUpperCase() === letter.toUpperCase();
  return outcome({ status: 'ok', reward: equal ? 1 : 0, reason: `choice ${answer} (${source}) ${equal ? 'equals' : 'does not equal'} reference ${letter}`, answer, source, referenceAnswer: letter });
}

function clip(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** The candidates' texts, each clipped to `length` characters (>= 0, `Infinity` for whole), joined by ` | `. */
function joinTexts(candidates: readonly { text: string }[], length: number): string {
  let joined = '';
  for (let index = 0; index < candidates.length; index++) joined += (index > 0 ? ' | ' : '') + clip((candidates[index] as { text: string }).text, length);
  return joined;
}

/** Several accepted answers: the best verdict wins; skipped only when every one is unusable. */
async function verifyAgainstAny(input: VerifyInput, references: readonly (string | number)[]): Promise<VerifyOutcome> {
  let best: VerifyOutcome | undefined;
  for (const reference of references.slice(0, 32)) {
    const outcome = await verifyAnswer({ ...input, reference });
    if (outcome.status === 'ok' && (best === undefined || best.status !== 'ok' || (outcome.reward ?? 0) > (best.reward ?? 0))) best = outcome;
    else best ??= outcome;
    if (best.status === 'ok' && best.reward === 1) break;
  }
  return best ?? outcome({ status: 'skipped', reward: null, reason: 'the reference list is empty', answer: null, source: null, referenceAnswer: null });
}

/**
 * Prepare a worker thread before its first timed task: load this module (already done when called)
 * and, when `loadCas` is true, the CAS. Resolves to true.
 */
export async function warmUp(loadCas: boolean): Promise<boolean> {
  if (loadCas) await loadComputeEngine();
  return true;
}

/**
 * Verify one (completion, reference) pair: the full pipeline, with the CAS loaded on first need.
 * Pure apart from that cached load, so worker threads call it directly.
 */
export async function verifyAnswer(input: VerifyInput): Promise<VerifyOutcome> {
  if (Array.isArray(input.reference)) return verifyAgainstAny(input, input.reference as readonly (string | number)[]);
  const fast = verifyAnswerFast(input);
  if (fast.outcome) return fast.outcome;
  const check = computeEngineCheck(await loadComputeEngine());
  const slow = verifyAnswerFast(input, check);
  return slow.outcome as VerifyOutcome;
}

/** The batch task of the worker pool: {@link verifyAnswer} over a batch, one settled outcome per input (one message per batch). */
export const verifyAnswers = eachOf(verifyAnswer);

/**
 * What {@link verifyWithoutCas} returns for a pair only the CAS can decide: how long the fast path
 * took, so the CAS attempt gets the rest of the pair's time limit.
 */
export interface NeedsCas {
  /** Always true. */
  needsCas: true;
  /** Time the fast path took, in ms (>= 0). */
  elapsedMs: number;
}

/**
 * The verdict of {@link verifyAnswer} when it needs no CAS, else {@link NeedsCas}: a worker that
 * never loads compute-engine (about 0.5 s of CPU and a large compile per thread) can score every
 * other pair, and the few undecided ones go to a worker that has it. Same verdicts as
 * {@link verifyAnswer}, including the choice among a list of accepted references.
 */
export function verifyWithoutCas(input: VerifyInput): VerifyOutcome | NeedsCas {
  const started = performance.now();
  const needsCas = (): NeedsCas => ({ needsCas: true, elapsedMs: performance.now() - started });
  if (Array.isArray(input.reference)) {
    // As verifyAgainstAny: the best verdict wins, the first full match ends the search.
    let best: VerifyOutcome | undefined;
    for (const reference of (input.reference as readonly (string | number)[]).slice(0, 32)) {
      const fast = verifyAnswerFast({ ...input, reference });
      if (!fast.outcome) return needsCas();
      const found = fast.outcome;
      if (found.status === 'ok' && (best === undefined || best.status !== 'ok' || (found.reward ?? 0) > (best.reward ?? 0))) best = found;
      else best ??= found;
      if (best.status === 'ok' && best.reward === 1) break;
    }
    return best ?? outcome({ status: 'skipped', reward: null, reason: 'the reference list is empty', answer: null, source: null, referenceAnswer: null });
  }
  const fast = verifyAnswerFast(input);
  return fast.outcome ?? needsCas();
}

/** The batch task of the CAS-free workers: {@link verifyWithoutCas} over a batch (one message per batch). */
export const verifyBatchWithoutCas = eachOf(verifyWithoutCas);
