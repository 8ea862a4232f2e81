import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { RewardError, errorMessage } from './errors.js';

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * The module whose exported functions the workers run (`new URL('./verify-task.js', import.meta.url)`).
   * When the `.js` file does not exist but a `.ts` file of the same name does (tests run on sources),
   * the workers load it through tsx.
   */
  module: URL | string;
  /** Worker threads, >= 1. Default: available cores minus one, at least 1. */
  size?: number;
  /** Default time limit of one task in ms (> 0). Default 10,000. */
  timeoutMs?: number;
  /** Heap limit of one worker in MB (> 0). Default 512. A task that exceeds it fails with `WORKER_FAILED`. */
  maxHeapMb?: number;
  /** Name used in error messages. */
  name?: string;
}

/** Per-task options of {@link WorkerPool.run}. */
export interface WorkerTaskOptions {
  /** Time limit of this task in ms (> 0); the worker running it is terminated when it passes. */
  timeoutMs?: number;
  /** Cancels the task (the worker running it is terminated). */
  signal?: AbortSignal;
}

/**
 * Threads that run the exported functions of one module, with a time limit that really stops the
 * work: a task that overruns has its worker terminated (and replaced), so CPU-bound or hostile work
 * never blocks the event loop and never outlives its limit.
 */
export interface WorkerPool {
  /**
   * Run `exportName(input)` in a worker. The input and output are structured-cloned.
   * Rejects with `RewardError('TIMEOUT')` when the limit passes, `ABORTED` when cancelled,
   * `WORKER_FAILED` when the worker dies, or with the task's own error (a RewardError keeps its code).
   */
  run<Output = unknown>(exportName: string, input: unknown, options?: WorkerTaskOptions): Promise<Output>;
  /** Number of worker threads (>= 1). */
  readonly size: number;
  /** Terminate every worker; pending tasks reject with `ABORTED`. */
  close(): Promise<void>;
}

