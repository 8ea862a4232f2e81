import { createTranslationChrfReward } from './chrf-reward.js';
import type { Rollout } from '@mixreward/core';

const signal = new AbortController().signal;
const close = (actual: number | null | undefined, expected: number, tolerance = 1e-12) => expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThan(tolerance);
const score = async (scorer: { score: (rollouts: readonly Rollout[], context: { signal: AbortSignal }) => Promise<unknown[]> }, rollouts: Rollout[]) =>
  (await scorer.score(rollouts, { signal })) as Array<{ reward: number | null; status: string; components?: Record<string, number | null>; reason?: string }>;

describe('translation.chrf', () => {
  // expected values: sacreBLEU 2.6.0, CHRF(word_order=2) and CHRF(lowercase=True) on the same pairs
  test('reward is chrF / 100 and components.chrf the 0-100 score (chrF++ with word_order 2)', async () => {
    const [result] = await score(await createTranslationChrfReward({ word_order: 2, lang: 'en' }), [{ completion: 'the cat', reference: 'the cat.' }]);
    expect(result?.status).toBe('ok');
    expect(result?.components?.chrf).toBe(74.17147202331917);
    close(result?.reward, 0.7417147202331917);
    expect(result?.reason).toContain('chrF2++');
  });

  test('lowercase: case-insensitive', async () => {
    const [mixed] = await score(await createTranslationChrfReward(), [{ completion: 'Der Hund', reference: 'der hund' }]);
    const [lower] = await score(await createTranslationChrfReward({ lowercase: true }), [{ completion: 'Der Hund', reference: 'der hund' }]);
    expect(mixed?.components?.chrf).toBe(23.571428571428573);
    expect(lower?.components?.chrf).toBe(100);
  });

  test('camelCase option keys of before are rejected', async () => {
    await expect(createTranslationChrfReward({ wordOrder: 2 } as never)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
