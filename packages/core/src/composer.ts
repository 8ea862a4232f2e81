// The composer: a validated Mixed-Reward config made runnable. A rollout's way through it, file by
// file: composer-chunks.ts cuts the input into chunks of whole groups; for each chunk, this file
// checks the rollouts and builds the run state; composer-evaluation.ts evaluates the mix tree for
// each rollout, recording the components it needs; composer-demand.ts runs each demanded component
// once, batched over every rollout waiting on it (through the batch runner), and repeats until
// every value settles; group-statistics.ts ranks and standardises within groups; and
// composer-results.ts assembles each composed result.
import { RewardError, errorMessage } from './errors.js';
import type { ComponentConfig, ValidatedConfig } from './config.js';
import { chunkIndices } from './composer-chunks.js';
import { Demand, settle } from './composer-demand.js';
import { compileMix, compilePrefetch, referencedComponents, type RunState } from './composer-evaluation.js';
import { ResultAssembler } from './composer-results.js';
import { statusOf, type Value } from './composer-values.js';
import { silentLogger, type Logger, type Scorer } from './plugin.js';
import type { Registry } from './registry.js';
import { failed } from './results.js';
import { groupOf, rolloutProblem, runBatch, type ProgressEvent } from './runner.js';
import type { RewardResult, Rollout } from './types.js';

/** Options of {@link createComposer}. */
export interface ComposerOptions {
  /** Where scorers report choices and fallbacks. */
  logger?: Logger;
  /** Batches in flight per component (>= 1). Overrides the config's `settings.concurrency`. */
  concurrency?: number;
  /** Per-rollout time limit in ms (> 0). Overrides the config's `settings.timeout_ms` (a component's own `timeout_ms` wins). */
  timeoutMs?: number;
  /**
   * Rollouts composed at a time (>= 1; whole groups are never split). Default 1024. Larger inputs
   * are scored chunk after chunk, which bounds memory and keeps garbage collection cheap: a chunk's
   * component results die young. (At 4096 they outlived two young-generation collections on cheap
   * configs and were promoted, which cost 20–35% more CPU time in `bench/composer.bench.ts`.)
   */
  chunkSize?: number;
  /**
   * Folder that relative media paths in rollouts (`media.images`, `media.video`) resolve against:
   * the input file's folder for `mixreward score`, `--media-root` for the server. Default: the
   * working directory. (Model and option paths resolve against the config file's folder.)
   */
  mediaDir?: string;
}

/** Options of one {@link Composer.score} call. */
export interface ComposeRunOptions {
  /** Cancels the run. */
  signal?: AbortSignal;
  /** Called as rollouts finish. */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * How much each result carries. `full` (default): every component's value and sub-scores
   * (`name.sub`), the components' joined `reason`, `steps`. `lean`: `reward`, `status`, each
   * component's value (no sub-scores), `steps`, and a `reason` and `error` only when the status is
   * not `ok`: what a trainer needs per rollout, without the detail (which costs 1 to 6 µs per
   * rollout on cheap components in `bench/composer.bench.ts`).
   */
  detail?: 'full' | 'lean';
}

/** A Mixed-Reward config made runnable: scores rollouts into composed results. */
export interface Composer {
  /** Component names, in config order. */
  readonly components: readonly string[];
  /**
   * Score rollouts: each component runs batched over the rollouts that need it, only when needed
   * (lazy `if`/`gate`/`cascade`), and the mix combines them.
   * @returns one composed result per input, in input order
   */
  score(rollouts: readonly unknown[], options?: ComposeRunOptions): Promise<RewardResult[]>;
  /** Dispose every scorer created so far. */
  dispose(): Promise<void>;
}

interface ComponentState {
  name: string;
  entry: ComponentConfig & { options: unknown };
  scorer: Promise<Scorer> | undefined;
  created: Scorer | undefined;
}

type StatusCounts = Record<RewardResult['status'], number>;

/** Whether `indices` is 0, 1, …, total - 1 in order (a group transform can ask out of order). */
function isEveryPosition(indices: readonly number[], total: number): boolean {
  if (indices.length !== total) return false;
  for (let position = 0; position < total; position++) if (indices[position] !== position) return false;
  return true;
}

/**
 * Make a composer from a validated config. Scorers are created on first need (a model used only
 * in a branch never taken is never loaded); a scorer that cannot be created gives `error` results
 * naming the component, and the other rollouts are still scored.
 */
