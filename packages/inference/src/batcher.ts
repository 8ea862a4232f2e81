/** Dynamic batching settings. */
export interface BatchingOptions {
  /** Most requests run together in one session call, >= 1. Default 32. */
  maxBatchSize?: number;
  /** Longest a request waits for others before its batch runs, in ms, >= 0. Default 2. */
  maxWaitMs?: number;
  /**
   * What one session call costs, in padded tokens, >= 0. Waiting requests are sorted by length and
   * a batch is split where taking the next (longer) request would add more padding than this.
   * Default: 64 for a CPU session, 4096 for a CUDA session (big padded batches are cheap on a GPU);
   * `Infinity` never splits below `maxBatchSize`.
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
 * next. Waiting requests are sorted by size (to cut padding) and split into batches of at most
 * `maxBatchSize`, and where a longer request would pad the batch by more than `callCostTokens`;
 * results go back to each caller in order. When a batch fails, its requests are retried one by
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
      while (this.pending.length > 0) {
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
   * Cut a size-sorted list into batches of at most maxBatchSize; start a new batch where padding the
   * current one up to the next size would cost more than a session call.
   */
  private split(sorted: Pending<Input, Output>[]): Pending<Input, Output>[][] {
    const batches: Pending<Input, Output>[][] = [];
    let current: Pending<Input, Output>[] = [];
    let currentSize = 0;
    for (const item of sorted) {
      const size = this.sizeOf(item.input);
      const padding = current.length * (size - currentSize);
      if (current.length > 0 && (current.length >= this.maxBatchSize || padding > this.callCostTokens)) {
        batches.push(current);
        current = [];
      }
      current.push(item);
      currentSize = size;
    }
    if (current.length > 0) batches.push(current);
    return batches;
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
