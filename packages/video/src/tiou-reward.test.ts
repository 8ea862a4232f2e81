import type { RewardResult, Rollout } from '@mixreward/core';
import { boundaryAwareIou, intersectionLength, temporalIou, totalLength, unionOfIntervals } from './intervals.js';
import { createVideoTiouReward, type VideoTiouOptions } from './tiou-reward.js';

const signal = new AbortController().signal;

async function score(rollout: Partial<Rollout>, options: VideoTiouOptions = {}): Promise<RewardResult> {
  const scorer = await createVideoTiouReward(options);
  const [result] = await scorer.score([{ completion: '', ...rollout } as Rollout], { signal });
  return result as RewardResult;
}

describe('interval maths (hand-derived)', () => {
  const cases: Array<[string, Array<[number, number]>, Array<[number, number]>, number]> = [
    ['identical', [[2, 5]], [[2, 5]], 1],
    ['disjoint', [[0, 1]], [[2, 3]], 0],
    ['touching', [[0, 2]], [[2, 4]], 0],
    ['half overlap', [[0, 2]], [[1, 3]], 1 / 3],
    ['inside', [[1, 2]], [[0, 4]], 1 / 4],
    ['contains', [[0, 10]], [[2, 4]], 2 / 10],
    ['12.5-15 vs 12-15', [[12.5, 15]], [[12, 15]], 2.5 / 3],
    ['two preds one ref', [[0, 1], [2, 3]], [[0, 3]], 2 / 3],
    ['overlapping preds merge', [[0, 2], [1, 3]], [[0, 3]], 1],
    ['two refs', [[0, 4]], [[0, 1], [3, 4]], 2 / 4],
    ['tiling 10 spans vs one 1s span', Array.from({ length: 10 }, (_, index) => [index, index + 1] as [number, number]), [[3, 4]], 1 / 10],
    ['duplicated span counts once', [[1, 2], [1, 2], [1, 2]], [[1, 2]], 1],
    ['zero-length pred', [[3, 3]], [[2, 4]], 0],
    ['unsorted', [[5, 6], [1, 2]], [[1, 2], [5, 6]], 1],
    ['partial multi', [[0, 2], [4, 6]], [[1, 5]], 2 / 6],
  ];
  for (const [name, predicted, reference, expected] of cases) {
    it(name, () => expect(temporalIou(predicted, reference)).toBeCloseTo(expected, 12));
  }
  it('unions and lengths', () => {
    expect(unionOfIntervals([[3, 4], [0, 1], [0.5, 2], [2, 2.5]])).toEqual([[0, 2.5], [3, 4]]);
    expect(totalLength([[0, 2.5], [3, 4]])).toBe(3.5);
    expect(intersectionLength([[0, 2], [3, 5]], [[1, 4]])).toBe(2);
    expect(temporalIou([], [])).toBe(0);
  });
  it('boundary-aware: tiou × (1 − |Δs|/D) × (1 − |Δe|/D)', () => {
    // tiou 2.5/3, Δs 0.5, Δe 0 over D 50.
    expect(boundaryAwareIou([[12.5, 15]], [[12, 15]], 50)).toBeCloseTo((2.5 / 3) * (1 - 0.5 / 50), 12);
    // tiou 1/3, Δs 1, Δe 1 over D 10.
    expect(boundaryAwareIou([[0, 2]], [[1, 3]], 10)).toBeCloseTo((1 / 3) * 0.9 * 0.9, 12);
    expect(boundaryAwareIou([[2, 5]], [[2, 5]], 10)).toBe(1);
    expect(boundaryAwareIou([], [[2, 5]], 10)).toBe(0);
  });
});

