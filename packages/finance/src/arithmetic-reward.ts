/**
 * `finance.arithmetic`: the computations written in the reasoning are recomputed: core's explicit
 * arithmetic check (with financial figures such as `$1.5M` read as numbers), plus the financial
 * statements models write in prose: percentage changes, CAGR and margins.
 */
import { z } from 'zod';
import { checkArithmetic, createScorer, definePlugin, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { scanFigures, type Figure } from './figure-parse.js';

const arithmeticOptionsSchema = z
  .object({
    include_answer: z.boolean().default(true).describe('Check computations in the <answer> block too, not only in the reasoning (default true).'),
    max_checks: z.number().int().min(1).max(10_000).default(1000).describe('Most computations examined, 1-10,000 (default 1,000).'),
  })
  .strict();

/** Options of `finance.arithmetic`, as written in a config. */
export type FinanceArithmeticOptions = z.input<typeof arithmeticOptionsSchema>;

/** Characters of a completion examined, from its start (longer reasoning is cut: 100,000). */
const MAX_CHARACTERS = 100_000;

/** One financial statement checked. */
export interface FinanceCheck {
  /** `arithmetic` (an explicit computation), `percent_change`, `cagr` or `margin`. */
  kind: 'arithmetic' | 'percent_change' | 'cagr' | 'margin';
  /** The computation or sentence, trimmed to 120 characters. */
  text: string;
  /** Offset in the checked text, >= 0 (for ordering). */
  index: number;
  /** The value recomputed (percent for the prose kinds). */
  computed: number;
  /** The value the text claims (percent for the prose kinds). */
  claimed: number;
  /** True when the claim holds at the precision it shows (or within 0.5% of itself). */
  correct: boolean;
}

/** Replace financial figures that carry a currency or a scale by their plain value (`$1.5M` -> `1500000`), so explicit computations can be recomputed. */
function plainFigures(text: string): string {
  const scan = scanFigures(text);
  let out = '';
  let at = 0;
  for (const figure of scan.figures) {
    if (figure.kind !== 'number' || (figure.currency === undefined && figure.scale === 1)) continue;
    out += scan.text.slice(at, figure.start) + (figure.value < 0 ? `(${figure.value})` : String(figure.value));
    at = figure.end;
  }
  return out + scan.text.slice(at);
}

function closeEnough(computed: number, claimed: Figure): boolean {
  const tolerance = Math.max(0.5 * 10 ** -claimed.decimals, 0.005 * Math.abs(claimed.value)) + 1e-9;
  return Math.abs(computed - claimed.value) <= tolerance;
}

const INCREASE = /\b(?:increase[sd]?|grew|grow(?:s|th)?|rose|rise[sn]?|up|gain(?:ed|s)?|jump(?:ed|s)?|climb(?:ed|s)?)\b/i;
const DECREASE = /\b(?:decrease[sd]?|decline[sd]?|fell|fall(?:s|en)?|drop(?:ped|s)?|down|shr[au]nk|lost|loss|reduc(?:ed|tion))\b/i;

function sentenceChecks(text: string): FinanceCheck[] {
  const checks: FinanceCheck[] = [];
  const sentences = text.replace(/\b(i\.e|e\.g|vs|approx|etc|resp)\./gi, (match) => match.replace(/\./g, ' ')).split(/(?<!\d)[.;!?](?!\d)|\n/);
  let offset = 0;
  for (const sentence of sentences) {
    const start = text.indexOf(sentence, offset);
    offset = start < 0 ? offset : start + sentence.length;
    if (sentence.length > 600) continue;
    const figures = scanFigures(sentence).figures;
    const percents = figures.filter((figure) => figure.kind === 'percent');
    const amounts = figures.filter((figure) => figure.kind === 'number' && !figure.yearLike);
    if (percents.length !== 1) continue;
    const claimed = percents[0] as Figure;
    const fromTo = /\bfrom\s+([^\s].*?)\s+to\s+/i.exec(sentence);
    const years = /(\d+(?:\.\d+)?)[\s-]*years?\b/i.exec(sentence);
    const shown = sentence.trim().slice(0, 120);
    if (/\bCAGR\b|compound(?:ed)?\s+annual\s+growth/i.test(sentence) && fromTo && years) {
      const numbers = amounts.filter((figure) => figure.text !== years[1]);
      if (numbers.length >= 2) {
        const [first, second] = numbers as [Figure, Figure];
        const count = Number(years[1]);
        if (first.value > 0 && second.value > 0 && count > 0) {
          const computed = ((second.value / first.value) ** (1 / count) - 1) * 100;
          checks.push({ kind: 'cagr', text: shown, index: Math.max(0, start), computed, claimed: claimed.value, correct: closeEnough(computed, claimed) });
        }
      }
      continue;
    }
    if (/\bmargin\b/i.test(sentence) && amounts.length === 2) {
      const [first, second] = amounts as [Figure, Figure];
      const [part, whole] = Math.abs(first.value) <= Math.abs(second.value) ? [first, second] : [second, first];
      if (whole.value !== 0) {
        const computed = (part.value / whole.value) * 100;
        checks.push({ kind: 'margin', text: shown, index: Math.max(0, start), computed, claimed: claimed.value, correct: closeEnough(computed, claimed) });
      }
      continue;
    }
    if (fromTo && amounts.length === 2 && (INCREASE.test(sentence) || DECREASE.test(sentence) || /\bchange[sd]?\b/i.test(sentence))) {
      const [first, second] = amounts as [Figure, Figure];
      if (first.value === 0) continue;
      const computed = ((second.value - first.value) / Math.abs(first.value)) * 100;
      const saysUp = INCREASE.test(sentence) && !DECREASE.test(sentence);
      const saysDown = DECREASE.test(sentence) && !INCREASE.test(sentence);
      const magnitude = { ...claimed, value: Math.abs(claimed.value) };
      const direction = saysUp ? computed > 0 : saysDown ? computed < 0 : true;
      const value = saysDown || saysUp ? Math.abs(computed) : computed;
      const correct = direction && (saysDown || saysUp ? closeEnough(value, magnitude) : closeEnough(value, claimed));
      checks.push({ kind: 'percent_change', text: shown, index: Math.max(0, start), computed, claimed: claimed.value, correct });
    }
  }
  return checks;
}

/**
 * Check the computations of a financial text: explicit ones (`(120 - 100) / 100 = 20%`, `$1.5M /
 * $1.2M = 1.25`) and prose statements ("revenue grew 25% from $80M to $100M", "a CAGR of 7.7% from
 * 1.2 to 1.5 over 3 years", "a net margin of 10% on revenue of $200M and net income of $20M").
 *
 * @returns every check in text order
 */
export function checkFinanceArithmetic(text: string, maxChecks = 1000): FinanceCheck[] {
  // Line by line: a computation never spans a line break (core's check reads "= 2\n2 + 2" as one run).
  const explicit: FinanceCheck[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    if (explicit.length >= maxChecks) break;
    if (!/\d/.test(line) || !/[=≈]/.test(line)) continue;
    for (const computation of checkArithmetic(plainFigures(line), { maxComputations: maxChecks - explicit.length }).computations) {
      explicit.push({ kind: 'arithmetic', text: computation.text.slice(0, 120), index: lineStart + computation.index, computed: computation.computed, claimed: computation.claimed, correct: computation.correct });
    }
  }
  const prose = sentenceChecks(text).filter((check) => !explicit.some((other) => Math.abs(other.claimed - check.claimed / 100) < 1e-12 || Math.abs(other.claimed - check.claimed) < 1e-12));
  return [...explicit, ...prose].sort((a, b) => a.index - b.index).slice(0, maxChecks);
}

/** `finance.arithmetic`: share of the written financial computations that are right; one step per computation. */
export const financeArithmeticPlugin = definePlugin({
  name: 'finance.arithmetic',
  description: 'Recomputes the arithmetic written in the reasoning (explicit computations with financial figures, percentage changes, CAGR, margins); reward = share correct, one step each.',
  follows: 'Fin-PRM step-level verifiable checks; core checkArithmetic (shared with math)',
  reference: 'none (the computations written in the completion are checked)',
  options: arithmeticOptionsSchema,
  batchSize: 512,
  create(settings) {
    return perRollout((rollout) => {
      if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
      const text = settings.include_answer ? rollout.completion : rollout.completion.replace(/<answer>[\s\S]*?<\/answer>/g, ' ');
      const checks = checkFinanceArithmetic(text.length > MAX_CHARACTERS ? text.slice(0, MAX_CHARACTERS) : text, settings.max_checks);
      if (checks.length === 0) return skipped(`no computation to check in the completion${text.length > MAX_CHARACTERS ? ` (its first ${MAX_CHARACTERS} characters)` : ''}`);
      const correct = checks.filter((check) => check.correct).length;
      const wrong = checks.filter((check) => !check.correct).slice(0, 3).map((check) => `"${check.text}" (${check.kind}: recomputed ${Number(check.computed.toPrecision(6))}, claimed ${check.claimed})`);
      return ok(correct / checks.length, {
        components: { checked: checks.length, correct },
        steps: checks.map((check) => (check.correct ? 1 : 0)),
        reason: `${correct}/${checks.length} computations right${wrong.length > 0 ? `; wrong: ${wrong.join('; ')}` : ''}`,
      });
    });
  },
});

/**
 * Make a `finance.arithmetic` scorer.
 * @param options the reward's options (all optional)
 * @param context unused by this rule-based reward
 */
export function createFinanceArithmeticReward(options: FinanceArithmeticOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(financeArithmeticPlugin, options, context);
}
