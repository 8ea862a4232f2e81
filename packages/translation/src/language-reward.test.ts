import { createScorer, type Rollout } from '@mixreward/core';
import { createTranslationLanguageReward, translationLanguagePlugin, toFastTextCode, toFrancCode, weightedLetterCount } from './language-reward.js';

const signal = new AbortController().signal;

async function run(options: Record<string, unknown>, rollouts: Rollout[]) {
  const scorer = await createTranslationLanguageReward(options);
  return scorer.score(rollouts, { signal });
}

const SENTENCES: Rollout[] = [
  { completion: 'The weather is nice today and we are going out.', meta: { target_lang: 'en' } },
  { completion: 'The weather is nice today and we are going out.', meta: { target_lang: 'de' } },
  { completion: 'Das Wetter ist heute schön und wir gehen hinaus.', meta: { target_lang: 'de' } },
  { completion: '今天天气很好，我们出去散步吧。', meta: { target_lang: 'zh' } },
  { completion: '今日はとても良い天気ですね。', meta: { target_lang: 'ja' } },
];

describe.each([['fasttext'], ['franc']])('translation.language (backend %s)', (backend) => {
  test('1 when the output is in the target language, 0 when it is another', async () => {
    const results = await run({ backend }, SENTENCES);
    expect(results.map((result) => result.reward)).toEqual([1, 0, 1, 1, 1]);
    expect(results[1]?.reason).toContain(backend === 'franc' ? 'eng' : 'identified as en');
    expect(results[0]?.components?.language).toBe(1);
    expect(results[1]?.components?.language).toBe(0);
  });

  test('the lang option wins over meta and accepts BCP 47 tags', async () => {
    const results = await run({ backend, lang: 'fr-FR' }, [{ completion: "Le chat est assis sur le tapis aujourd'hui.", meta: { target_lang: 'en' } }]);
    expect(results[0]?.reward).toBe(1);
  });

  test('abstains (skipped) when the text is too short or there is no target language', async () => {
    const results = await run({ backend }, [
      { completion: 'Ciao', meta: { target_lang: 'it' } },
      { completion: 'A long enough English sentence without a target.' },
      { completion: '猫です', meta: { target_lang: 'ja' } },
      { completion: '猫が好きです', meta: { target_lang: 'ja' } },
    ]);
    expect(results.map((result) => result.status)).toEqual(['skipped', 'skipped', 'skipped', 'ok']);
    expect(results[0]?.reason).toContain('too short');
    expect(results[1]?.reason).toContain('target_lang');
  });
});

test('fastText probabilities: target_score is the probability of the target language, in [0, 1]', async () => {
  const [result] = await run({}, [SENTENCES[0] as Rollout]);
  const score = result?.components?.target_score as number;
  expect(score).toBeGreaterThan(0.5);
  expect(score).toBeLessThanOrEqual(1);
});

test('code normalisation for both identifiers', () => {
  expect(toFrancCode('zh-Hans')).toBe('cmn');
  expect(toFrancCode('deu')).toBe('deu');
  expect(toFrancCode('ara')).toBe('arb');
  expect(toFastTextCode('deu')).toBe('de');
  expect(toFastTextCode('zho')).toBe('zh');
  expect(toFastTextCode('nb-NO')).toBe('no');
  expect(toFastTextCode('pt_BR')).toBe('pt');
  // Han and kana count 3 each: 3 characters (9) stay under the default min_length of 10, 6 do not
  expect(weightedLetterCount('猫です')).toBe(9);
  expect(weightedLetterCount('a-b c!')).toBe(3);
});

test('reads the <translate> block and validates options', async () => {
  const results = await run({}, [{ completion: '<think>Je pense en français ici.</think><translate>This is clearly an English sentence.</translate>', meta: { target_lang: 'en' } }]);
  expect(results[0]?.reward).toBe(1);
  await expect(createScorer(translationLanguagePlugin, { min_length: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  await expect(createScorer(translationLanguagePlugin, { backend: 'cld3' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
});
