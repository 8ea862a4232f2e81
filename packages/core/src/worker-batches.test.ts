import { RewardError } from './errors.js';
import { runInBatches } from './worker-batches.js';
import { createWorkerPool } from './worker-pool.js';

const module = new URL('./__fixtures__/batch-tasks.js', import.meta.url);

describe('runInBatches', () => {
  const pool = createWorkerPool({ module, size: 2 });
  afterAll(() => pool.close());

  test('one value per input, in order, across several batches', async () => {
    const inputs = Array.from({ length: 50 }, (_, index) => index);
    const out = await runInBatches<number, number>(pool, { batchTask: 'doubleEach', singleTask: 'double' }, inputs, { timeoutMs: 5_000, batchSize: 8 });
    expect(out).toEqual(inputs.map((value) => value * 2));
  }, 60_000);

  test('a failing input is its own RewardError (code kept); the rest of its batch is scored', async () => {
    const out = await runInBatches<number, number>(pool, { batchTask: 'doubleOrSpinEach', singleTask: 'doubleOrSpin' }, [1, Number.NaN, 3], { timeoutMs: 5_000 });
    expect(out[0]).toBe(2);
    expect(RewardError.isInstance(out[1]) && (out[1] as RewardError).code).toBe('INVALID_INPUT');
    expect(out[2]).toBe(6);
  }, 60_000);

  test('a hostile input is killed at its own limit and only it times out; its batch-mates are scored', async () => {
    const out = await runInBatches<number, number>(pool, { batchTask: 'doubleOrSpinEach', singleTask: 'doubleOrSpin' }, [1, 2, -1, 4], { timeoutMs: 300, batchSize: 4 });
    expect(out[0]).toBe(2);
    expect(out[1]).toBe(4);
    expect(RewardError.isInstance(out[2]) && (out[2] as RewardError).code).toBe('TIMEOUT');
    expect(out[3]).toBe(8);
    // The pool still works after its worker was terminated.
    await expect(pool.run('double', 5)).resolves.toBe(10);
  }, 60_000);
});