describe('video.tiou', () => {
  const reference = { spans: [[12, 15]], duration: 60 };
  const verdicts: Array<[string, unknown, number]> = [
    ['<answer>12 to 15</answer>', reference, 1],
    ['<answer>12.5 to 15</answer>', reference, 2.5 / 3],
    ['<answer>from 0:12 to 0:15</answer>', reference, 1],
    ['<answer>13-14 s</answer>', reference, 1 / 3],
    ['<answer>20 to 25</answer>', reference, 0],
    ['<answer>0 to 60</answer>', reference, 3 / 60],
    ['<answer>0 to 9999</answer>', reference, 3 / 60],
    ['<answer>[[0, 10], [10, 20], [20, 30], [30, 40], [40, 50], [50, 60]]</answer>', reference, 3 / 60],
    ['<answer>12 to 13.5 and 13.5 to 15</answer>', reference, 1],
    ['<answer>10 to 13 and 14 to 16</answer>', reference, 2 / 6],
    ['<answer>12 to 15</answer>', [[12, 15]], 1],
    ['<answer>12 to 15</answer>', [12, 16], 3 / 4],
    ['<answer>12 to 15</answer>', '{"spans": [[12, 14]]}', 2 / 3],
    ['<answer>0 to 2 and 10 to 12</answer>', { spans: [[0, 1], [10, 11]] }, 2 / 4],
    ['<answer>55 to 70</answer>', { spans: [[50, 60]], duration: 60 }, 5 / 10],
    ['<answer>-5 to 5</answer>', { spans: [[0, 10]] }, 5 / 10],
    ['<answer>frame 120 to frame 150</answer>', { spans: [[12, 15]], fps: 10 }, 1],
    ['<think>12 to 15</think><answer>30 to 33</answer>', reference, 0],
    ['<answer>12 to 12</answer>', reference, 0],
  ];
  for (const [completion, ref, expected] of verdicts) {
    it(`${completion} against ${JSON.stringify(ref)} = ${expected}`, async () => {
      const result = await score({ completion, reference: ref });
      expect(result.status).toBe('ok');
      expect(result.reward).toBeCloseTo(expected, 12);
      expect(result.components?.tiou).toBeCloseTo(expected, 12);
    });
  }

  it('nothing parseable: ok, reward 0, reason', async () => {
    const result = await score({ completion: 'I do not know.', reference });
    expect(result).toMatchObject({ status: 'ok', reward: 0, components: { tiou: 0, predicted_spans: 0 } });
    expect(result.reason).toMatch(/no time span found/);
  });
  it('the reason shows the spans as read, in seconds', async () => {
    const result = await score({ completion: '<answer>from 0:12.5 to 0:15</answer>', reference });
    expect(result.reason).toContain('[12.5, 15] s');
    expect(result.reason).toContain('[12, 15] s');
    expect(result.components?.predicted_spans).toBe(1);
  });
  it('end-first spans are rejected by default and swapped on request', async () => {
    const rejected = await score({ completion: '<answer>from 15 to 12</answer>', reference });
    expect(rejected.reward).toBe(0);
    expect(rejected.reason).toMatch(/end-first/);
    expect(rejected.components?.predicted_spans).toBe(1);
    const swapped = await score({ completion: '<answer>from 15 to 12</answer>', reference }, { reversed: 'swap' });
    expect(swapped.reward).toBe(1);
  });
  it('zero-length spans cover nothing', async () => {
    const result = await score({ completion: '<answer>13 to 13</answer>', reference });
    expect(result.reward).toBe(0);
    expect(result.reason).toMatch(/zero length/);
  });
  it('a span entirely past the end is clipped to nothing', async () => {
    const result = await score({ completion: '<answer>70 to 80</answer>', reference });
    expect(result.reward).toBe(0);
    expect(result.reason).toMatch(/clipped to \[0, 60\] s/);
  });
  it('threshold mode', async () => {
    expect((await score({ completion: '<answer>12.5 to 15</answer>', reference }, { threshold: 0.8 })).reward).toBe(1);
    expect((await score({ completion: '<answer>13 to 15</answer>', reference }, { threshold: 0.8 })).reward).toBe(0);
    expect((await score({ completion: '<answer>13 to 15</answer>', reference }, { mode: 'threshold' })).reward).toBe(1);
    expect((await score({ completion: '<answer>14 to 15</answer>', reference }, { mode: 'threshold' })).reward).toBe(0);
  });
  it('boundary-aware metric (Time-R1 iou_v2)', async () => {
    const result = await score({ completion: '<answer>12.5 to 15</answer>', reference }, { metric: 'boundary' });
    expect(result.reward).toBeCloseTo((2.5 / 3) * (1 - 0.5 / 60), 12);
    expect(result.components?.tiou).toBeCloseTo(2.5 / 3, 12);
    expect(result.components?.boundary).toBeCloseTo(result.reward as number, 12);
  });
  it('boundary-aware metric without a duration is INVALID_REFERENCE', async () => {
    const result = await score({ completion: '<answer>12 to 15</answer>', reference: [[12, 15]] }, { metric: 'boundary' });
    expect(result).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
    expect(result.reason).toMatch(/duration/);
  });
  it('extract anywhere reads outside the answer block', async () => {
    expect((await score({ completion: '12 to 15. <answer>none</answer>', reference })).reward).toBe(0);
    expect((await score({ completion: '12 to 15. <answer>none</answer>', reference }, { extract: 'anywhere' })).reward).toBe(1);
  });
  it('option fps converts frame numbers; reference.fps wins', async () => {
    expect((await score({ completion: 'frames 24-36', reference: [[2, 3]] }, { fps: 12 })).reward).toBe(1);
    expect((await score({ completion: 'frames 24-36', reference: { spans: [[1, 1.5]], fps: 24 } }, { fps: 12 })).reward).toBe(1);
    const noFps = await score({ completion: 'frames 24-36', reference: [[2, 3]] });
    expect(noFps.reward).toBe(0);
    expect(noFps.reason).toMatch(/fps/);
  });
  it('no reference: skipped, naming the field', async () => {
    const result = await score({ completion: '1 to 2' });
    expect(result).toMatchObject({ status: 'skipped', reward: null });
    expect(result.reason).toMatch(/rollout\.reference/);
  });
  const badReferences: unknown[] = [null, 5, 'nonsense', { spans: [] }, { spans: [[3, 1]] }, { spans: [[1, 'b']] }, { spans: [[1, 2]], duration: -1 }, { spans: [[70, 80]], duration: 60 }, { spans: [[1, 1]] }, { foo: 1 }, [[Number.NaN, 1]]];
  for (const bad of badReferences) {
    it(`reference ${JSON.stringify(bad)} is INVALID_REFERENCE`, async () => {
      const result = await score({ completion: '1 to 2', reference: bad });
      expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'INVALID_REFERENCE' } });
    });
  }
  it('a non-string completion is an error result, not a throw', async () => {
    const result = await score({ completion: 42 as unknown as string, reference });
    expect(result).toMatchObject({ status: 'error', error: { code: 'INVALID_ROLLOUT' } });
  });
  it('rejects unknown options with the path', async () => {
    await expect(createVideoTiouReward({ treshold: 0.5 } as unknown as VideoTiouOptions)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
