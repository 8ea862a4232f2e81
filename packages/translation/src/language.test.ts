import { createScorer, type Rollout } from '@mixreward/core';
import { createLanguageReward, languagePlugin, toFrancCode, weightedLetterCount } from './language.js';

const signal = new AbortController().signal;

async function run(options: Record<string, unknown>, rollouts: Rollout[]) {
  const scorer = await createLanguageReward(options);
  return scorer.score(rollouts, { signal });
}

describe('translation.language', () => {
  test('1 when the output is in the target language, 0 when it is another', async () => {
    const results = await run({}, [
      { completion: 'The weather is nice today and we are going out.', meta: { target_lang: 'en' } },
      { completion: 'The weather is nice today and we are going out.', meta: { target_lang: 'de' } },
      { completion: 'Das Wetter ist heute schön und wir gehen hinaus.', meta: { target_lang: 'de' } },
      { completion: '今天天气很好，我们出去散步吧。', meta: { target_lang: 'zh' } },
      { completion: '今日はとても良い天気ですね。', meta: { target_lang: 'ja' } },
    ]);
    expect(results.map((result) => result.reward)).toEqual([1, 0, 1, 1, 1]);
    expect(results[1]?.reason).toContain('eng');
    expect(results[0]?.components).toEqual({ language: 1 });
  });

  test('the lang option wins over meta and accepts ISO 639-1, 639-3 and BCP 47', async () => {
    const results = await run({ lang: 'fr-FR' }, [{ completion: "Le chat est assis sur le tapis aujourd'hui.", meta: { target_lang: 'en' } }]);
    expect(results[0]?.reward).toBe(1);
    expect(toFrancCode('zh-Hans')).toBe('cmn');
    expect(toFrancCode('deu')).toBe('deu');
    expect(toFrancCode('ara')).toBe('arb');
  });

  test('abstains (skipped) when the text is too short or there is no target language', async () => {
    const results = await run({}, [
      { completion: 'Ciao', meta: { target_lang: 'it' } },
      { completion: 'A long enough English sentence without a target.' },
      { completion: '猫です', meta: { target_lang: 'ja' } },
      { completion: '猫が好きです', meta: { target_lang: 'ja' } },
    ]);
    expect(results.map((result) => result.status)).toEqual(['skipped', 'skipped', 'skipped', 'ok']);
    expect(results[0]?.reason).toContain('too short');
    expect(results[1]?.reason).toContain('target_lang');
    // Han and kana count 3 each: 3 characters (9) stay under the default minLength of 10, 6 do not
    expect(weightedLetterCount('猫です')).toBe(9);
  });

  test('reads the <translate> block and validates options', async () => {
    const results = await run({}, [{ completion: '<think>Je pense en français ici.</think><translate>This is clearly an English sentence.</translate>', meta: { target_lang: 'en' } }]);
    expect(results[0]?.reward).toBe(1);
    await expect(createScorer(languagePlugin, { minLength: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
