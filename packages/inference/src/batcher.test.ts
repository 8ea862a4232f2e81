import fc from 'fast-check';
import { DynamicBatcher } from './index.js';

function recorder(options: { maxBatchSize: number; maxWaitMs: number; callCostTokens?: number }) {
  const batches: number[][] = [];
  const batcher = new DynamicBatcher<number, number>(
    async (inputs) => {
      batches.push([...inputs]);
      await new Promise((resolve) => setImmediate(resolve));
      return inputs.map((input) => input * 10);
    },
    (input) => input,
    { callCostTokens: Number.POSITIVE_INFINITY, ...options },
  );
  return { batches, batcher };
}

test('concurrent requests are gathered, sorted by size, split at maxBatchSize and answered in order', async () => {
  const { batches, batcher } = recorder({ maxBatchSize: 3, maxWaitMs: 50 });
  const inputs = [5, 1, 4, 2, 3, 9, 7];
  const outputs = await Promise.all(inputs.map((input) => batcher.submit(input)));
  expect(outputs).toEqual(inputs.map((input) => input * 10));
  expect(batches).toEqual([
    [1, 2, 3],
    [4, 5, 7],
    [9],
  ]);
});

test('a lone request runs after maxWaitMs without a full batch', async () => {
  const { batches, batcher } = recorder({ maxBatchSize: 64, maxWaitMs: 1 });
  expect(await batcher.submit(4)).toBe(40);
  expect(batches).toEqual([[4]]);
});

test('requests that arrive while a batch runs form the next batch', async () => {
  const { batches, batcher } = recorder({ maxBatchSize: 2, maxWaitMs: 0 });
  const first = [batcher.submit(1), batcher.submit(2)];
  await Promise.resolve();
  const second = [batcher.submit(3), batcher.submit(4), batcher.submit(5)];
  expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
  expect(batches.flat().sort()).toEqual([1, 2, 3, 4, 5]);
  expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(2);
});

test('maxBatchSize 1 runs every request alone', async () => {
  const { batches, batcher } = recorder({ maxBatchSize: 1, maxWaitMs: 0 });
  await Promise.all([1, 2, 3].map((input) => batcher.submit(input)));
  expect(batches).toEqual([[1], [2], [3]]);
});

test('a failing batch is retried one by one, so only the bad request is rejected', async () => {
  const calls: number[][] = [];
  const batcher = new DynamicBatcher<number, number>(
    async (inputs) => {
      calls.push([...inputs]);
      if (inputs.includes(13)) throw new Error('unlucky input');
      return inputs;
    },
    (input) => input,
    { maxBatchSize: 4, maxWaitMs: 0 },
  );
  const results = await Promise.allSettled([1, 2, 13, 14].map((input) => batcher.submit(input)));
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('unlucky input'));
  expect(calls).toEqual([[1, 2, 13, 14], [1], [2], [13], [14]]);
  expect(await batcher.submit(5)).toBe(5);
});

test('a sorted batch is split where padding would cost more than a session call', async () => {
  // sizes 10, 10, 11 | 30 : padding the first three to 30 would add 3 * 19 = 57 > 20 tokens.
  const { batches, batcher } = recorder({ maxBatchSize: 8, maxWaitMs: 0, callCostTokens: 20 });
  await Promise.all([30, 10, 11, 10].map((input) => batcher.submit(input)));
  expect(batches).toEqual([[10, 10, 11], [30]]);
  const never = recorder({ maxBatchSize: 8, maxWaitMs: 0, callCostTokens: Number.POSITIVE_INFINITY });
  await Promise.all([30, 10, 11, 10].map((input) => never.batcher.submit(input)));
  expect(never.batches).toEqual([[10, 10, 11, 30]]);
});

test('idle resolves once everything submitted is answered', async () => {
  const { batcher } = recorder({ maxBatchSize: 8, maxWaitMs: 5 });
  await batcher.idle();
  const answers: number[] = [];
  for (const input of [1, 2, 3]) void batcher.submit(input).then((output) => answers.push(output));
  await batcher.idle();
  await Promise.resolve();
  expect(answers.sort((a, b) => a - b)).toEqual([10, 20, 30]);
});

test('property: the batches of a sorted set cost least among all ways to cut it (call cost + padded tokens), none over maxBatchSize', async () => {
  // Brute force over every set of cut points of the sorted sizes: an independent minimum.
  const cheapest = (sizes: number[], limit: number, callCost: number): number => {
    let best = Infinity;
    for (let mask = 0; mask < 1 << (sizes.length - 1); mask++) {
      let cost = 0;
      let start = 0;
      for (let end = 1; end <= sizes.length; end++) {
        if (end < sizes.length && (mask & (1 << (end - 1))) === 0) continue;
        if (end - start > limit) cost = Infinity;
        cost += callCost + (end - start) * (sizes[end - 1] as number);
        start = end;
      }
      best = Math.min(best, cost);
    }
    return best;
  };
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 120 }), async (sizes, limit, callCost) => {
      const { batches, batcher } = recorder({ maxBatchSize: limit, maxWaitMs: 0, callCostTokens: callCost });
      const outputs = await Promise.all(sizes.map((size) => batcher.submit(size)));
      expect(outputs).toEqual(sizes.map((size) => size * 10));
      const sorted = [...sizes].sort((a, b) => a - b);
      expect(batches.flat()).toEqual(sorted);
      expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(limit);
      const cost = batches.reduce((sum, batch) => sum + callCost + batch.length * Math.max(...batch), 0);
      expect(cost).toBe(cheapest(sorted, limit, callCost));
    }),
    { numRuns: 200 },
  );
});

test('a finished batch\'s callers rejoin the waiting set before it is cut again', async () => {
  // Three callers submit two requests each, passing each answer through a few promise steps first
  // (as model.score does); batches of at most 2, by size. The first set cuts as [1, 2] [3]; the
  // callers of [1, 2] resubmit (30, 20) while [3] runs and the caller of [3] resubmits (10) just
  // after: the second set is all three, [10, 20] [30], not [20, 30] and then [10] alone.
  const { batches, batcher } = recorder({ maxBatchSize: 2, maxWaitMs: 0 });
  const caller = async (sizes: number[]) => {
    for (const size of sizes) {
      await batcher.submit(size);
      for (let step = 0; step < 5; step++) await Promise.resolve();
    }
  };
  await Promise.all([caller([1, 30]), caller([2, 20]), caller([3, 10])]);
  expect(batches).toEqual([[1, 2], [3], [10, 20], [30]]);
});
