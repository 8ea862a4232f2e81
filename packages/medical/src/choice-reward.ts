/**
 * `medical.choice`: MedQA / MedMCQA multiple choice, answered by letter, by option text, or both.
 */
import { z } from 'zod';
import { createScorer, definePlugin, ok, perRollout, promptText, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { findAnswerRegion, normalizeAnswerText } from './answer-region.js';
import { optionsFromPrompt, optionsFromValue, readChoiceReference, type OptionTexts } from './choice-options.js';

const choiceOptionsSchema = z
  .object({
    letters: z.string().regex(/^[A-Z]+$/).default('ABCDEFGHIJ').describe('Option letters that exist when the options are not known (default "ABCDEFGHIJ"); known options narrow it.'),
    multi: z.enum(['auto', 'single', 'multiple']).default('auto').describe('"auto" (default): a multi-answer question when the reference has more than one letter; "single" / "multiple" force it.'),
    check_text: z.boolean().default(true).describe('When the answer gives a letter and an option text, both must name the same option (default true).'),
    options_from_prompt: z.boolean().default(true).describe('Read options from the prompt ("A. …", "(B) …" lines) when neither the reference nor meta.options has them (default true).'),
    answer_tag: z.string().min(1).default('answer').describe('The tag whose content is the answer when present (default "answer").'),
  })
  .strict();

/** Options of `medical.choice`, as written in a config. */
export type MedicalChoiceOptions = z.input<typeof choiceOptionsSchema>;
type Settings = z.output<typeof choiceOptionsSchema>;

/** How a completion answered a multiple-choice question. */
export interface ChoiceAnswer {
  /** The option letters chosen, sorted (empty when none was found). */
  letters: string[];
  /** Why the answer cannot be rewarded even though letters were found (a letter/text mismatch, a hedge, …). */
  problem?: string;
  /** How the answer was read, for the reason. */
  how: string;
}

// Words that make a capital "A" or "I" an article/pronoun rather than an option letter.
const ARTICLE_NEXT = /^\s+[a-z]/;
const SEPARATOR = String.raw`(?:\s*(?:,|;|/|&|\band\b|\bor\b)\s*|\s+)`;

function letterPattern(allowed: string): string {
  return `[${allowed}]`;
}

function matchOptionText(text: string, options: OptionTexts | undefined): string[] {
  if (!options) return [];
  const normalized = normalizeAnswerText(text);
  if (normalized.length === 0) return [];
  const exact = [...options].filter(([, option]) => normalizeAnswerText(option) === normalized).map(([letter]) => letter);
  if (exact.length > 0) return exact;
  // The option text followed by an explanation: "metformin, because it is first line".
  const mentioned = [...options].filter(([, option]) => {
    const value = normalizeAnswerText(option);
    return value.length > 0 && ` ${normalized} `.includes(` ${value} `);
  });
  const leading = mentioned.filter(([, option]) => normalized.startsWith(`${normalizeAnswerText(option)} `));
  if (leading.length === 1 && mentioned.length === 1) return [(leading[0] as [string, string])[0]];
  // Options mentioned as whole phrases inside the text.
  return mentioned.map(([letter]) => letter);
}

interface ChoicePatterns {
  onlyLetters: RegExp;
  token: RegExp;
  compact: RegExp;
  leading: RegExp;
  decisive: RegExp;
}

const patternCache = new Map<string, ChoicePatterns>();

/** The answer patterns for one set of option letters, built once per set. */
function choicePatterns(allowed: string): ChoicePatterns {
  let patterns = patternCache.get(allowed);
  if (!patterns) {
    const letter = letterPattern(allowed);
    patterns = {
      onlyLetters: new RegExp(String.raw`^(?:(?:option|choice|answer)s?\s*)?[(\[]?(${letter})[)\]]?(?:${SEPARATOR}[(\[]?${letter}[)\]]?)*$`, 'i'),
      token: new RegExp(String.raw`(?<![A-Za-z])${letter}(?![A-Za-z])`, 'g'),
      compact: new RegExp(String.raw`^(${letter}{2,})$`),
      leading: new RegExp(String.raw`^(?:(?:option|choice)\s*)?(?:[(\[](${letter})[)\]]|(${letter})\s*[.):：\-–—])\s*(\S.*)$`),
      decisive: new RegExp(
        String.raw`(?:\b(?:option|choice|answer|letter)\s*[(\[]?(${letter})(?![A-Za-z])|\b(?:is|be|with|choose|select|pick|prefer|needs?|requires?|recommend)\s+[(\[]?(${letter})[)\]]?(?=\s*(?:[.,;:!?)]|$|\s+(?:is|as|because|since)\b))|[(\[](${letter})[)\]]\s*(?:is\s+(?:the\s+)?(?:correct|right|best))|(?<![A-Za-z])(${letter})[)\]]?(?=\s+is\s+(?:the\s+)?(?:correct|right|best|answer)\b))`,
    'g'
      ),
    };
    if (patternCache.size > 256) patternCache.clear();
    patternCache.set(allowed, patterns);
  }
  return patterns;
}

/**
 * Read the option(s) a completion chose (the answer region: `<answer>`, `\boxed{}`, "Answer:",
 * "the answer is", else the last line).
 *
 * @param completion the model's output
 * @param options the options, when known (letter -> text)
 * @param settings letters, text check and answer tag
 */
export function readChoiceAnswer(completion: string, options: OptionTexts | undefined, settings: { letters: string; check_text: boolean; answer_tag: string }): ChoiceAnswer {
  const region = findAnswerRegion(completion, settings.answer_tag);
  if (!region || region.text.length === 0) return { letters: [], how: 'no answer found' };
  const allowed = options ? [...options.keys()].sort().join('') : settings.letters;
  const patterns = choicePatterns(allowed);
  const text = region.text.replace(/^["'“‘([]+(?=[^)\]]*$)|["'”’]+$/g, '').replace(/[\s,;/&]+$/, '').replace(/[.!]+$/, '').trim();
  const how = `read from the ${region.source.replace('_', ' ')}`;

  // 1. Only letters: "B", "(B)", "A, C", "A and C", "A or B", "AC".
  const onlyLetters = patterns.onlyLetters;
  if (onlyLetters.test(text) && /[A-Z]/.test(text)) {
    const tokens = text.replace(/^(?:option|choice|answer)s?\s*/i, '').match(patterns.token) ?? [];
    if (tokens.length > 0 && !(tokens.length === 1 && (tokens[0] === 'A' || tokens[0] === 'I') && ARTICLE_NEXT.test(text.slice(text.indexOf(tokens[0]) + 1)))) {
      const letters = [...new Set(tokens)].sort();
      if (/\bor\b/i.test(text) && letters.length > 1) return { letters, problem: `a hedge between options (${letters.join(' or ')})`, how };
      return { letters, how };
    }
  }
  const compact = patterns.compact;
  const compactMatch = compact.exec(text);
  if (compactMatch && new Set(text).size === text.length) return { letters: [...text].sort(), how };

  // 2. A letter followed by text: "B. Metformin", "(B) Metformin", "B) metformin", "B: Metformin", "B - Metformin".
  const leading = patterns.leading.exec(text);
  if (leading) {
    const chosen = (leading[1] ?? leading[2]) as string;
    const claimed = (leading[3] as string).trim();
    const explanation = /^(?:is|was|would\s+be|seems|appears|because|since|as)\b/i.test(claimed);
    if (options && settings.check_text && !explanation) {
      const namedOptions = matchOptionText(claimed, options);
      if (namedOptions.length > 0 && !namedOptions.includes(chosen)) {
        return { letters: [chosen], problem: `letter ${chosen} (${options.get(chosen) ?? '?'}) and text "${claimed.slice(0, 60)}" (option ${namedOptions.join('/')}) disagree`, how };
      }
      if (namedOptions.length === 0 && claimed.split(/\s+/).length <= 5) {
        return { letters: [chosen], problem: `letter ${chosen} is "${options.get(chosen) ?? '?'}" but the text says "${claimed.slice(0, 60)}"`, how };
      }
    }
    return { letters: [chosen], how: named(options, chosen, how) };
  }

  // 3. Option text alone: "Metformin", "the answer is metformin since …".
  const byText = matchOptionText(text, options);
  if (byText.length === 1) return { letters: byText, how: `${how}, by option text` };
  if (byText.length > 1) return { letters: byText.sort(), problem: `the answer names several options (${byText.sort().join(', ')})`, how };
  if (/\b(?:all|none)\s+of\s+the\s+(?:above|options)\b/i.test(text)) {
    return { letters: [], problem: `"${text.slice(0, 40)}" is not one of the options`, how };
  }

  // 4. Prose: "the most likely diagnosis is B", "option C is correct", "I would go with (D)".
  const decisive = patterns.decisive;
  decisive.lastIndex = 0;
  const found = new Set<string>();
  for (const match of text.matchAll(decisive)) found.add((match[1] ?? match[2] ?? match[3] ?? match[4]) as string);
  if (found.size === 1) return { letters: [...found], how: `${how}, from the sentence` };
  if (found.size > 1) return { letters: [...found].sort(), problem: `several options named (${[...found].sort().join(', ')})`, how };
  return { letters: [], problem: options ? `"${text.slice(0, 60)}" names no option` : undefined, how } as ChoiceAnswer;
}

function named(options: OptionTexts | undefined, letter: string, how: string): string {
  return options?.has(letter) ? how : `${how}, option text not checked`;
}

function optionsFor(reference: unknown, meta: Record<string, unknown> | undefined, prompt: unknown, settings: Settings): OptionTexts | undefined {
  if (typeof reference === 'object' && reference !== null && !Array.isArray(reference)) {
    const own = optionsFromValue((reference as Record<string, unknown>).options);
    if (own) return own;
  }
  const fromMeta = optionsFromValue(meta?.options);
  if (fromMeta) return fromMeta;
  return settings.options_from_prompt ? optionsFromPrompt(promptText(prompt)) : undefined;
}

/** `medical.choice`: the chosen option letter(s) equal the reference; letter and text must agree. */
export const medicalChoicePlugin = definePlugin({
  name: 'medical.choice',
  description: 'Clinical multiple choice (MedQA/MedMCQA): letter, option text or both; a letter/text mismatch, a hedge or an option list earns nothing.',
  follows: 'MedVLThinker and Gazal-R1 accuracy rewards on MedQA/MedMCQA; letter extraction as in lm-eval-harness',
  reference: '"B", "A,C", ["A","C"] or {"answer": "B" | ["A","C"], "options"?: {"A": text, …} | [text, …]}; options may also come from meta.options or the prompt',
  options: choiceOptionsSchema,
  batchSize: 1024,
  create(settings) {
    return perRollout((rollout) => {
      if (rollout.reference === undefined || rollout.reference === null) return skipped('no reference: medical.choice needs rollout.reference (the correct option letter(s))');
      if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
      const options = optionsFor(rollout.reference, rollout.meta, rollout.prompt, settings);
      const reference = readChoiceReference(rollout.reference, options);
      const known = reference.options ?? options;
      const answer = readChoiceAnswer(rollout.completion, known, settings);
      const expected = reference.answer.join(',');
      const multiple = settings.multi === 'multiple' || (settings.multi === 'auto' && reference.answer.length > 1);
      if (answer.problem) return ok(0, { components: { answered: answer.letters.length > 0 ? 1 : 0 }, reason: `${answer.problem} (${answer.how}); reference ${expected}` });
      if (answer.letters.length === 0) return ok(0, { components: { answered: 0 }, reason: `no option chosen (${answer.how}); reference ${expected}` });
      const chosen = answer.letters.join(',');
      if (known && answer.letters.length === known.size && known.size > 1) return ok(0, { components: { answered: 1 }, reason: `every option listed (${chosen}); reference ${expected}` });
      if (!multiple && answer.letters.length > 1) return ok(0, { components: { answered: 1 }, reason: `several options (${chosen}) where one is asked; reference ${expected}` });
      const equal = answer.letters.length === reference.answer.length && answer.letters.every((letter, index) => letter === reference.answer[index]);
      return ok(equal ? 1 : 0, { components: { answered: 1 }, reason: `chose ${chosen} (${answer.how}); reference ${expected}` });
    });
  },
});

/**
 * Make a `medical.choice` scorer.
 * @param options the reward's options (all optional)
 * @param context `baseDir`, `mediaDir` and a logger (unused by this rule-based reward)
 */
export function createMedicalChoiceReward(options: MedicalChoiceOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(medicalChoicePlugin, options, context);
}
