/**
 * `finance.choice`: option-letter sets as in CFLUE, single and multiple answers, order-free.
 */
import { z } from 'zod';
import { RewardError, createScorer, definePlugin, lastTagContent, ok, perRollout, skipped, type CreateContext, type Scorer } from '@mixreward/core';

const choiceOptionsSchema = z
  .object({
    letters: z.string().regex(/^[A-Z]+$/).default('ABCDEFGH').describe('The option letters that exist (default "ABCDEFGH").'),
    answer_tag: z.string().min(1).default('answer').describe('The tag whose content is the answer when present (default "answer").'),
  })
  .strict();

/** Options of `finance.choice`, as written in a config. */
export type FinanceChoiceOptions = z.input<typeof choiceOptionsSchema>;

function referenceLetters(reference: unknown, letters: string): string[] {
  const raw = Array.isArray(reference) && reference.every((item) => typeof item === 'string') ? reference.join(',') : typeof reference === 'string' ? reference : undefined;
  const compact = raw?.replace(/[\s,;/&、，()[\]]+|\band\b/gi, '');
  if (!compact || !/^[A-Z]+$/.test(compact) || ![...compact].every((letter) => letters.includes(letter))) {
    throw new RewardError('INVALID_REFERENCE', `finance.choice needs option letters from ${letters} ("C", "AC", "A, C" or ["A","C"]), got ${JSON.stringify(reference)?.slice(0, 60) ?? String(reference)}`);
  }
  return [...new Set(compact)].sort();
}

function lastBoxed(text: string): string | undefined {
  const start = text.lastIndexOf('\\boxed{');
  if (start < 0) return undefined;
  const end = text.indexOf('}', start + 7);
  return end < 0 ? undefined : text.slice(start + 7, end).replace(/\\text\{([^}]*)\}?/g, '$1');
}

/**
 * The option letters a completion chose, sorted, or undefined. Read from the `<answer>` block, the
 * last `\boxed{}`, the text after "the answer is" / "answer:" / "option(s)" / "答案", or a last line
 * made of letters. A letter must stand alone (`A` in "A company" or "AAA-rated" is not an option);
 * "or" between letters is a hedge (undefined is returned with `hedge`).
 */
export function readLetters(completion: string, letters: string, answerTag = 'answer'): { letters?: string[]; hedge?: boolean } {
  const visible = completion.replace(/<think>[\s\S]*?<\/think>/g, ' ');
  const candidates: string[] = [];
  const tagged = lastTagContent(completion, answerTag);
  if (tagged !== undefined) candidates.push(lastBoxed(tagged) ?? tagged);
  else {
    const boxed = lastBoxed(visible);
    if (boxed !== undefined) candidates.push(boxed);
    const tail = visible.slice(-3000).replace(/\*\*|__/g, '');
    const marker = /(?:answer\s*(?:is|:)|答案\s*(?:是|为|：|:)|options?\s*(?:is|are)?|choices?\s*(?:is|are)?|I\s+(?:choose|select))\s*:?\s*/gi;
    let end = -1;
    for (let match = marker.exec(tail); match; match = marker.exec(tail)) end = match.index + match[0].length;
    if (end >= 0) candidates.push((tail.slice(end).split('\n')[0] ?? '').slice(0, 80));
    const lines = visible.trim().split('\n');
    candidates.push((lines[lines.length - 1] ?? '').replace(/\*\*|__/g, '').trim());
  }
  const letter = `[${letters}]`;
  const list = new RegExp(String.raw`^\s*(?:options?|choices?)?\s*[(\[]?(${letter}(?:\s*(?:,|，|、|;|/|&|\band\b|\bor\b)?\s*${letter})*)[)\]]?\s*(?:[.。)]|\s|$)`);
  for (const candidate of candidates) {
    const text = candidate.trim();
    if (text.length === 0) continue;
    const match = list.exec(text);
    if (!match) continue;
    const body = match[1] as string;
    const rest = text.slice(match[0].length);
    // "A company …": the article, not an option; "AAA-rated": a word.
    if (body === 'A' && /^[a-z]/.test(rest.trimStart()) && !/[.)\]:]/.test(text.slice(body.length, body.length + 2))) continue;
    if (/^[A-Z]{2,}$/.test(body) && (/^[\p{L}-]/u.test(rest) || new Set(body).size !== body.length)) continue;
    const chosen = body.match(new RegExp(letter, 'g')) ?? [];
    if (/\bor\b|\//.test(body) && new Set(chosen).size > 1) return { hedge: true };
    return { letters: [...new Set(chosen)].sort() };
  }
  return {};
}

/** `finance.choice`: the chosen option-letter set equals the reference set (CFLUE). */
export const financeChoicePlugin = definePlugin({
  name: 'finance.choice',
  description: 'Option-letter sets as in CFLUE: single or multiple answers, order-free; a subset or a superset is wrong.',
  follows: 'DianJin-R1 answer correctness on CFLUE multiple choice',
  reference: '"C", "AC", "A, C" or ["A", "C"]',
  options: choiceOptionsSchema,
  batchSize: 1024,
  create(settings) {
    return perRollout((rollout) => {
      if (rollout.reference === undefined || rollout.reference === null) return skipped('no reference: finance.choice needs rollout.reference (the option letters)');
      if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
      const expected = referenceLetters(rollout.reference, settings.letters);
      const read = readLetters(rollout.completion, settings.letters, settings.answer_tag);
      if (read.hedge) return ok(0, { reason: `a hedge between options; reference ${expected.join('')}` });
      if (!read.letters || read.letters.length === 0) return ok(0, { reason: `no option letters found; reference ${expected.join('')}` });
      const equal = read.letters.join('') === expected.join('');
      return ok(equal ? 1 : 0, { reason: `chose ${read.letters.join('')}, reference ${expected.join('')}` });
    });
  },
});

/**
 * Make a `finance.choice` scorer.
 * @param options the reward's options (all optional)
 * @param context unused by this rule-based reward
 */
export function createFinanceChoiceReward(options: FinanceChoiceOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(financeChoicePlugin, options, context);
}
