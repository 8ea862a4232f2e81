/**
 * Language identification on short sentences (2-9 words, 12 languages): accuracy and speed of the
 * two backends of translation.language, in one process. Prints one JSON line per backend.
 * Usage: node --import tsx bench/language.bench.ts
 */
import { createTranslationLanguageReward } from '../src/index.js';
import { SHORT_SENTENCES } from './short-sentences.js';

const signal = new AbortController().signal;
const rollouts = SHORT_SENTENCES.map(([lang, completion]) => ({ completion, meta: { target_lang: lang } }));

for (const backend of ['fasttext', 'franc'] as const) {
  // min_length 1: measure identification itself, without abstaining
  const scorer = await createTranslationLanguageReward({ backend, min_length: 1 });
  const results = await scorer.score(rollouts, { signal });
  const correct = results.filter((result) => result.reward === 1).length;
  const rounds = 20;
  const start = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) await scorer.score(rollouts, { signal });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const missed = results.flatMap((result, index) => (result.reward === 1 ? [] : [`${SHORT_SENTENCES[index]?.[0]}: ${result.reason}`]));
  console.log(
    JSON.stringify({
      bench: 'translation.language',
      backend,
      sentences: rollouts.length,
      accuracy: Number((correct / rollouts.length).toFixed(4)),
      sentencesPerSecond: Math.round((rounds * rollouts.length) / seconds),
      missed,
    }),
  );
}
