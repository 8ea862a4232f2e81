import { validateConfig } from '@mixreward/core';
import type { InputLine } from './jsonl.js';
import { defaultRegistry } from './registry.js';
import { composerFor, outputRecord, scoreLines } from './score.js';

const registry = defaultRegistry();

// Two groups whose members are interleaved and far apart in the file: a chunker that only keeps
// adjacent members together (chunk size 2) would split both groups.
const rollouts = [
  { id: 'a1', group: 'A', completion: '<answer>x</answer>', reference: 'x' }, // A: 1
  { id: 'b1', group: 'B', completion: '<answer>x</answer>', reference: 'x' }, // B: 1
  { id: 'b2', group: 'B', completion: '<answer>x</answer>', reference: 'x' }, // B: 1
  { id: 'a2', group: 'A', completion: '<answer>y</answer>', reference: 'x' }, // A: 0
  { id: 'b3', group: 'B', completion: '<answer>y</answer>', reference: 'x' }, // B: 0
  { id: 'a3', group: 'A', completion: '<answer>y</answer>', reference: 'x' }, // A: 0
];
const lines: InputLine[] = rollouts.map((record, index) => ({ line: index + 1, record }));

async function scoreWith(group: 'rank' | 'zscore'): Promise<Record<string, number | null>> {
  const config = validateConfig({ rewards: { exact: { use: 'match.exact' } }, mix: { transform: 'exact', group } }, registry);
  const composer = composerFor(config, registry, { chunkSize: 2 });
  try {
    const records = await scoreLines(composer, lines);
    return Object.fromEntries(records.map((record) => [record.id as string, record.reward]));
  } finally {
    await composer.dispose();
  }
}

describe('scoreLines keeps groups whole wherever their members are', () => {
  test('zscore over the full group (sample std): hand-derived values', async () => {
    // A = [1, 0, 0]: mean 1/3, sample variance ((2/3)^2 + 2(1/3)^2) / 2 = 1/3, std 1/sqrt(3)
    //   -> 1 maps to (2/3)·sqrt(3) = 2/sqrt(3), 0 maps to -1/sqrt(3).
    // B = [1, 1, 0]: mean 2/3, same std -> 1 maps to 1/sqrt(3), 0 maps to -2/sqrt(3).
    const rewards = await scoreWith('zscore');
    const root3 = Math.sqrt(3);
    expect(rewards.a1).toBeCloseTo(2 / root3, 12);
    expect(rewards.a2).toBeCloseTo(-1 / root3, 12);
    expect(rewards.a3).toBeCloseTo(-1 / root3, 12);
    expect(rewards.b1).toBeCloseTo(1 / root3, 12);
    expect(rewards.b2).toBeCloseTo(1 / root3, 12);
    expect(rewards.b3).toBeCloseTo(-2 / root3, 12);
  });

  test('with the default chunk size, a group whose members are 5,000 lines apart is still whole', async () => {
    // 6,000 rollouts (more than one 4,096-rollout chunk); group "far" at lines 1, 3,001 and 6,000.
    const many: InputLine[] = Array.from({ length: 6000 }, (_, index) => ({
      line: index + 1,
      record: { id: `r${index}`, completion: '<answer>y</answer>', reference: 'x', ...(index === 0 || index === 3000 || index === 5999 ? { group: 'far' } : {}) },
    }));
    (many[0] as { record: { completion: string } }).record.completion = '<answer>x</answer>';
    const config = validateConfig({ rewards: { exact: { use: 'match.exact' } }, mix: { transform: 'exact', group: 'zscore' } }, registry);
    const composer = composerFor(config, registry, {});
    try {
      const records = await scoreLines(composer, many);
      const root3 = Math.sqrt(3);
      // "far" = [1, 0, 0] -> 2/sqrt(3), -1/sqrt(3), -1/sqrt(3) (as group A above); a rollout alone -> 0.
      expect(records[0]?.reward).toBeCloseTo(2 / root3, 12);
      expect(records[3000]?.reward).toBeCloseTo(-1 / root3, 12);
      expect(records[5999]?.reward).toBeCloseTo(-1 / root3, 12);
      expect(records[1]?.reward).toBe(0);
    } finally {
      await composer.dispose();
    }
  });

  test('rank over the full group (ties averaged)', async () => {
    // A = [1, 0, 0]: 1 has 2 below -> 2/2 = 1; each 0 ties with one other -> (0 + 1/2) / 2 = 0.25.
    // B = [1, 1, 0]: each 1 has 1 below and ties with one -> (1 + 1/2) / 2 = 0.75; 0 -> 0.
    expect(await scoreWith('rank')).toEqual({ a1: 1, b1: 0.75, b2: 0.75, a2: 0.25, b3: 0, a3: 0.25 });
  });
});

test('an output record is the rollout with the result merged in: same keys, order and values as a spread, an own __proto__ key kept as a key', () => {
  const result = { reward: 1, status: 'ok' as const, reason: 'r' };
  const rollout = JSON.parse('{"id":7,"reward":"old","completion":"c","2":"two"}') as Record<string, unknown>;
  const merged = outputRecord(rollout, result);
  expect(JSON.stringify(merged)).toBe('{"2":"two","id":7,"reward":1,"completion":"c","status":"ok","reason":"r"}');
  const hostile = JSON.parse('{"__proto__":{"polluted":true},"completion":"c"}') as Record<string, unknown>;
  const kept = outputRecord(hostile, result);
  expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
  expect(JSON.stringify(kept)).toBe('{"__proto__":{"polluted":true},"completion":"c","reward":1,"status":"ok","reason":"r"}');
  expect(outputRecord('not an object', result)).toEqual(result);
});
