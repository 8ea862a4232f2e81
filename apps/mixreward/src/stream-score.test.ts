import { validateConfig } from '@mixreward/core';
import type { SizedInputLine } from './jsonl.js';
import { defaultRegistry } from './registry.js';
import { composerFor, type OutputRecord } from './score.js';
import { countGroups, needsWholeGroups, scoreStream, type ScoreStreamOptions, type StreamSummary } from './stream-score.js';

const registry = defaultRegistry();

async function* asLines(records: readonly Record<string, unknown>[]): AsyncGenerator<SizedInputLine> {
  let line = 0;
  for (const record of records) {
    line++;
    if ('bad' in record) yield { line, problem: `line ${line}: not valid JSON`, bytes: 10 };
    else yield { line, record, bytes: JSON.stringify(record).length };
  }
}

const exactZscore = validateConfig({ rewards: { exact: { use: 'match.exact' } }, mix: { transform: 'exact', group: 'zscore' } }, registry);
const exactRank = validateConfig({ rewards: { exact: { use: 'match.exact' } }, mix: { transform: 'exact', group: 'rank' } }, registry);
const exactPlain = validateConfig({ rewards: { exact: { use: 'match.exact' } }, mix: 'exact' }, registry);

async function run(config: typeof exactPlain, records: Record<string, unknown>[], options: Omit<ScoreStreamOptions, 'groupSizes'> & { sizes?: boolean }): Promise<{ out: OutputRecord[]; summary: StreamSummary }> {
  const composer = composerFor(config, registry, {});
  const out: OutputRecord[] = [];
  try {
    const groupSizes = options.sizes ? await countGroups(asLines(records)) : undefined;
    const summary = await scoreStream(composer, asLines(records), (record) => void out.push(record), { ...options, ...(groupSizes ? { groupSizes } : {}) });
    return { out, summary };
  } finally {
    await composer.dispose();
  }
}

// Two interleaved groups (members far apart relative to a chunk of 2).
const interleaved = [
  { id: 'a1', group: 'A', completion: '<answer>x</answer>', reference: 'x' }, // A: 1
  { id: 'b1', group: 'B', completion: '<answer>x</answer>', reference: 'x' }, // B: 1
  { id: 'b2', group: 'B', completion: '<answer>x</answer>', reference: 'x' }, // B: 1
  { id: 'a2', group: 'A', completion: '<answer>y</answer>', reference: 'x' }, // A: 0
  { id: 'b3', group: 'B', completion: '<answer>y</answer>', reference: 'x' }, // B: 0
  { id: 'a3', group: 'A', completion: '<answer>y</answer>', reference: 'x' }, // A: 0
];
const root3 = Math.sqrt(3);
// A = [1, 0, 0]: mean 1/3, sample std 1/sqrt(3) -> 2/sqrt(3), -1/sqrt(3), -1/sqrt(3).
// B = [1, 1, 0]: mean 2/3, same std -> 1/sqrt(3), 1/sqrt(3), -2/sqrt(3).
const expectedZ: Record<string, number> = { a1: 2 / root3, b1: 1 / root3, b2: 1 / root3, a2: -1 / root3, b3: -2 / root3, a3: -1 / root3 };

describe('needsWholeGroups', () => {
  test('a group transform anywhere in the mix, or none', () => {
    expect(needsWholeGroups(exactZscore, registry)).toBe(true);
    expect(needsWholeGroups(exactPlain, registry)).toBe(false);
    const routed = validateConfig({ rewards: { exact: { use: 'match.exact' } }, mix: { route: { math: { transform: { sum: { exact: 1 } }, group: 'rank' }, default: 'exact' } } }, registry);
    expect(needsWholeGroups(routed, registry)).toBe(true);
    const clampOnly = validateConfig({ rewards: { exact: { use: 'match.exact' } }, mix: { transform: 'exact', clamp: [0, 1] } }, registry);
    expect(needsWholeGroups(clampOnly, registry)).toBe(false);
  });
});

