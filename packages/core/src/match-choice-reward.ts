import { z } from 'zod';
import { RewardError } from './errors.js';
import { createScorer, definePlugin, perRollout, type CreateContext, type Scorer } from './plugin.js';
import { ok, skipped } from './results.js';
import { lastTagContent } from './text-extract.js';

const matchChoiceOptions = z
  .object({
    choices: z.string().regex(/^[A-Z]+$/).default('ABCDEFGHIJ').describe('The option letters that exist, upper case. Default ABCDEFGHIJ.'),
    multi: z.enum(['auto', 'single', 'multiple']).default('auto').describe('auto: multiple-select when the reference has more than one letter. Default auto.'),
    scoring: z.enum(['exact', 'jaccard']).default('exact').describe('For multiple-select: exact set match (1/0), or |answer ∩ reference| / |answer ∪ reference| in [0, 1]. Default exact.'),
    answer_tag: z.string().default('answer').describe('Tag that holds the answer. Default answer.'),
  })
  .strict();

/** Options of `match.choice` as a caller writes them (every key optional). */
export type MatchChoiceOptions = z.input<typeof matchChoiceOptions>;
type MatchChoiceSettings = z.output<typeof matchChoiceOptions>;

const SEPARATOR = String.raw`\s*(?:,|;|/|&|\band\b|\s)\s*`;

const patternCache = new Map<string, { lone: RegExp; each: RegExp; opening: RegExp }>();

function patternsFor(choices: string): { lone: RegExp; each: RegExp; opening: RegExp } {
  let patterns = patternCache.get(choices);
  if (!patterns) {
    const letter = `[${choices}]`;
    patterns = {
      lone: new RegExp(String.raw`^[\s(\[{*]*(?:[Oo]ptions?\s+)?(${letter}(?:${SEPARATOR}${letter})*)[\s)\]}*.:]*$`),
      each: new RegExp(letter, 'g'),
      opening: new RegExp(String.raw`^\s*[(\[]?(${letter})[)\].:](?:\s|$)`),
    };
    patternCache.set(choices, patterns);
  }
  return patterns;
}

function letterSet(snippet: string, choices: string): string[] | undefined {
  const patterns = patternsFor(choices);
  const match = patterns.lone.exec(snippet.length > 200 ? '' : snippet);
  if (match) {
    const letters = (match[1] as string).match(patterns.each) ?? [];
    return [...new Set(letters)].sort();
  }
  // "B) text", "(B) text", "B. text", "B: text": the letter that opens the snippet.
  const opening = patterns.opening.exec(snippet);
  if (opening) return [opening[1] as string];
  return undefined;
}

/**
 * Find the chosen letter(s) in a completion: the `<answer>` block, `\boxed{}`, "answer is …" /
 * "Answer: …" (last one), or a last line that is only letters. Returns the sorted set, or
 * `undefined` when no choice is found.
 */
export function extractChoices(completion: string, options: MatchChoiceOptions = {}): string[] | undefined {
  return extractChoicesWith(completion, matchChoiceOptions.parse(options));
}

function extractChoicesWith(completion: string, settings: MatchChoiceSettings): string[] | undefined {
  const choices = settings.choices;
  const tagged = lastTagContent(completion, settings.answer_tag);
  const candidates: string[] = [];
  if (tagged !== undefined) candidates.push(tagged.trim());
  const boxed = completion.lastIndexOf('\\boxed{');
  if (boxed >= 0) {
    const end = completion.indexOf('}', boxed);
    if (end > boxed) candidates.push(completion.slice(boxed + 7, end).replace(/\\text\{([^}]*)\}?/g, '$1').trim());
  }
  const tail = completion.slice(-2000);
  const phrase = /(?:answer|choice|option)\s*(?:is|:|=)?\s*(?:option\s*)?[:\s]*([^\n]{1,60})/gi;
  let last: string | undefined;
  for (let match = phrase.exec(tail); match; match = phrase.exec(tail)) last = match[1];
  if (last !== undefined) candidates.push(last.replace(/\*\*/g, '').trim());
  const lines = completion.trimEnd().split('\n');
  candidates.push((lines[lines.length - 1] ?? '').replace(/\*\*/g, '').trim());
  for (const candidate of candidates) {
    const letters = letterSet(candidate, choices) ?? letterSet(candidate.split(/[.\n]/)[0] ?? '', choices);
    if (letters && letters.length > 0) return letters;
  }
  return undefined;
}

/** The letters of a choice reference: "B", "B,D", "BD" or ["B", "D"]. */
export function referenceChoices(reference: unknown, choices = 'ABCDEFGHIJ'): string[] {
  const raw = Array.isArray(reference) ? reference.join(',') : typeof reference === 'string' ? reference : undefined;
  const letters = raw?.toUpperCase().replace(/[\s,;/&()]+/g, '');
  if (!letters || ![...letters].every((letter) => choices.includes(letter))) {
    throw new RewardError('INVALID_REFERENCE', `reference must be option letters from ${choices} ("B", "B,D" or ["B","D"]), got ${JSON.stringify(reference)?.slice(0, 60) ?? 'nothing'}`);
  }
  return [...new Set(letters.split(''))].sort();
}

/** `match.choice`: multiple-choice letters, single or multiple-select (exact set or Jaccard). */
export const matchChoicePlugin = definePlugin({
  name: 'match.choice',
  description: 'Multiple-choice answer letter(s) equal the reference (single or multi-select).',
  follows: 'MMLU/GPQA-style letter extraction; multi-select set match',
  reference: 'letters: "B", "B,D" or ["B","D"]',
  options: matchChoiceOptions,
  batchSize: 1024,
  create(options) {
    return perRollout((rollout) => {
      if (rollout.reference === undefined) return skipped('no reference: match.choice needs rollout.reference (option letters: "B", "B,D" or ["B","D"])');
      const reference = referenceChoices(rollout.reference, options.choices);
      const answer = extractChoicesWith(rollout.completion, options);
      if (!answer) return ok(0, { reason: 'no option letter found in the completion' });
      const multiple = options.multi === 'multiple' || (options.multi === 'auto' && reference.length > 1);
      const shown = answer.join(',');
      if (!multiple) {
        if (answer.length > 1) return ok(0, { reason: `several options given (${shown}) where one is asked` });
        const hit = answer[0] === reference[0];
        return ok(hit ? 1 : 0, { reason: `chose ${shown}, reference ${reference.join(',')}` });
      }
      const referenceSet = new Set(reference);
      const common = answer.filter((letter) => referenceSet.has(letter)).length;
      const union = new Set([...answer, ...reference]).size;
      const reward = options.scoring === 'jaccard' ? common / union : common === reference.length && answer.length === reference.length ? 1 : 0;
      return ok(reward, { reason: `chose ${shown}, reference ${reference.join(',')}` });
    });
  },
});

/**
 * A `match.choice` scorer for library use.
 * @param options the reward's options, as in a config's `with:`
 * @param context `baseDir`, `mediaDir` and `logger` (unused by this reward)
 */
export function createMatchChoiceReward(options: MatchChoiceOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(matchChoicePlugin, options, context);
}
