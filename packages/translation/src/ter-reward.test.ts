import { createTranslationTerReward } from './ter-reward.js';
import type { Rollout } from '@mixreward/core';

const signal = new AbortController().signal;
const close = (actual: number | null | undefined, expected: number, tolerance = 1e-12) => expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThan(tolerance);
const score = async (scorer: { score: (rollouts: readonly Rollout[], context: { signal: AbortSignal }) => Promise<unknown[]> }, rollouts: Rollout[]) =>
  (await scorer.score(rollouts, { signal })) as Array<{ reward: number | null; status: string; components?: Record<string, number | null>; reason?: string }>;

describe('translation.ter', () => {
  test('reward is 1 - TER/100 clipped to [0, 1]; components.ter is raw TER', async () => {
    const results = await score(await createTranslationTerReward(), [
      // one shift (d c -> c d) over 4 reference words: 25
      { completion: 'a b c d', reference: 'a b d c' },
      // 1 substitution + 4 insertions over 1 reference word: 500
      { completion: 'a b c d e', reference: 'x' },
      { completion: 'A B', reference: 'a b' },
    ]);
    close(results[0]?.components?.ter, 25);
    close(results[0]?.reward, 0.75);
    close(results[1]?.components?.ter, 500);
    expect(results[1]?.reward).toBe(0);
    expect(results[2]?.reward).toBe(1);
    const [caseSensitive] = await score(await createTranslationTerReward({ case_sensitive: true, lang: 'en' }), [{ completion: 'A B', reference: 'a b' }]);
    expect(caseSensitive?.reward).toBe(0);
  });
});
