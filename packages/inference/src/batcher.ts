/** Dynamic batching settings. */
export interface BatchingOptions {
  /** Most requests run together in one session call, >= 1. Default 32. */
  maxBatchSize?: number;
  /** Longest a request waits for others before its batch runs, in ms, >= 0. Default 2. */
  maxWaitMs?: number;
  /**
   * What one session call costs, in padded tokens, >= 0. Waiting requests are sorted by length and
   * cut into the batches that cost least in all, each costing this plus its padded tokens (its
   * request count times its longest request): a high cost makes few large batches, a low one many
   * evenly long ones. Default: 64 for a CPU session, 4096 for a CUDA session (big padded batches
   * are cheap on a GPU); `Infinity` makes the fewest batches of at most `maxBatchSize`.
   */
  callCostTokens?: number;
}

/** Default dynamic batching: up to 32 requests, waiting at most 2 ms. */
export const DEFAULT_BATCHING: Required<BatchingOptions> = { maxBatchSize: 32, maxWaitMs: 2, callCostTokens: 64 };

/** The default `callCostTokens` of a CUDA session. */
export const CUDA_CALL_COST_TOKENS = 4096;

interface Pending<Input, Output> {
  input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

/**
 * Gathers concurrent requests into batches: a batch runs when `maxBatchSize` requests wait or the
 * oldest has waited `maxWaitMs`. One batch runs at a time; requests that arrive meanwhile form the
 * next (after the batch, the event loop turns once so that its callers' follow-up requests join
 * them). Waiting requests are sorted by size (to cut padding) and cut into batches of at most
 * `maxBatchSize` that cost least in `callCostTokens` per call plus padded tokens; results go back
 * to each caller in order. When a batch fails, its requests are retried one by
 * one, so only the request that fails alone is rejected.
 */
export class DynamicBatcher<Input, Output> {
  private readonly pending: Pending<Input, Output>[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  private readonly maxBatchSize: number;
  private readonly maxWaitMs: number;
  private readonly callCostTokens: number;

  /**
   * @param runBatch runs one batch; must return one output per input, in order
   * @param sizeOf the size of an input (e.g. its token count), used to sort before batching
   */
  constructor(
    private readonly runBatch: (inputs: Input[]) => Promise<Output[]>,
    private readonly sizeOf: (input: Input) => number,
    options: BatchingOptions = {},
  ) {
    this.maxBatchSize = Math.max(1, Math.floor(options.maxBatchSize ?? DEFAULT_BATCHING.maxBatchSize));
    this.maxWaitMs = Math.max(0, options.maxWaitMs ?? DEFAULT_BATCHING.maxWaitMs);
    this.callCostTokens = Math.max(0, options.callCostTokens ?? DEFAULT_BATCHING.callCostTokens);
  }

  /** Queue one request; resolves with its own output. */
  submit(input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Requests waiting for a batch. */
  get waiting(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    if (this.pending.length >= this.maxBatchSize || this.maxWaitMs === 0) {
      this.scheduled = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      queueMicrotask(() => void this.drain());
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.scheduled = true;
        void this.drain();
      }, this.maxWaitMs);
    }
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    if (this.running) return;
    this.running = true;
    try {
      let first = true;
      while (this.pending.length > 0) {
        // After a batch, let its callers' follow-up requests arrive (they are a few microtasks
        // away) so the next set is sorted and split as a whole.
        if (!first) await new Promise<void>((resolve) => setImmediate(resolve));
        first = false;
        const taken = this.pending.splice(0, this.pending.length);
        taken.sort((a, b) => this.sizeOf(a.input) - this.sizeOf(b.input));
        for (const batch of this.split(taken)) await this.runOne(batch);
      }
    } finally {
      this.running = false;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves once every request submitted so far has been answered (nothing waits or runs). */
  idle(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve)).then(() => this.idle());
  }

  /**
   * Cut a size-sorted list into consecutive batches of at most maxBatchSize that cost least in all:
   * each batch costs `callCostTokens` plus its padded tokens (its length times its largest size).
   * Found exactly by dynamic programming over the cut points (n * maxBatchSize steps, n <= a few
   * hundred). With an infinite call cost, the fewest batches: runs of maxBatchSize from the smallest.
   */
  private split(sorted: Pending<Input, Output>[]): Pending<Input, Output>[][] {
    const count = sorted.length;
    const limit = this.maxBatchSize;
    const batches: Pending<Input, Output>[][] = [];
    if (!Number.isFinite(this.callCostTokens) || count <= 1) {
      for (let start = 0; start < count; start += limit) batches.push(sorted.slice(start, start + limit));
      return batches;
    }
    const sizes = sorted.map((item) => this.sizeOf(item.input));
    // best[end]: least cost of the first `end` requests; cut[end]: where the last batch of that best starts.
    const best = new Float64Array(count + 1);
    const cut = new Int32Array(count + 1);
    for (let end = 1; end <= count; end++) {
      const largest = sizes[end - 1] as number;
      let bestCost = Infinity;
      let bestStart = end - 1;
      for (let start = end - 1; start >= Math.max(0, end - limit); start--) {
        const cost = (best[start] as number) + this.callCostTokens + (end - start) * largest;
        if (cost <= bestCost) {
          bestCost = cost;
          bestStart = start;
        }
      }
      best[end] = bestCost;
      cut[end] = bestStart;
    }
    for (let end = count; end > 0; end = cut[end] as number) batches.push(sorted.slice(cut[end] as number, end));
    return batches.reverse();
  }

  /** The cost of a session call in padded tokens that this batcher splits by. */
  get callCost(): number {
    return this.callCostTokens;
  }

  private async runOne(batch: Pending<Input, Output>[]): Promise<void> {
    try {
      const outputs = await this.runBatch(batch.map((item) => item.input));
      if (outputs.length !== batch.length) throw new Error(`batch returned ${outputs.length} outputs for ${batch.length} inputs`);
      batch.forEach((item, index) => item.resolve(outputs[index] as Output));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad request must not fail the others: run each alone to find which one fails.
      for (const item of batch) await this.runOne([item]);
    }
  }
}