describe('scoreStream keeps groups whole and output in input order', () => {
  test.each([
    ['sized (file read twice)', { groups: 'sized', sizes: true }],
    ['hold until the end (stdin, no size)', { groups: 'hold' }],
    ['hold with --group-size 3', { groups: 'hold', groupSize: 3 }],
  ] as const)('zscore over interleaved groups, chunk size 2: %s', async (_name, options) => {
    const { out } = await run(exactZscore, interleaved, { chunkSize: 2, ...options });
    expect(out.map((record) => record.id)).toEqual(['a1', 'b1', 'b2', 'a2', 'b3', 'a3']);
    for (const record of out) expect(record.reward).toBeCloseTo(expectedZ[record.id as string] as number, 12);
  });

  test('rank over interleaved groups (ties averaged), chunk size 1', async () => {
    // A = [1, 0, 0] -> 1, 0.25, 0.25; B = [1, 1, 0] -> 0.75, 0.75, 0.
    const { out } = await run(exactRank, interleaved, { chunkSize: 1, groups: 'sized', sizes: true });
    expect(Object.fromEntries(out.map((record) => [record.id, record.reward]))).toEqual({ a1: 1, b1: 0.75, b2: 0.75, a2: 0.25, b3: 0, a3: 0.25 });
  });

  test('meta.group_size releases a group on stdin before the end', async () => {
    const records = [
      ...interleaved.map((record) => ({ ...record, meta: { group: record.group, group_size: 3 } })),
      ...Array.from({ length: 50 }, (_, index) => ({ id: `solo${index}`, completion: 'x', reference: 'x' })),
    ];
    const { out, summary } = await run(exactZscore, records, { chunkSize: 4, groups: 'hold' });
    for (const record of out.slice(0, 6)) expect(record.reward).toBeCloseTo(expectedZ[record.id as string] as number, 12);
    // A rollout alone in no group has z-score 0.
    expect(out.slice(6).every((record) => record.reward === 0)).toBe(true);
    expect(summary.peakOpenGroups).toBe(2);
    // Both groups closed at line 6: the 50 solo rollouts never wait behind them.
    expect(summary.peakHeldRecords).toBeLessThanOrEqual(4 * 3 + 6);
  });

  test('a group whose members are 3,000 lines apart is whole; bad lines keep their place', async () => {
    const records: Record<string, unknown>[] = Array.from({ length: 6000 }, (_, index) => ({ id: `r${index}`, completion: '<answer>y</answer>', reference: 'x', ...(index === 0 || index === 3000 || index === 5999 ? { group: 'far' } : {}) }));
    (records[0] as { completion: string }).completion = '<answer>x</answer>';
    records[10] = { bad: true };
    const { out, summary } = await run(exactZscore, records, { chunkSize: 256, groups: 'sized', sizes: true });
    expect(out).toHaveLength(6000);
    expect(out.map((record) => record.id ?? record.line)).toEqual(records.map((record, index) => (record.bad ? 11 : `r${index}`)));
    expect(out[0]?.reward).toBeCloseTo(2 / root3, 12);
    expect(out[3000]?.reward).toBeCloseTo(-1 / root3, 12);
    expect(out[5999]?.reward).toBeCloseTo(-1 / root3, 12);
    expect(out[1]?.reward).toBe(0);
    expect(out[10]).toMatchObject({ status: 'error', line: 11, error: { code: 'INVALID_INPUT' } });
    // The first member holds back every later result until the last one is read (documented).
    expect(summary.peakOpenGroups).toBe(1);
    expect(summary.peakHeldRecords).toBeGreaterThan(5000);
  });
});

describe('scoreStream holds a bounded number of records', () => {
  test('no group transform: 20,000 rollouts in chunks of 100 hold at most three chunks, even when grouped', async () => {
    const records = Array.from({ length: 20000 }, (_, index) => ({ id: index, group: `g${index % 7}`, completion: index % 2 ? 'x' : 'y', reference: 'x' }));
    const { out, summary } = await run(exactPlain, records, { chunkSize: 100, groups: 'none' });
    expect(out.map((record) => record.id)).toEqual(records.map((record) => record.id));
    expect(out.map((record) => record.reward)).toEqual(records.map((_, index) => (index % 2 ? 1 : 0)));
    expect(summary.peakOpenGroups).toBe(0);
    // The chunk being filled, the one being scored and its results waiting to be written.
    expect(summary.peakHeldRecords).toBeLessThanOrEqual(300);
    expect(summary).toMatchObject({ read: 20000, written: 20000, finished: 20000 });
  });

  test('long lines: a chunk is also cut at chunkBytes', async () => {
    const records = Array.from({ length: 1000 }, (_, index) => ({ id: index, completion: 'x'.repeat(1000), reference: 'x' }));
    // Each line is over 1,000 bytes: 10,000 bytes per chunk means at most 10 lines a chunk.
    const { out, summary } = await run(exactPlain, records, { chunkSize: 4096, chunkBytes: 10_000, groups: 'none' });
    expect(out).toHaveLength(1000);
    expect(summary.peakHeldRecords).toBeLessThanOrEqual(30);
  });

  test('group transform, contiguous groups of 8 in a file: held records stay near the chunk size', async () => {
    const records = Array.from({ length: 20000 }, (_, index) => ({ id: index, group: `p${Math.floor(index / 8)}`, completion: index % 8 === 0 ? 'x' : 'y', reference: 'x' }));
    const { out, summary } = await run(exactRank, records, { chunkSize: 100, groups: 'sized', sizes: true });
    // Each group = [1, 0 x 7]: the 1 ranks 7/7 = 1; each 0 ties with six others -> (0 + 6/2) / 7 = 3/7.
    expect(out.map((record) => record.reward)).toEqual(records.map((_, index) => (index % 8 === 0 ? 1 : 3 / 7)));
    expect(summary.peakOpenGroups).toBe(1);
    expect(summary.peakHeldRecords).toBeLessThanOrEqual(3 * (100 + 8));
  });

  test('a cancelled run stops reading and writes what it has, in order', async () => {
    const controller = new AbortController();
    const records = Array.from({ length: 5000 }, (_, index) => ({ id: index, completion: 'x', reference: 'x' }));
    const composer = composerFor(exactPlain, registry, {});
    const out: OutputRecord[] = [];
    try {
      const summary = await scoreStream(composer, asLines(records), (record) => {
        out.push(record);
        if (out.length === 150) controller.abort();
      }, { chunkSize: 100, groups: 'none', signal: controller.signal });
      expect(summary.read).toBeLessThan(5000);
      expect(out.map((record) => record.id)).toEqual(records.slice(0, out.length).map((record) => record.id));
    } finally {
      await composer.dispose();
    }
  });
});
