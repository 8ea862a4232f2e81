import type { RewardResult, Rollout } from '@mixreward/core';
import fc from 'fast-check';
import { boxIou, boxProblem } from './box-iou.js';
import { createVideoTubeReward, parseTube, tubeIou } from './tube-reward.js';

const signal = new AbortController().signal;

async function score(rollout: Partial<Rollout>): Promise<RewardResult> {
  const scorer = await createVideoTubeReward();
  const [result] = await scorer.score([{ completion: '', ...rollout } as Rollout], { signal });
  return result as RewardResult;
}

describe('boxIou (hand-derived)', () => {
  it('cases', () => {
    expect(boxIou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(boxIou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150, 12);
    expect(boxIou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
    expect(boxIou([0, 0, 10, 10], [2, 2, 4, 4])).toBeCloseTo(4 / 100, 12);
    expect(boxIou([0, 0, 10, 10], [10, 10, 0, 0])).toBe(0);
    expect(boxIou([0, 0, 0, 10], [0, 0, 0, 10])).toBe(0);
    expect(boxIou([0, 0, Number.NaN, 10], [0, 0, 10, 10])).toBe(0);
  });
  it('problems are named', () => {
    expect(boxProblem([1, 2, 3])).toMatch(/4 numbers/);
    expect(boxProblem([3, 0, 1, 1])).toMatch(/inverted/);
    expect(boxProblem([0, 0, 1, 1])).toBeUndefined();
  });
  it('is symmetric and in [0, 1]', () => {
    const box = fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }));
    fc.assert(
      fc.property(box, box, (a, b) => {
        const value = boxIou(a, b);
        return value >= 0 && value <= 1 && Math.abs(value - boxIou(b, a)) < 1e-12;
      }),
    );
  });
});

describe('tubeIou', () => {
  const reference = new Map([
    [1, [0, 0, 10, 10]],
    [2, [0, 0, 10, 10]],
    [3, [0, 0, 10, 10]],
  ]);
  it('perfect tube is 1', () => expect(tubeIou(new Map(reference), reference)).toBe(1));
  it('two of three frames exact: 2/3', () => expect(tubeIou(new Map([[1, [0, 0, 10, 10]], [2, [0, 0, 10, 10]]]), reference)).toBeCloseTo(2 / 3, 12));
  it('an extra frame enlarges the union: 3/4', () => expect(tubeIou(new Map([...reference, [4, [0, 0, 10, 10]]]), reference)).toBeCloseTo(3 / 4, 12));
  it('half-overlapping boxes on every frame: 1/3', () => expect(tubeIou(new Map([1, 2, 3].map((frame) => [frame, [5, 0, 15, 10]])), reference)).toBeCloseTo(1 / 3, 12));
  it('disjoint in time: 0', () => expect(tubeIou(new Map([[9, [0, 0, 10, 10]]]), reference)).toBe(0));
});

describe('parseTube', () => {
  const frames = [1, 2];
  const cases: Array<[string, Array<[number, number[]]>]> = [
    ['{"1": [0, 0, 10, 10], "2": [1, 1, 11, 11]}', [[1, [0, 0, 10, 10]], [2, [1, 1, 11, 11]]]],
    ['{"frames": {"1": [0, 0, 10, 10]}}', [[1, [0, 0, 10, 10]]]],
    ['[{"frame": 1, "bbox": [0, 0, 10, 10]}, {"frame": 2, "bbox_2d": [1, 1, 11, 11]}]', [[1, [0, 0, 10, 10]], [2, [1, 1, 11, 11]]]],
    ['[[0, 0, 10, 10], [1, 1, 11, 11]]', [[1, [0, 0, 10, 10]], [2, [1, 1, 11, 11]]]],
    ['frame 1: [0, 0, 10, 10]\nframe 2: (1, 1, 11, 11)', [[1, [0, 0, 10, 10]], [2, [1, 1, 11, 11]]]],
    ["{'1': [0, 0, 10, 10]}", [[1, [0, 0, 10, 10]]]],
    ['Here: ```json\n{"2": [1.5, 2, 3, 4]}\n```', [[2, [1.5, 2, 3, 4]]]],
    ['[[0, 0, 10, 10]]', []],
    ['no boxes', []],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => expect([...parseTube(text, frames)]).toEqual(expected));
  }
});

describe('video.tube', () => {
  const reference = { frames: { '10': [0, 0, 10, 10], '11': [0, 0, 10, 10] } };
  it('a perfect tube scores 1', async () => {
    const result = await score({ completion: '<answer>{"10": [0, 0, 10, 10], "11": [0, 0, 10, 10]}</answer>', reference });
    expect(result).toMatchObject({ status: 'ok', reward: 1, components: { viou: 1, matched_frames: 2, predicted_frames: 2 } });
  });
  it('one frame right, one frame late: 1/3', async () => {
    const result = await score({ completion: '<answer>{"10": [0, 0, 10, 10], "12": [0, 0, 10, 10]}</answer>', reference });
    expect(result.reward).toBeCloseTo(1 / 3, 12);
  });
  it('an inverted predicted box scores 0 on its frame', async () => {
    const result = await score({ completion: '<answer>{"10": [10, 10, 0, 0], "11": [0, 0, 10, 10]}</answer>', reference });
    expect(result.reward).toBeCloseTo(1 / 2, 12);
  });
  it('no boxes: ok, 0, reason', async () => {
    const result = await score({ completion: 'nothing', reference });
    expect(result).toMatchObject({ status: 'ok', reward: 0 });
    expect(result.reason).toMatch(/no per-frame box/);
  });
  it('no reference: skipped; bad reference: INVALID_REFERENCE', async () => {
    expect((await score({ completion: '{}' })).status).toBe('skipped');
    for (const bad of [{}, { frames: {} }, { frames: { a: [0, 0, 1, 1] } }, { frames: { '1': [1, 1, 0, 0] } }, { frames: [[0, 0, 1, 1]] }, 'x']) {
      expect((await score({ completion: '{}', reference: bad })).error?.code).toBe('INVALID_REFERENCE');
    }
  });
});
