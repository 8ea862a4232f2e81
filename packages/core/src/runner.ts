import { RewardError, errorMessage } from './errors.js';
import type { Scorer } from './plugin.js';
import { failed, timedOut } from './results.js';
import type { RewardResult, Rollout } from './types.js';

/** Progress of a run, sent after every finished batch. */
export interface ProgressEvent {
  /** Rollouts finished so far, in [0, total]. */
  done: number;
  /** Rollouts in the run. */
  total: number;
  /** Finished rollouts by status. */
  counts: { ok: number; skipped: number; error: number; timeout: number };
}

/** Options of {@link runBatch}. */
export interface RunOptions {
  /** Batches scored at once, >= 1. Default 4. */
  concurrency?: number;
  /** Rollouts per `score` call, >= 1. Default 32. Group-scoped runs use one batch per group. */
  batchSize?: number;
  /**
   * Time limit per rollout in ms (> 0). Default 30,000. A batch of n rollouts gets n times this;
   * when a batch overruns, its rollouts are scored again one by one with this limit each, so a slow
   * rollout only times out itself. Scorers that run hostile or CPU-heavy work must do it in a worker
   * or child process they kill when `context.signal` aborts (see {@link createWorkerPool}).
   */
  timeoutMs?: number;
  /** `group`: rollouts sharing `meta.group` (or `group`) are scored in one batch. Default `rollout`. */
  scope?: 'rollout' | 'group';
  /** Cancels the run: pending rollouts get `error` results with code ABORTED. */
  signal?: AbortSignal;
  /** Called after every finished batch. */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Check that a value is a rollout (an object with a string `completion`). Returns a problem
 * description, or `undefined` when it is usable.
 */
export function rolloutProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a rollout must be a JSON object';
  const completion = (value as Record<string, unknown>).completion;
  if (completion === undefined) return 'the rollout has no "completion" field';
  if (typeof completion !== 'string') return `"completion" must be a string, got ${completion === null ? 'null' : typeof completion}`;
  return undefined;
}

/** The group key of a rollout: `meta.group`, else `group`, else undefined. */
export function groupOf(rollout: Rollout): string | undefined {
  const value = rollout.meta?.group ?? rollout.group;
  return value === undefined || value === null ? undefined : String(value);
}

const statuses = new Set(['ok', 'skipped', 'error', 'timeout']);

function normalise(result: unknown): RewardResult {
  if (typeof result !== 'object' || result === null) return failed(new RewardError('INTERNAL', 'the scorer returned no result for this rollout'));
  const value = result as RewardResult;
  if (!statuses.has(value.status)) return failed(new RewardError('INTERNAL', `the scorer returned an unknown status "${String(value.status)}"`));
  if (value.status === 'ok' && (typeof value.reward !== 'number' || !Number.isFinite(value.reward))) {
    return failed(new RewardError('INTERNAL', `the scorer returned status ok with a non-finite reward (${String(value.reward)})`));
  }
  if (value.status !== 'ok' && value.reward !== null) return { ...value, reward: null };
  return value;
}

/**
 * Score rollouts with a scorer: bounded concurrency, per-rollout time limits, isolation (a bad
 * rollout or a throwing batch never fails the others), order preserved, progress events.
 * @returns one result per input rollout, in input order
 */