interface Task {
  exportName: string;
  input: unknown;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  task: Task | undefined;
  taskId: number;
  timer: NodeJS.Timeout | undefined;
  onAbort: (() => void) | undefined;
}

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) { const api = await import(workerData.tsx); api.register(); }
  const mod = await import(workerData.module);
  parentPort.on('message', async (message) => {
    try {
      const fn = mod[message.exportName];
      if (typeof fn !== 'function') throw new Error('module exports no function ' + message.exportName);
      const value = await fn(message.input);
      parentPort.postMessage({ id: message.id, ok: true, value });
    } catch (error) {
      parentPort.postMessage({ id: message.id, ok: false, error: {
        message: error && error.message ? error.message : String(error),
        code: error && typeof error.code === 'string' ? error.code : undefined,
        isRewardError: !!(error && error[Symbol.for('mixreward.error')]),
      } });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((error) => { parentPort.postMessage({ fatal: String(error && error.stack || error) }); });
`;

function resolveModule(module: URL | string): { url: string; tsx: string | undefined } {
  const url = typeof module === 'string' ? (module.startsWith('file:') ? new URL(module) : pathToFileURL(module)) : module;
  const path = fileURLToPath(url);
  if (existsSync(path)) return { url: url.href, tsx: path.endsWith('.ts') ? tsxApi() : undefined };
  const tsPath = path.replace(/\.js$/, '.ts');
  if (tsPath !== path && existsSync(tsPath)) return { url: pathToFileURL(tsPath).href, tsx: tsxApi() };
  throw new RewardError('INTERNAL', `worker module not found: ${path}`);
}

function tsxApi(): string {
  try {
    const require = createRequire(import.meta.url);
    const cjsEntry = require.resolve('tsx/esm/api');
    const esmEntry = cjsEntry.replace(/\.cjs$/, '.mjs');
    return pathToFileURL(existsSync(esmEntry) ? esmEntry : cjsEntry).href;
  } catch (error) {
    throw new RewardError('DEPENDENCY_UNAVAILABLE', 'running TypeScript worker sources needs the tsx package (a dev dependency); build the package to run from dist', { cause: error });
  }
}

/**
 * The message of an error a worker raised. It may come from another realm (a VM context), where
 * `instanceof Error` fails, so read `message` and `code` directly; out-of-memory errors say so.
 */
function describeWorkerError(error: unknown): string {
  const value = error as { message?: unknown; code?: unknown } | null;
  const message = typeof value?.message === 'string' && value.message !== '' ? value.message : errorMessage(error);
  if (value?.code === 'ERR_WORKER_OUT_OF_MEMORY') return `${message} (raise maxHeapMb, or the input is too large)`;
  return message;
}

/** Start a pool of worker threads for one module. Workers start lazily, on the first tasks. */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const size = Math.max(1, Math.floor(options.size ?? Math.max(1, availableParallelism() - 1)));
  const defaultTimeout = options.timeoutMs ?? 10_000;
  const name = options.name ?? 'worker pool';
  const startupTimeoutMs = 60_000;
  const resolved = resolveModule(options.module);
  const slots: (Slot | undefined)[] = new Array(size).fill(undefined);
  const queue: Task[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(index: number): Slot {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { module: resolved.url, tsx: resolved.tsx },
      // On sources, workspace packages resolve to their src through the `source` export condition.
      execArgv: resolved.tsx ? ['--conditions=@mixreward/source'] : [],
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 512 },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    let readyResolve: () => void = () => undefined;
    let readyReject: (error: unknown) => void = () => undefined;
    const slot: Slot = {
      worker,
      ready: new Promise<void>((resolve, reject) => {
        readyResolve = resolve;
        readyReject = reject;
      }),
      task: undefined,
      taskId: 0,
      timer: undefined,
      onAbort: undefined,
    };
    slot.ready.catch(() => undefined);
    worker.on('message', (message: { ready?: boolean; fatal?: string; id?: number; ok?: boolean; value?: unknown; error?: { message: string; code?: string; isRewardError: boolean } }) => {
      if (message.ready) return readyResolve();
      if (message.fatal !== undefined) {
        const error = new RewardError('WORKER_FAILED', `${name}: worker could not load ${resolved.url}: ${message.fatal}`);
        readyReject(error);
        finish(index, slot, undefined, error);
        return;
      }
      if (message.id !== slot.taskId || !slot.task) return;
      if (message.ok) finish(index, slot, message.value, undefined);
      else {
        const info = message.error ?? { message: 'unknown error', isRewardError: false };
        const error = info.isRewardError && info.code ? new RewardError(info.code as never, info.message) : new RewardError('INTERNAL', info.message);
        finish(index, slot, undefined, error);
      }
    });
    worker.on('error', (error) => {
      readyReject(error);
      if (slot.task) finish(index, slot, undefined, new RewardError('WORKER_FAILED', `${name}: worker failed: ${describeWorkerError(error)}`, { cause: error }), true);
      else if (slots[index] === slot) slots[index] = undefined;
    });
    worker.on('exit', () => {
      if (slots[index] === slot) {
        if (slot.task) finish(index, slot, undefined, new RewardError('WORKER_FAILED', `${name}: worker exited during a task`), true);
        else slots[index] = undefined;
      }
    });
    slots[index] = slot;
    return slot;
  }

  function finish(index: number, slot: Slot, value: unknown, error: unknown, kill = false): void {
    const task = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    if (task?.signal && slot.onAbort) task.signal.removeEventListener('abort', slot.onAbort);
    slot.task = undefined;
    slot.timer = undefined;
    slot.onAbort = undefined;
    if (kill) {
      if (slots[index] === slot) slots[index] = undefined;
      void slot.worker.terminate();
    }
    if (task) {
      if (error !== undefined) task.reject(error);
      else task.resolve(value);
    }
    pump();
  }

  function start(index: number, task: Task): void {
    const slot = slots[index] ?? spawn(index);
    slot.task = task;
    slot.taskId = nextId++;
    const taskId = slot.taskId;
    // The task's limit counts from when a ready worker receives it; starting a worker (loading the
    // module) has its own, longer limit.
    const arm = (ms: number, error: () => RewardError) => {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = setTimeout(() => {
        if (slot.taskId === taskId && slot.task === task) finish(index, slot, undefined, error(), true);
      }, ms);
    };
    arm(startupTimeoutMs, () => new RewardError('WORKER_FAILED', `${name}: a worker did not start within ${startupTimeoutMs} ms`));
    if (task.signal) {
      slot.onAbort = () => {
        if (slot.taskId === taskId && slot.task === task) finish(index, slot, undefined, new RewardError('ABORTED', `${name}: task cancelled`), true);
      };
      task.signal.addEventListener('abort', slot.onAbort, { once: true });
    }
    slot.ready.then(
      () => {
        if (slot.taskId !== taskId || slot.task !== task) return;
        arm(task.timeoutMs, () => new RewardError('TIMEOUT', `${name}: task ${task.exportName} exceeded its time limit of ${task.timeoutMs} ms`));
        slot.worker.postMessage({ id: taskId, exportName: task.exportName, input: task.input });
      },
      (error: unknown) => {
        if (slot.taskId === taskId && slot.task === task) {
          finish(index, slot, undefined, RewardError.isInstance(error) ? error : new RewardError('WORKER_FAILED', `${name}: worker failed to start: ${errorMessage(error)}`), true);
        }
      },
    );
  }

  function pump(): void {
    for (let index = 0; index < size && queue.length > 0; index++) {
      const slot = slots[index];
      if (slot?.task) continue;
      const task = queue.shift() as Task;
      if (task.signal?.aborted) {
        task.reject(new RewardError('ABORTED', `${name}: task cancelled`));
        index--;
        continue;
      }
      start(index, task);
    }
  }

  return {
    size,
    run<Output>(exportName: string, input: unknown, taskOptions: WorkerTaskOptions = {}): Promise<Output> {
      if (closed) return Promise.reject(new RewardError('ABORTED', `${name} is closed`));
      return new Promise<Output>((resolve, reject) => {
        queue.push({
          exportName,
          input,
          timeoutMs: taskOptions.timeoutMs ?? defaultTimeout,
          signal: taskOptions.signal,
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new RewardError('ABORTED', `${name} is closed`));
      await Promise.all(
        slots.map((slot, index) => {
          if (!slot) return undefined;
          slots[index] = undefined;
          if (slot.task) {
            const task = slot.task;
            slot.task = undefined;
            if (slot.timer) clearTimeout(slot.timer);
            task.reject(new RewardError('ABORTED', `${name} is closed`));
          }
          return slot.worker.terminate();
        }),
      );
    },
  };
}
