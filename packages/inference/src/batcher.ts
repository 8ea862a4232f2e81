/** Dynamic batching settings. */
export interface BatchingOptions {
  /** Most requests run together in one session call, >= 1. Default 32. */
  maxBatchSize?: number;
  /** Longest a request waits for others before its batch runs, in ms, >= 0. Default 2. */
  maxWaitMs?: number;
}

/** Default dynamic batching: up to 32 requests, waiting at most 2 ms. */
export const DEFAULT_BATCHING: Required<BatchingOptions> = { maxBatchSize: 32, maxWaitMs: 2 };

interface Pending<Input, Output> {
  input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

/**
 * Gathers concurrent requests into batches: a batch runs when `maxBatchSize` requests wait or the
 * oldest has waited `maxWaitMs`. One batch runs at a time; requests that arrive meanwhile form the
 * next. Waiting requests are sorted by size (to cut padding) and split into batches of at most
 * `maxBatchSize`; results go back to each caller in order.
 */
export class DynamicBatcher<Input, Output> {
  private readonly pending: Pending<Input, Output>[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private scheduled = false;
  private readonly maxBatchSize: number;
  private readonly maxWaitMs: number;

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
        for (let start = 0; start < taken.length; start += this.maxBatchSize) {
          await this.runOne(taken.slice(start, start + this.maxBatchSize));
        }
      }
    } finally {
      this.running = false;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private async runOne(batch: Pending<Input, Output>[]): Promise<void> {
    try {
      const outputs = await this.runBatch(batch.map((item) => item.input));
      if (outputs.length !== batch.length) throw new Error(`batch returned ${outputs.length} outputs for ${batch.length} inputs`);
      batch.forEach((item, index) => item.resolve(outputs[index] as Output));
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}