export async function runBatch(scorer: Scorer, rollouts: readonly unknown[], options: RunOptions = {}): Promise<RewardResult[]> {
  const total = rollouts.length;
  const results: RewardResult[] = new Array(total);
  const counts = { ok: 0, skipped: 0, error: 0, timeout: 0 };
  let done = 0;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));

  const record = (index: number, result: RewardResult) => {
    results[index] = result;
    counts[result.status] += 1;
    done += 1;
  };

  // Reject unusable rollouts up front; they never reach the scorer.
  const usable: number[] = [];
  for (let index = 0; index < total; index++) {
    const problem = rolloutProblem(rollouts[index]);
    if (problem) record(index, failed(new RewardError('INVALID_ROLLOUT', problem)));
    else usable.push(index);
  }

  // A batch is a list of input positions, or, when every rollout is usable and there are no groups
  // (the common case), a range of the input, sliced as it is scored with no index list.
  const batches: ({ start: number; end: number } | number[])[] = [];
  if (options.scope === 'group') {
    const byGroup = new Map<string, number[]>();
    for (const index of usable) {
      const key = groupOf(rollouts[index] as Rollout) ?? `\u0000${index}`;
      const members = byGroup.get(key);
      if (members) members.push(index);
      else byGroup.set(key, [index]);
    }
    batches.push(...byGroup.values());
  } else if (usable.length === total) {
    for (let start = 0; start < total; start += batchSize) batches.push({ start, end: Math.min(start + batchSize, total) });
  } else {
    for (let start = 0; start < usable.length; start += batchSize) batches.push(usable.slice(start, start + batchSize));
  }
  if (done > 0 && options.onProgress) options.onProgress({ done, total, counts: { ...counts } });

  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] as number[] | { start: number; end: number };
      const positions = Array.isArray(batch) ? batch : undefined;
      const first = Array.isArray(batch) ? 0 : batch.start;
      const size = Array.isArray(batch) ? batch.length : batch.end - batch.start;
      const at = (position: number) => (positions ? (positions[position] as number) : first + position);
      if (options.signal?.aborted) {
        for (let position = 0; position < size; position++) record(at(position), failed(new RewardError('ABORTED', 'the run was cancelled')));
      } else {
        const items = Array.isArray(batch) ? batch.map((index) => rollouts[index] as Rollout) : (rollouts.slice(batch.start, batch.end) as Rollout[]);
        const batchResults = await scoreWithLimit(scorer, items, timeoutMs, options.signal, options.scope !== 'group');
        for (let position = 0; position < size; position++) record(at(position), batchResults[position] as RewardResult);
      }
      options.onProgress?.({ done, total, counts: { ...counts } });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  return results;
}

const TIMED_OUT = Symbol('timed out');
const CANCELLED = Symbol('cancelled');
/** How long a cancelled scorer may take to return what it finished, in ms. */
const cancelGraceMs = 1_000;

async function scoreWithLimit(
  scorer: Scorer,
  batch: Rollout[],
  timeoutMs: number,
  outer: AbortSignal | undefined,
  retrySingly: boolean,
): Promise<RewardResult[]> {
  // setTimeout takes at most 2^31 - 1 ms (about 24.8 days); longer limits would fire at once.
  const limit = Math.min(timeoutMs * batch.length, 2_147_483_647);
  const controller = new AbortController();
  // A cancelled run signals the scorer, which returns what it finished (the rest ABORTED); one that
  // ignores its signal is given up on after a short grace, so cancelling never waits for a limit.
  let onOuterAbort: () => void = () => undefined;
  let grace: NodeJS.Timeout | undefined;
  const cancelled = new Promise<typeof CANCELLED>((resolve) => {
    onOuterAbort = () => {
      controller.abort(outer?.reason);
      grace = setTimeout(() => resolve(CANCELLED), cancelGraceMs);
    };
  });
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), limit);
  });
  try {
    const outcome = await Promise.race([scorer.score(batch, { signal: controller.signal, timeoutMs }), deadline, cancelled]);
    if (outcome === CANCELLED) return batch.map(() => failed(new RewardError('ABORTED', 'the run was cancelled')));
    if (outcome === TIMED_OUT) {
      controller.abort(new RewardError('TIMEOUT', `time limit of ${limit} ms exceeded`));
      if (retrySingly && batch.length > 1) {
        const single: RewardResult[] = [];
        for (const rollout of batch) single.push(...(await scoreWithLimit(scorer, [rollout], timeoutMs, outer, false)));
        return single;
      }
      return batch.map(() => timedOut(limit));
    }
    if (!Array.isArray(outcome) || outcome.length !== batch.length) {
      const error = new RewardError('INTERNAL', `the scorer returned ${Array.isArray(outcome) ? outcome.length : 'no'} results for ${batch.length} rollouts`);
      return batch.map(() => failed(error));
    }
    return outcome.map(normalise);
  } catch (error) {
    if (outer?.aborted) return batch.map(() => failed(new RewardError('ABORTED', 'the run was cancelled')));
    // A throw concerns the whole batch: retry one by one so a single bad rollout fails alone.
    if (retrySingly && batch.length > 1) {
      const single: RewardResult[] = [];
      for (const rollout of batch) single.push(...(await scoreWithLimit(scorer, [rollout], timeoutMs, outer, false)));
      return single;
    }
    return batch.map(() => failed(RewardError.isInstance(error) ? error : new RewardError('INTERNAL', errorMessage(error), { cause: error })));
  } finally {
    if (timer) clearTimeout(timer);
    if (grace) clearTimeout(grace);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
