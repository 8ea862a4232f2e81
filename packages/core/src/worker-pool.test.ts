import { createWorkerPool } from './worker-pool.js';
import { RewardError } from './errors.js';

const module = new URL('./__fixtures__/worker-tasks.js', import.meta.url);

describe('createWorkerPool', () => {
  const pool = createWorkerPool({ module, size: 2, timeoutMs: 5_000 });
  afterAll(() => pool.close());

  test('runs an exported function of a TypeScript source module', async () => {
    await expect(pool.run('double', 21)).resolves.toBe(42);
  }, 60_000);

  test('a busy loop is killed at its time limit and the pool keeps working', async () => {
    // One thread: the next task can only run if the spinning worker was terminated and replaced.
    const single = createWorkerPool({ module, size: 1 });
    try {
      const error = await single.run('spin', null, { timeoutMs: 300 }).catch((caught: unknown) => caught);
      expect(RewardError.isInstance(error) && error.code).toBe('TIMEOUT');
      await expect(single.run('double', 2)).resolves.toBe(4);
    } finally {
      await single.close();
    }
  }, 60_000);

  test('errors keep their RewardError code; plain errors become INTERNAL', async () => {
    await expect(pool.run('fail', 'reward')).rejects.toMatchObject({ code: 'INVALID_REFERENCE', message: 'bad reference' });
    await expect(pool.run('fail', 'plain')).rejects.toMatchObject({ code: 'INTERNAL', message: 'plain failure' });
    await expect(pool.run('missing', 1)).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  test('an aborted task rejects with ABORTED and order of results is kept under load', async () => {
    const controller = new AbortController();
    const pending = pool.run('slowEcho', { value: 'x', ms: 2_000 }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    const values = await Promise.all(Array.from({ length: 10 }, (_, index) => pool.run<number>('double', index)));
    expect(values).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  }, 60_000);

  test('a missing module is a clear error', () => {
    expect(() => createWorkerPool({ module: new URL('./__fixtures__/nope.js', import.meta.url) })).toThrow(/worker module not found/);
  });
});

test('worker sources resolve workspace packages to their sources', async () => {
  const pool = createWorkerPool({ module, size: 1 });
  try {
    await expect(pool.run('viaPackage', null)).resolves.toBe('function');
  } finally {
    await pool.close();
  }
}, 60_000);

describe('worker faults: the task fails with WORKER_FAILED and a reason, the pool goes on', () => {
  const single = createWorkerPool({ module, size: 1, timeoutMs: 20_000, maxHeapMb: 64 });
  afterAll(() => single.close());

  test.each([
    ['a worker that exits mid-task', 'crash', 3, /worker exited during a task/],
    ['an uncaught exception in the worker', 'throwLater', null, /worker failed: uncaught in a timer/],
    ['a worker over its heap limit', 'exhaustHeap', null, /worker failed: .*out of memory.* \(raise maxHeapMb, or the input is too large\)/],
  ])('%s', async (_name, task, input, reason) => {
    const error = await single.run(task, input).catch((caught: unknown) => caught);
    expect(RewardError.isInstance(error) && error.code).toBe('WORKER_FAILED');
    expect((error as Error).message).toMatch(reason);
    // One thread: this runs only if the dead worker was replaced.
    await expect(single.run('double', 5)).resolves.toBe(10);
  }, 60_000);
});
