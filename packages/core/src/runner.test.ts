import { concurrentPerRollout, perRollout, type Scorer } from './plugin.js';
import { ok } from './results.js';
import { runBatch, type ProgressEvent } from './runner.js';
import { createWorkerPool } from './worker-pool.js';
import type { Rollout } from './types.js';

const lengthScorer = perRollout((rollout) => ok(rollout.completion.length));

describe('runBatch', () => {
  test('keeps order across batches and concurrency, and reports progress', async () => {
    const rollouts = Array.from({ length: 50 }, (_, index) => ({ completion: 'x'.repeat(index) }));
    const events: ProgressEvent[] = [];
    const results = await runBatch(lengthScorer, rollouts, { batchSize: 7, concurrency: 3, onProgress: (event) => events.push(event) });
    expect(results.map((result) => result.reward)).toEqual(rollouts.map((_, index) => index));
    expect(events.at(-1)).toEqual({ done: 50, total: 50, counts: { ok: 50, skipped: 0, error: 0, timeout: 0 } });
    expect(events.length).toBe(8);
  });

  test('a rollout without a completion gets its own error; the rest are scored', async () => {
    const results = await runBatch(lengthScorer, [{ completion: 'ab' }, { prompt: 'x' }, 'not an object', { completion: 3 }, { completion: '' }]);
    expect(results.map((result) => result.status)).toEqual(['ok', 'error', 'error', 'error', 'ok']);
    expect(results[1]).toMatchObject({ reward: null, error: { code: 'INVALID_ROLLOUT' }, reason: 'the rollout has no "completion" field' });
    expect(results[3]?.reason).toBe('"completion" must be a string, got number');
  });

  test('a throwing batch is retried one by one so only the bad rollout fails', async () => {
    let calls = 0;
    const scorer: Scorer = {
      async score(rollouts) {
        calls++;
        if (rollouts.some((rollout) => rollout.completion === 'boom')) throw new Error('scorer exploded');
        return rollouts.map(() => ok(1));
      },
    };
    const results = await runBatch(scorer, [{ completion: 'a' }, { completion: 'boom' }, { completion: 'c' }], { batchSize: 3 });
    expect(results.map((result) => result.status)).toEqual(['ok', 'error', 'ok']);
    expect(results[1]?.reason).toBe('scorer exploded');
    expect(calls).toBe(4);
  });

  test('a wrong number of results or a NaN reward is an error, not a silent zero', async () => {
    const short: Scorer = { score: async () => [ok(1)] };
    const results = await runBatch(short, [{ completion: 'a' }, { completion: 'b' }], { batchSize: 2 });
    expect(results.every((result) => result.status === 'error')).toBe(true);
    const nan: Scorer = { score: async (rollouts) => rollouts.map(() => ({ reward: Number.NaN, status: 'ok' as const })) };
    expect((await runBatch(nan, [{ completion: 'a' }]))[0]).toMatchObject({ status: 'error', reward: null });
  });

  test('a slow rollout times out alone; its batch-mates are scored', async () => {
    const scorer = perRollout(async (rollout, context) => {
      if (rollout.completion === 'slow') {
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          context.signal.addEventListener('abort', () => clearTimeout(timer));
        });
      }
      return ok(1);
    });
    const results = await runBatch(scorer, [{ completion: 'a' }, { completion: 'slow' }, { completion: 'b' }], { batchSize: 3, timeoutMs: 100 });
    expect(results.map((result) => result.status)).toEqual(['ok', 'timeout', 'ok']);
    expect(results[1]).toMatchObject({ reward: null, error: { code: 'TIMEOUT' } });
  });

  test('CPU-bound work in a worker pool is really stopped at the limit', async () => {
    const pool = createWorkerPool({ module: new URL('./__fixtures__/worker-tasks.js', import.meta.url), size: 1 });
    const scorer = perRollout(async (rollout, context) => {
      // The pool enforces the limit by terminating the worker; the runner's own limit is a backstop.
      const value = await pool.run<number>(rollout.completion === 'spin' ? 'spin' : 'double', 2, { timeoutMs: 300, signal: context.signal });
      return ok(value);
    });
    try {
      const results = await runBatch(scorer, [{ completion: 'spin' }, { completion: 'ok' }], { batchSize: 1, concurrency: 1, timeoutMs: 20_000 });
      expect(results[0]).toMatchObject({ status: 'timeout', reward: null, error: { code: 'TIMEOUT' } });
      expect(results[1]).toMatchObject({ status: 'ok', reward: 4 });
    } finally {
      await pool.close();
    }
  }, 60_000);

  test('a worker that crashes or is killed mid-rollout fails that rollout with a reason; the rest score normally', async () => {
    const pool = createWorkerPool({ module: new URL('./__fixtures__/worker-tasks.js', import.meta.url), size: 2, maxHeapMb: 64 });
    const tasks: Record<string, [string, unknown]> = { crash: ['crash', 9], uncaught: ['throwLater', null], heap: ['exhaustHeap', null] };
    const scorer = perRollout(async (rollout, context) => {
      const [task, input] = tasks[rollout.completion] ?? ['double', rollout.completion.length];
      return ok(await pool.run<number>(task, input, { timeoutMs: 20_000, signal: context.signal }));
    });
    try {
      const completions = ['a', 'crash', 'bb', 'uncaught', 'ccc', 'heap', 'dddd'];
      const results = await runBatch(scorer, completions.map((completion) => ({ completion })), { batchSize: 2, concurrency: 2, timeoutMs: 30_000 });
      expect(results.map((result) => [result.status, result.reward])).toEqual([
        ['ok', 2], ['error', null], ['ok', 4], ['error', null], ['ok', 6], ['error', null], ['ok', 8],
      ]);
      expect(results[1]).toMatchObject({ error: { code: 'WORKER_FAILED' }, reason: 'worker pool: worker exited during a task' });
      expect(results[3]).toMatchObject({ error: { code: 'WORKER_FAILED' }, reason: 'worker pool: worker failed: uncaught in a timer' });
      expect(results[5]?.reason).toMatch(/out of memory/);
    } finally {
      await pool.close();
    }
  }, 120_000);

  test('group scope puts every member of a group in one batch', async () => {
    const sizes: number[] = [];
    const scorer: Scorer = {
      async score(rollouts) {
        sizes.push(rollouts.length);
        return rollouts.map(() => ok(rollouts.length));
      },
    };
    const rollouts: Rollout[] = [
      { completion: 'a', meta: { group: 'p1' } },
      { completion: 'b', meta: { group: 'p2' } },
      { completion: 'c', group: 'p1' },
      { completion: 'd', meta: { group: 'p1' } },
    ];
    const results = await runBatch(scorer, rollouts, { scope: 'group', batchSize: 1 });
    expect(results.map((result) => result.reward)).toEqual([3, 1, 3, 3]);
    expect(sizes.sort()).toEqual([1, 3]);
  });

  test('a batch limit beyond setTimeout\'s range does not fire at once', async () => {
    let calls = 0;
    const scorer: Scorer = {
      async score(rollouts) {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return rollouts.map(() => ok(1));
      },
    };
    const results = await runBatch(scorer, [{ completion: 'a' }, { completion: 'b' }, { completion: 'c' }], { batchSize: 3, timeoutMs: 1_000_000_000 });
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok']);
    expect(calls).toBe(1);
  });

  test('concurrentPerRollout starts every rollout at once and isolates a throw', async () => {
    let inFlight = 0;
    let most = 0;
    const scorer = concurrentPerRollout(async (rollout) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      if (rollout.completion === 'bad') throw new Error('model input rejected');
      return ok(rollout.completion.length);
    });
    const results = await runBatch(scorer, [{ completion: 'a' }, { completion: 'bad' }, { completion: 'ccc' }], { batchSize: 3 });
    expect(results.map((result) => result.reward)).toEqual([1, null, 3]);
    expect(results[1]).toMatchObject({ status: 'error', reason: 'model input rejected' });
    expect(most).toBe(3);
  });

  test('cancelling a run stops waiting for a scorer that ignores its signal', async () => {
    const controller = new AbortController();
    let started = 0;
    const stuck: Scorer = {
      score() {
        started++;
        if (started === 1) setTimeout(() => controller.abort(), 20);
        return new Promise(() => undefined); // never settles, never reads the signal
      },
    };
    const results = await runBatch(stuck, [{ completion: 'a' }, { completion: 'b' }, { completion: 'c' }], { batchSize: 1, concurrency: 1, timeoutMs: 1_000_000, signal: controller.signal });
    expect(results.map((result) => [result.status, result.error?.code])).toEqual([['error', 'ABORTED'], ['error', 'ABORTED'], ['error', 'ABORTED']]);
    expect(started).toBe(1);
  });

  test('cancelling marks pending rollouts as aborted errors', async () => {
    const controller = new AbortController();
    controller.abort();
    const results = await runBatch(lengthScorer, [{ completion: 'a' }], { signal: controller.signal });
    expect(results[0]).toMatchObject({ status: 'error', error: { code: 'ABORTED' } });
  });
});
