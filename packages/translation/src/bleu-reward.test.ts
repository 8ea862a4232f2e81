import { createRegistry, createScorer, RewardError, type Rollout } from '@mixreward/core';
import { sentenceBleu } from './bleu.js';
import { plugins } from './index.js';
import { createTranslationBleuReward, tokenizerForLanguage, translationBleuPlugin } from './bleu-reward.js';
import { translationChrfPlugin } from './chrf-reward.js';
import { translationTerPlugin } from './ter-reward.js';

const signal = new AbortController().signal;
const close = (actual: number | null | undefined, expected: number, tolerance = 1e-9) => expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThan(tolerance);
const score = async (scorer: { score: (rollouts: readonly Rollout[], context: { signal: AbortSignal }) => Promise<unknown[]> }, rollouts: Rollout[]) =>
  (await scorer.score(rollouts, { signal })) as Array<{ reward: number | null; status: string; components?: Record<string, number | null>; reason?: string; error?: { code: string } }>;

describe('translation.bleu', () => {
  test('reward is BLEU / 100 and components.bleu the 0-100 score', async () => {
    const [result] = await score(await createTranslationBleuReward(), [{ completion: 'the cat sat on the mat', reference: 'the cat is on the mat' }]);
    const expected = 100 * Math.pow((5 / 6) * (3 / 5) * (1 / 4) * (1 / 6), 0.25);
    expect(result?.status).toBe('ok');
    close(result?.components?.bleu, expected);
    close(result?.reward, expected / 100);
    expect(result?.reason).toContain('nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp');
  });

  test('reference shapes: string, array, {refs, source}', async () => {
    const scorer = await createTranslationBleuReward();
    const results = await score(scorer, [
      { completion: 'the the the the', reference: ['the cat the', 'the the the x y'] },
      { completion: 'the the the the', reference: { refs: ['the cat the', 'the the the x y'], source: 'le le le le' } },
      { completion: 'the the the the', reference: { refs: 'the the the x y' } },
    ]);
    const expected = sentenceBleu('the the the the', ['the cat the', 'the the the x y']).score;
    close(results[0]?.components?.bleu, expected);
    close(results[1]?.components?.bleu, expected);
    close(results[2]?.components?.bleu, sentenceBleu('the the the the', 'the the the x y').score);
  });

  test('the target language picks the tokenizer as MT-R1-Zero (zh -> zh, ja -> char, else 13a)', async () => {
    expect(tokenizerForLanguage('zh')).toBe('zh');
    expect(tokenizerForLanguage('zh-TW')).toBe('zh');
    expect(tokenizerForLanguage('ja')).toBe('char');
    expect(tokenizerForLanguage('de')).toBe('13a');
    expect(tokenizerForLanguage(undefined)).toBe('13a');
    const zh = 100 * Math.cbrt((2 / 3) * (1 / 2) * (1 / 2));
    const [byOption] = await score(await createTranslationBleuReward({ lang: 'zh' }), [{ completion: '我爱你', reference: '我爱他' }]);
    close(byOption?.components?.bleu, zh);
    const [byMeta, english, japanese] = await score(await createTranslationBleuReward(), [
      { completion: '我爱你', reference: '我爱他', meta: { target_lang: 'zh' } },
      { completion: '我爱你', reference: '我爱他', meta: { target_lang: 'en' } },
      { completion: '私は猫', reference: '私は犬', meta: { target_lang: 'ja' } },
    ]);
    close(byMeta?.components?.bleu, zh);
    expect(english?.components?.bleu).toBe(0);
    close(japanese?.components?.bleu, sentenceBleu('私は猫', '私は犬', { tokenize: 'char' }).score);
    // an explicit tokenizer wins over the language
    const [explicit] = await score(await createTranslationBleuReward({ tokenize: '13a' }), [{ completion: '我爱你', reference: '我爱他', meta: { target_lang: 'zh' } }]);
    expect(explicit?.components?.bleu).toBe(0);
  });

  test('ja-mecab fails at creation with DEPENDENCY_UNAVAILABLE', async () => {
    await expect(createScorer(translationBleuPlugin, { tokenize: 'ja-mecab' })).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });

  test('the translation is read from the last <translate> block (MT-R1-Zero format)', async () => {
    const completion = '<think>draft: le chat</think><translate> the cat sat on the mat </translate>';
    const [tagged] = await score(await createTranslationBleuReward(), [{ completion, reference: 'the cat sat on the mat' }]);
    close(tagged?.reward, 1);
    const [whole] = await score(await createTranslationBleuReward({ answer_tag: null }), [{ completion, reference: 'the cat sat on the mat' }]);
    expect(whole?.reward).toBeLessThan(1);
    // auto falls back to <answer> (R1 templates), then to the whole completion
    const [answer, plain, named] = await score(await createTranslationBleuReward(), [
      { completion: '<think>hmm</think><answer>the cat sat on the mat</answer>', reference: 'the cat sat on the mat' },
      { completion: ' the cat sat on the mat ', reference: 'the cat sat on the mat' },
    ]).then(async (results) => [...results, ...(await score(await createTranslationBleuReward({ answer_tag: 'final' }), [{ completion: '<final>the cat sat on the mat</final><answer>x</answer>', reference: 'the cat sat on the mat' }]))]);
    close(answer?.reward, 1);
    close(plain?.reward, 1);
    close(named?.reward, 1);
  });

  test('options: sacreBLEU names, validated', async () => {
    const [floor] = await score(await createTranslationBleuReward({ smooth_method: 'floor', effective_order: false, lowercase: true }), [
      { completion: 'THE CAT SAT ON THE MAT', reference: 'the cat is on the mat' },
    ]);
    close(floor?.components?.bleu, 100 * Math.pow((5 / 6) * (3 / 5) * (1 / 4) * (0.1 / 3), 0.25));
    await expect(createTranslationBleuReward({ smooth_method: 'laplace' } as never)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    // the camelCase spelling of before is rejected by the strict schema
    await expect(createTranslationBleuReward({ effectiveOrder: true } as never)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('missing, empty and malformed references', () => {
  test.each([[translationBleuPlugin], [translationChrfPlugin], [translationTerPlugin]])('%#: skipped for none/empty, INVALID_REFERENCE for bad shapes; one bad rollout never fails the batch', async (plugin) => {
    const scorer = await createScorer(plugin, {});
    const results = await score(scorer, [
      { completion: 'a b' },
      { completion: 'a b', reference: '' },
      { completion: 'a b', reference: ['', '  '] },
      { completion: 'a b', reference: 42 },
      { completion: 'a b', reference: { refs: ['ok', 7] } },
      { completion: 'a b', reference: { text: 'a b' } },
      { completion: 'a b', reference: 'a b' },
      { completion: '', reference: 'a b' },
    ]);
    expect(results.map((result) => result.status)).toEqual(['skipped', 'skipped', 'skipped', 'error', 'error', 'error', 'ok', 'ok']);
    expect(results[3]?.error?.code).toBe('INVALID_REFERENCE');
    expect(results[4]?.reason).toContain('reference.refs[1]');
    expect(results[5]?.reason).toContain('"refs"');
    expect(results[2]?.reward).toBeNull();
    expect(results[0]?.reason).toBe(`no reference: ${plugin.name} needs rollout.reference (a reference translation: a string, an array of strings or {refs, source?})`);
    expect(results[1]?.reason).toMatch(/^empty reference:/);
    expect(results[7]?.reward).toBe(0);
    const [notText] = await score(scorer, [{ completion: 42, reference: 'a b' } as unknown as Rollout]);
    expect(notText?.error?.code).toBe('INVALID_ROLLOUT');
  });
});

describe('registry', () => {
  test('plugins are exported with their names and register', () => {
    expect(plugins.map((plugin) => plugin.name)).toEqual(['translation.bleu', 'translation.chrf', 'translation.ter', 'translation.language', 'translation.comet']);
    const registry = createRegistry(plugins);
    expect(registry.get('translation.bleu').name).toBe('translation.bleu');
    expect(RewardError.isInstance(new RewardError('INVALID_REFERENCE', 'x'))).toBe(true);
  });
});

describe('reward range', () => {
  test('a perfect translation scores exactly 1 even where BLEU is a hair above 100', async () => {
    const hypothesis = '我爱我的家人。';
    expect(sentenceBleu(hypothesis, [hypothesis], { tokenize: 'zh' }).score).toBeGreaterThan(100);
    const [bleu] = await (await createTranslationBleuReward()).score([{ completion: hypothesis, reference: hypothesis, meta: { target_lang: 'zh' } }], { signal: new AbortController().signal });
    expect(bleu?.reward).toBe(1);
    expect(bleu?.components?.bleu).toBeGreaterThan(100);
  });
});
