// Batches of tasks handed to a worker pool in one message each, with the per-rollout hard limit kept:
// a batch of n inputs gets n times the per-input limit (as the batch runner gives a batch), and a
// batch that overruns or whose worker dies is re-run one input at a time, each with its own limit,
// so only the slow or hostile input times out. One message per batch instead of one per rollout
// removes most of the hand-off cost (structured cloning, message round trips) for cheap tasks.
import { RewardError, errorMessage, type RewardErrorCode } from './errors.js';
import type { WorkerPool } from './worker-pool.js';

/** What a batch task returns for one input: its value, or its error (message and code). */
export type SettledTask<Output> = { ok: true; value: Output } | { ok: false; message: string; code: string | undefined };

/**
 * Make a batch task from a one-input task, for a worker module to export next to it
 * (`export const verifyAnswers = eachOf(verifyAnswer)`). Inputs run one after another; a throw
 * becomes that input's error and the rest still run.
 */
export function eachOf<Input, Output>(task: (input: Input) => Output | Promise<Output>): (inputs: readonly Input[]) => Promise<SettledTask<Output>[]> {
  return async (inputs) => {
    const settled: SettledTask<Output>[] = [];
    for (const input of inputs) {
      try {
        settled.push({ ok: true, value: await task(input) });
      } catch (error) {
        settled.push({ ok: false, message: errorMessage(error), code: RewardError.isInstance(error) ? error.code : undefined });
      }
    }
    return settled;
  };
}

/** Options of {@link runInBatches}. */
export interface RunInBatchesOptions {
  /** Hard time limit per input in ms (> 0); a batch of n gets n times this. */
  timeoutMs: number;
  /** Cancels every batch (their workers are terminated). */
  signal?: AbortSignal;
  /** Inputs per message, >= 1. Default: the inputs spread evenly over the pool's workers. */
  batchSize?: number;
}

/**
 * Run inputs through a pool in batches: `batchTask` (made with {@link eachOf}) gets a batch per
 * message; a batch that times out or loses its worker is re-run input by input with `singleTask`,
 * each with the per-input limit.
 * @returns one value or `RewardError` per input, in input order
 */
export async function runInBatches<Input, Output>(
  pool: WorkerPool,
  tasks: { batchTask: string; singleTask: string },
  inputs: readonly Input[],
  options: RunInBatchesOptions,
): Promise<(Output | RewardError)[]> {
  const size = Math.max(1, Math.floor(options.batchSize ?? Math.ceil(inputs.length / pool.size)));
  const out: (Output | RewardError)[] = new Array(inputs.length);
  const runOne = async (index: number) => {
    try {
      out[index] = await pool.run<Output>(tasks.singleTask, inputs[index], { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      out[index] = asRewardError(error);
    }
  };
  const runBatch = async (start: number, end: number) => {
    const batch = inputs.slice(start, end);
    try {
      const settled = await pool.run<SettledTask<Output>[]>(tasks.batchTask, batch, {
        timeoutMs: Math.min(options.timeoutMs * batch.length, 2_147_483_647),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      settled.forEach((entry, offset) => {
        out[start + offset] = entry.ok ? entry.value : new RewardError((entry.code ?? 'INTERNAL') as RewardErrorCode, entry.message);
      });
    } catch (error) {
      const fault = asRewardError(error);
      if (fault.code === 'ABORTED' || batch.length === 1) {
        for (let index = start; index < end; index++) out[index] = fault;
        return;
      }
      // The batch overran (or its worker died): one input at a time, each with its own hard limit.
      for (let index = start; index < end; index++) await runOne(index);
    }
  };
  const batches: Promise<void>[] = [];
  for (let start = 0; start < inputs.length; start += size) batches.push(runBatch(start, Math.min(start + size, inputs.length)));
  await Promise.all(batches);
  return out;
}

function asRewardError(error: unknown): RewardError {
  return RewardError.isInstance(error) ? error : new RewardError('INTERNAL', errorMessage(error), { cause: error });
}
