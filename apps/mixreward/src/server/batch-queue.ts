import type { RewardResult } from '@mixreward/core';

/** Options of {@link createBatchQueue}. */
export interface BatchQueueOptions {
  /** Rollouts per composed batch (>= 1): a batch is sent as soon as this many are waiting. Default 256. */
  maxBatch?: number;
  /** Longest wait in ms (>= 0) before a partial batch is sent. Default 5. */
  maxWaitMs?: number;
  /** Batches scored at the same time (>= 1). Default 4. */
  maxConcurrentBatches?: number;
  /** Called with each batch's size, for the batch-size histogram. */
  onBatch?: (size: number) => void;
}

/** What a queue runs a batch with: the current composer's `score`. */
export type ScoreBatch = (rollouts: readonly unknown[]) => Promise<RewardResult[]>;

/** Gathers the rollouts of concurrent requests into batches (largest batch, longest wait). */
export interface BatchQueue {
  /** Score one request's rollouts inside a shared batch; resolves with its results, in order. */
  submit(rollouts: readonly unknown[]): Promise<RewardResult[]>;
  /** Rollouts waiting for a batch, >= 0. */
  readonly waiting: number;
  /** Rollouts inside batches being scored, >= 0. */
  readonly running: number;
  /** Resolves when nothing is waiting or running. */
  drain(): Promise<void>;
}

interface Pending {
  rollouts: readonly unknown[];
  resolve: (results: RewardResult[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Make a cross-request batch queue. A request's rollouts are never split across batches (so the
 * members of a group sent in one request stay together for group transforms); a request larger
 * than `maxBatch` is a batch of its own.
 *
 * @param scoreBatch scores one batch (the server passes the current composer, so a config reload
 *   applies to the next batch)
 * @param options batch size, wait and concurrency
 */
export function createBatchQueue(scoreBatch: () => ScoreBatch, options: BatchQueueOptions = {}): BatchQueue {
  const maxBatch = Math.max(1, options.maxBatch ?? 256);
  const maxWaitMs = Math.max(0, options.maxWaitMs ?? 5);
  const maxConcurrent = Math.max(1, options.maxConcurrentBatches ?? 4);
  const queue: Pending[] = [];
  let waiting = 0;
  let running = 0;
  let active = 0;
  let timer: NodeJS.Timeout | undefined;
  let drainWaiters: (() => void)[] = [];

  const settleDrain = () => {
    if (waiting === 0 && running === 0) {
      const waiters = drainWaiters;
      drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };

  const flush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    while (queue.length > 0 && active < maxConcurrent) {
      const batch: Pending[] = [];
      let size = 0;
      while (queue.length > 0) {
        const next = queue[0] as Pending;
        if (batch.length > 0 && size + next.rollouts.length > maxBatch) break;
        batch.push(next);
        size += next.rollouts.length;
        queue.shift();
      }
      waiting -= size;
      running += size;
      active++;
      options.onBatch?.(size);
      const rollouts = batch.flatMap((pending) => pending.rollouts);
      let scoring: Promise<RewardResult[]>;
      try {
        scoring = scoreBatch()(rollouts);
      } catch (error) {
        scoring = Promise.reject(error);
      }
      scoring
        .then((results) => {
          let offset = 0;
          for (const pending of batch) {
            pending.resolve(results.slice(offset, offset + pending.rollouts.length));
            offset += pending.rollouts.length;
          }
        })
        .catch((error: unknown) => {
          for (const pending of batch) pending.reject(error);
        })
        .finally(() => {
          active--;
          running -= size;
          if (queue.length > 0) schedule();
          settleDrain();
        });
    }
  };

  const schedule = () => {
    if (waiting >= maxBatch) flush();
    else if (!timer && queue.length > 0) timer = setTimeout(flush, maxWaitMs);
  };

  return {
    submit(rollouts) {
      if (rollouts.length === 0) return Promise.resolve([]);
      return new Promise<RewardResult[]>((resolve, reject) => {
        queue.push({ rollouts, resolve, reject });
        waiting += rollouts.length;
        schedule();
      });
    },
    get waiting() {
      return waiting;
    },
    get running() {
      return running;
    },
    drain() {
      if (waiting === 0 && running === 0) return Promise.resolve();
      return new Promise((resolve) => drainWaiters.push(resolve));
    },
  };
}