export function createComposer(validated: ValidatedConfig, registry: Registry, options: ComposerOptions = {}): Composer {
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 1024));
  const logger = options.logger ?? silentLogger;
  const settings = validated.config.settings ?? {};
  const concurrency = options.concurrency ?? settings.concurrency ?? 4;
  const defaultTimeout = options.timeoutMs ?? settings.timeout_ms ?? 30_000;
  const names = [...validated.components.keys()];
  const indexOf = new Map(names.map((name, index) => [name, index]));
  const states: ComponentState[] = names.map((name) => ({ name, entry: validated.components.get(name) as ComponentState['entry'], scorer: undefined, created: undefined }));
  const referenced = referencedComponents(validated.mix);
  const metricOnly = names.filter((name) => !referenced.has(name)).map((name) => indexOf.get(name) as number);
  const table = { indexOf, entries: states.map((state) => state.entry) };
  const root = compileMix(validated.mix, table);
  const prefetch = compilePrefetch(validated.mix, table);
  const assembler = new ResultAssembler(names);

  const scorerFor = (state: ComponentState): Promise<Scorer> => {
    if (!state.scorer) {
      const plugin = registry.get(state.entry.use);
      state.scorer = Promise.resolve()
        .then(() => plugin.create(state.entry.options as never, { baseDir: validated.baseDir, mediaDir: options.mediaDir ?? process.cwd(), logger }))
        .then((scorer) => {
          state.created = scorer;
          return scorer;
        });
      state.scorer.catch(() => undefined);
    }
    return state.scorer;
  };

  /** Run one component over the listed rollouts of a run and store its results there. */
  const runComponent = async (run: RunState, component: number, indices: number[], signal: AbortSignal | undefined) => {
    const state = states[component] as ComponentState;
    const column = run.results[component] as (RewardResult | undefined)[];
    let scorer: Scorer;
    try {
      scorer = await scorerFor(state);
    } catch (error) {
      const fault = RewardError.isInstance(error) ? error : new RewardError('INTERNAL', errorMessage(error), { cause: error });
      const result = failed(new RewardError(fault.code, `could not create ${state.entry.use}: ${fault.message}`), { component: state.name });
      for (const index of indices) column[index] = result;
      return;
    }
    const plugin = registry.get(state.entry.use);
    // Usually a component runs for every rollout of the chunk, in order: no copies then.
    const whole = isEveryPosition(indices, run.rollouts.length);
    const results = await runBatch(
      scorer,
      whole ? run.rollouts : indices.map((index) => run.rollouts[index]),
      {
        concurrency,
        batchSize: state.entry.batch_size ?? plugin.batchSize ?? 32,
        timeoutMs: state.entry.timeout_ms ?? defaultTimeout,
        scope: plugin.scope ?? 'rollout',
        ...(signal ? { signal } : {}),
      },
    );
    if (whole) for (let index = 0; index < results.length; index++) column[index] = results[index];
    else indices.forEach((index, position) => {
      column[index] = results[position] as RewardResult;
    });
  };

  /** Score one chunk: check the rollouts, settle every mix value, assemble the results. */
  async function scoreChunk(input: readonly unknown[], runOptions: ComposeRunOptions, onProgress: ((event: ProgressEvent) => void) | undefined): Promise<RewardResult[]> {
    const total = input.length;
    const lean = runOptions.detail === 'lean';
    const out: RewardResult[] = new Array(total);
    const groups = new Map<string, number[]>();
    const counts: StatusCounts = { ok: 0, skipped: 0, error: 0, timeout: 0 };
    let done = 0;
    const pending: number[] = [];
    for (let index = 0; index < total; index++) {
      const problem = rolloutProblem(input[index]);
      if (problem) {
        const result = failed(new RewardError('INVALID_ROLLOUT', problem));
        out[index] = result;
        counts[result.status] += 1;
        done += 1;
        continue;
      }
      pending.push(index);
      const key = groupOf(input[index] as Rollout);
      if (key !== undefined) {
        const members = groups.get(key);
        if (members) members.push(index);
        else groups.set(key, [index]);
      }
    }
    const run: RunState = { rollouts: input as Rollout[], results: states.map(() => new Array(total)), demand: new Demand(states.length, total), groups, memo: new Map() };
    // Components that no node references are metrics: computed for every rollout.
    for (const component of metricOnly) run.demand.requestAll(component, pending);
    // And what every rollout's first evaluation would ask for, so that round is not spent on `need`.
    if (prefetch.always) for (const component of prefetch.always) run.demand.requestAll(component, pending);
    else for (const index of pending) prefetch.each(run, index);

    const finals = await settle({
      pending,
      total,
      demand: run.demand,
      evaluate: (index) => root(run, index),
      runComponent: (component, indices) => runComponent(run, component, indices, runOptions.signal),
      startRound: () => run.memo.clear(),
      onSettled: (_index, value) => {
        counts[statusOf(value)] += 1;
        done += 1;
      },
      onRound: () => (onProgress ?? runOptions.onProgress)?.({ done, total, counts: { ...counts } }),
    });
    for (let index = 0; index < total; index++) {
      if (out[index] === undefined) out[index] = lean ? assembler.assembleLean(run.results, index, finals[index] as Value) : assembler.assemble(run.results, index, finals[index] as Value);
    }
    return out;
  }

  return {
    components: names,
    async score(input, runOptions = {}) {
      // Large inputs go through the pipeline in chunks: each chunk's component results are composed
      // and released before the next, which bounds memory and keeps garbage collection cheap. A
      // chunk holds whole groups, so group transforms see every member.
      const chunks = chunkIndices(input, chunkSize);
      if (chunks.length === 1) return scoreChunk(input, runOptions, undefined);
      const out: RewardResult[] = new Array(input.length);
      const counts: StatusCounts = { ok: 0, skipped: 0, error: 0, timeout: 0 };
      let done = 0;
      for (const indices of chunks) {
        if (runOptions.signal?.aborted) {
          for (const index of indices) out[index] = failed(new RewardError('ABORTED', 'the run was cancelled'));
          continue;
        }
        const before = { done, counts: { ...counts } };
        const results = await scoreChunk(indices.map((index) => input[index]), runOptions, (event) => runOptions.onProgress?.({
          done: before.done + event.done,
          total: input.length,
          counts: {
            ok: before.counts.ok + event.counts.ok,
            skipped: before.counts.skipped + event.counts.skipped,
            error: before.counts.error + event.counts.error,
            timeout: before.counts.timeout + event.counts.timeout,
          },
        }));
        indices.forEach((index, position) => {
          const result = results[position] as RewardResult;
          out[index] = result;
          counts[result.status] += 1;
        });
        done += indices.length;
      }
      return out;
    },
    async dispose() {
      await Promise.all(states.map(async (state) => {
        const scorer = state.created;
        state.scorer = undefined;
        state.created = undefined;
        await scorer?.dispose?.();
      }));
    },
  };
}
