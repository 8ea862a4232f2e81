import { RewardError, errorMessage } from './errors.js';
import type { CompiledNode, ComponentConfig, ValidatedConfig } from './config.js';
import { compileFormula, type CompiledFormula, type FormulaAst } from './formula.js';
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
   * Rollouts composed at a time (>= 1; whole groups are never split). Default 4096. Larger inputs
   * are scored chunk after chunk, which bounds memory.
   */
  chunkSize?: number;
}

/** Options of one {@link Composer.score} call. */
export interface ComposeRunOptions {
  /** Cancels the run. */
  signal?: AbortSignal;
  /** Called as rollouts finish. */
  onProgress?: (event: ProgressEvent) => void;
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

interface SkipMarker { readonly kind: 'skip'; readonly reason: string }
interface NeedMarker { readonly kind: 'need' }
interface FailMarker { readonly kind: 'fail'; readonly status: 'error' | 'timeout'; readonly code: string; readonly component: string | undefined; readonly reason: string }
type Marker = SkipMarker | NeedMarker | FailMarker;
type Value = number | Marker;

const NEED: NeedMarker = { kind: 'need' };

interface ComponentState {
  name: string;
  entry: ComponentConfig & { options: unknown };
  scorer: Promise<Scorer> | undefined;
  created: Scorer | undefined;
}

type Evaluator = (index: number) => Value;

interface RunState {
  rollouts: readonly Rollout[];
  cache: (RewardResult | undefined)[][];
  requested: Uint8Array[];
  needs: number[][];
  groups: Map<string, number[]>;
  memo: Map<CompiledNode, Value[]>;
}

function emptyRun(): RunState {
  return { rollouts: [], cache: [], requested: [], needs: [], groups: new Map(), memo: new Map() };
}

/**
 * Make a composer from a validated config. Scorers are created on first need (a model used only
 * in a branch never taken is never loaded); a scorer that cannot be created gives `error` results
 * naming the component, and the other rollouts are still scored.
 */
export function createComposer(validated: ValidatedConfig, registry: Registry, options: ComposerOptions = {}): Composer {
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 4096));
  const logger = options.logger ?? silentLogger;
  const settings = validated.config.settings ?? {};
  const concurrency = options.concurrency ?? settings.concurrency ?? 4;
  const defaultTimeout = options.timeoutMs ?? settings.timeout_ms ?? 30_000;
  const names = [...validated.components.keys()];
  const indexOf = new Map(names.map((name, index) => [name, index]));
  const states: ComponentState[] = names.map((name) => ({ name, entry: validated.components.get(name) as ComponentState['entry'], scorer: undefined, created: undefined }));
  const referenced = referencedComponents(validated.mix);
  const metricOnly = names.filter((name) => !referenced.has(name)).map((name) => indexOf.get(name) as number);

  // The state of one score() call. Evaluation is synchronous, so the compiled closures read the run
  // being evaluated from `active`, which every synchronous pass sets first; concurrent score() calls
  // each keep their own RunState across their awaits.
  let active: RunState = emptyRun();

  // Names are resolved once: `accuracy` or `accuracy.sub` -> component index and sub-score.
  const resolved = new Map<string, { component: number; base: string; sub: string | undefined }>();
  const resolve = (name: string) => {
    let entry = resolved.get(name);
    if (entry === undefined) {
      const dot = name.indexOf('.');
      const base = dot < 0 ? name : name.slice(0, dot);
      entry = { component: indexOf.get(base) as number, base, sub: dot < 0 ? undefined : name.slice(dot + 1) };
      resolved.set(name, entry);
    }
    return entry;
  };
  const lookup = (index: number, name: string): Value => {
    const { component, base, sub } = resolve(name);
    const result = (active.cache[component] as (RewardResult | undefined)[])[index];
    if (result === undefined) {
      const flags = active.requested[component] as Uint8Array;
      if (flags[index] === 0) {
        flags[index] = 1;
        (active.needs[component] as number[]).push(index);
      }
      return NEED;
    }
    if (result.status !== 'ok') {
      if (result.status === 'skipped') return { kind: 'skip', reason: `${base}: ${result.reason ?? 'skipped'}` };
      const onError = (states[component] as ComponentState).entry.on_error ?? 'fail';
      if (onError === 'zero') return 0;
      if (onError === 'skip') return { kind: 'skip', reason: `${base} failed and on_error is skip: ${result.reason ?? result.status}` };
      return { kind: 'fail', status: result.status, code: result.error?.code ?? 'INTERNAL', component: base, reason: `component ${base} ${result.status === 'timeout' ? 'timed out' : 'failed'}: ${result.reason ?? ''}` };
    }
    if (sub === undefined) return result.reward as number;
    const value = result.components?.[sub];
    if (typeof value === 'number') return value;
    return { kind: 'skip', reason: `${base} has no sub-score "${sub}"` };
  };

  const compileNodeEvaluator = (node: CompiledNode): Evaluator => {
    switch (node.kind) {
      case 'formula': {
        const formula = compileFormula<Marker>(node.tree) as CompiledFormula<Marker>;
        let current = 0;
        const get = (name: string) => lookup(current, name);
        return (index) => {
          current = index;
          return formula(get);
        };
      }
      case 'sum': {
        const weights = node.weights.map(([name, weight]) => [indexOf.get(name) as number, name, weight] as const);
        const totalWeight = weights.reduce((sum, [, , weight]) => sum + Math.abs(weight), 0);
        return (index) => {
          let sum = 0;
          let included = 0;
          let anyWeighted = false;
          let marker: Marker | undefined;
          let skipReason: string | undefined;
          for (const [, name, weight] of weights) {
            const value = lookup(index, name);
            if (typeof value === 'number') {
              sum += weight * value;
              if (weight !== 0) {
                included += Math.abs(weight);
                anyWeighted = true;
              }
            } else if (value.kind === 'skip') skipReason ??= value.reason;
            else if (marker === undefined || value.kind === 'need') marker = value;
          }
          if (marker !== undefined) return marker;
          if (!anyWeighted && totalWeight > 0) return { kind: 'skip', reason: skipReason ?? 'every weighted component was skipped' };
          if (node.renormalize && included > 0 && included < totalWeight) return (sum * totalWeight) / included;
          return sum;
        };
      }
      case 'route': {
        const routes = new Map([...node.routes].map(([task, child]) => [task, compileNodeEvaluator(child)]));
        const fallback = node.fallback ? compileNodeEvaluator(node.fallback) : undefined;
        const known = [...node.routes.keys()].join(', ');
        return (index) => {
          const task = (active.rollouts[index] as Rollout).task;
          const route = (typeof task === 'string' ? routes.get(task) : undefined) ?? fallback;
          if (route) return route(index);
          return {
            kind: 'fail', status: 'error', code: 'UNKNOWN_TASK', component: undefined,
            reason: `${node.path}: no route for task ${task === undefined ? '(none)' : JSON.stringify(task)} and no default (routes: ${known})`,
          };
        };
      }
      case 'gate': {
        const condition = compileNodeEvaluator({ kind: 'formula', source: node.when.source, tree: node.when.tree, path: `${node.path}.gate.when` });
        const then = compileNodeEvaluator(node.then);
        const otherwise = compileNodeEvaluator(node.otherwise);
        return (index) => {
          const value = condition(index);
          if (typeof value !== 'number') return value;
          return value !== 0 ? then(index) : otherwise(index);
        };
      }
      case 'cascade': {
        return (index) => {
          let lastFailure: Marker | undefined;
          for (const name of node.names) {
            const component = indexOf.get(name) as number;
            const result = (active.cache[component] as (RewardResult | undefined)[])[index];
            if (result === undefined) return lookup(index, name);
            if (result.status === 'ok') return result.reward as number;
            const value = lookup(index, name);
            if (typeof value === 'number') return value;
            if (lastFailure === undefined || lastFailure.kind === 'skip') lastFailure = value;
          }
          return lastFailure ?? { kind: 'skip', reason: 'no component of the cascade applied' };
        };
      }
      case 'transform': {
        const inner = compileNodeEvaluator(node.inner);
        const { group, threshold, scale, shift, clamp } = node.options;
        const finish = (value: number) => {
          let out = value;
          if (threshold !== undefined) out = out >= threshold ? 1 : 0;
          if (scale !== undefined) out *= scale;
          if (shift !== undefined) out += shift;
          if (clamp !== undefined) out = Math.min(Math.max(out, clamp[0]), clamp[1]);
          return out;
        };
        if (group === undefined) {
          return (index) => {
            const value = inner(index);
            return typeof value === 'number' ? finish(value) : value;
          };
        }
        return (index) => {
          const key = groupOf(active.rollouts[index] as Rollout);
          const members = key === undefined ? [index] : (active.groups.get(key) as number[]);
          let values = active.memo.get(node);
          if (!values) {
            values = new Array(active.rollouts.length);
            active.memo.set(node, values);
          }
          let waiting = false;
          for (const member of members) {
            if (values[member] === undefined) values[member] = inner(member);
            if (values[member] === NEED) waiting = true;
          }
          const own = values[index] as Value;
          if (typeof own !== 'number') return own;
          if (waiting) return NEED;
          const numeric = members.map((member) => (values as Value[])[member]).filter((value): value is number => typeof value === 'number');
          return finish(group === 'rank' ? rankOf(own, numeric) : zscoreOf(own, numeric));
        };
      }
    }
  };

  const root = compileNodeEvaluator(validated.mix);
  // `name.sub` keys, made once per (component, sub-score).
  const subKeys = states.map(() => new Map<string, string>());
  const subKey = (component: number, name: string, sub: string) => {
    const keys = subKeys[component] as Map<string, string>;
    let key = keys.get(sub);
    if (key === undefined) {
      key = `${name}.${sub}`;
      keys.set(sub, key);
    }
    return key;
  };

  const scorerFor = (state: ComponentState): Promise<Scorer> => {
    if (!state.scorer) {
      const plugin = registry.get(state.entry.use);
      state.scorer = Promise.resolve()
        .then(() => plugin.create(state.entry.options as never, { baseDir: validated.baseDir, logger }))
        .then((scorer) => {
          state.created = scorer;
          return scorer;
        });
      state.scorer.catch(() => undefined);
    }
    return state.scorer;
  };

  const runComponent = async (run: RunState, component: number, indices: number[], signal: AbortSignal | undefined) => {
    const state = states[component] as ComponentState;
    const column = run.cache[component] as (RewardResult | undefined)[];
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
    const results = await runBatch(
      scorer,
      indices.map((index) => run.rollouts[index]),
      {
        concurrency,
        batchSize: state.entry.batch_size ?? plugin.batchSize ?? 32,
        timeoutMs: state.entry.timeout_ms ?? defaultTimeout,
        scope: plugin.scope ?? 'rollout',
        ...(signal ? { signal } : {}),
      },
    );
    indices.forEach((index, position) => {
      column[index] = results[position] as RewardResult;
    });
  };

  async function scoreChunk(input: readonly unknown[], runOptions: ComposeRunOptions, onProgress: ((event: ProgressEvent) => void) | undefined): Promise<RewardResult[]> {
    const total = input.length;
    const out: RewardResult[] = new Array(total);
    const run: RunState = { rollouts: input as Rollout[], cache: states.map(() => new Array(total)), requested: [], needs: [], groups: new Map(), memo: new Map() };
    const counts = { ok: 0, skipped: 0, error: 0, timeout: 0 };
    let done = 0;
    let pending: number[] = [];
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
        const members = run.groups.get(key);
        if (members) members.push(index);
        else run.groups.set(key, [index]);
      }
    }
    // Components that no node references are metrics: computed for every rollout.
    run.needs = states.map(() => []);
    for (const component of metricOnly) (run.needs[component] as number[]).push(...pending);
    run.requested = states.map(() => new Uint8Array(total));
    for (const component of metricOnly) for (const index of pending) (run.requested[component] as Uint8Array)[index] = 1;

    const finals: Value[] = new Array(total);
    for (let round = 0; pending.length > 0; round++) {
      run.memo = new Map();
      active = run;
      const stillPending: number[] = [];
      for (const index of pending) {
        const value = root(index);
        if (value === NEED) stillPending.push(index);
        else {
          finals[index] = value;
          counts[statusOf(value)] += 1;
          done += 1;
        }
      }
      const work: Promise<void>[] = [];
      run.needs.forEach((indices, component) => {
        if (indices.length > 0) work.push(runComponent(run, component, indices, runOptions.signal));
      });
      run.needs = states.map(() => []);
      if (work.length === 0 && stillPending.length > 0) {
        throw new RewardError('INTERNAL', 'the mix is waiting on components that were never requested');
      }
      await Promise.all(work);
      if (stillPending.length < pending.length || work.length > 0) (onProgress ?? runOptions.onProgress)?.({ done, total, counts: { ...counts } });
      pending = stillPending;
    }
    active = run;
    for (let index = 0; index < total; index++) {
      if (out[index] === undefined) out[index] = composeResult(index, finals[index] as Value);
    }
    active = emptyRun();
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
      const counts = { ok: 0, skipped: 0, error: 0, timeout: 0 };
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



  function composeResult(index: number, value: Value): RewardResult {
    const cache = active.cache;
    const components: Record<string, number | null> = {};
    let steps: number[] | undefined;
    let reason = '';
    for (let component = 0; component < states.length; component++) {
      const result = (cache[component] as (RewardResult | undefined)[])[index];
      if (result === undefined) continue;
      const name = (states[component] as ComponentState).name;
      components[name] = result.status === 'ok' ? result.reward : null;
      const subScores = result.components;
      if (subScores !== undefined) for (const sub in subScores) components[subKey(component, name, sub)] = subScores[sub] as number | null;
      if (steps === undefined && result.steps !== undefined) steps = result.steps;
      if (result.reason) reason = reason === '' ? `${name}: ${result.reason}` : `${reason}; ${name}: ${result.reason}`;
    }
    let out: RewardResult;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) {
        out = { reward: value, status: 'ok', components };
        if (reason !== '') out.reason = reason;
      } else {
        out = { reward: null, status: 'error', components, reason: `the mix produced ${value} (check divisions, logs and powers in formulas)`, error: { code: 'INTERNAL' } };
      }
    } else if (value.kind === 'skip') out = { reward: null, status: 'skipped', components, reason: value.reason };
    else if (value.kind === 'fail') {
      out = { reward: null, status: value.status, components, reason: value.reason, error: value.component === undefined ? { code: value.code } : { code: value.code, component: value.component } };
    } else out = { reward: null, status: 'error', components, reason: 'the mix did not settle', error: { code: 'INTERNAL' } };
    if (steps !== undefined) out.steps = steps;
    return out;
  }

}

/** Split input positions into chunks of about `size`, keeping every group whole and input order within a chunk. */
function chunkIndices(input: readonly unknown[], size: number): number[][] {
  if (input.length <= size) return [Array.from({ length: input.length }, (_, index) => index)];
  const grouped = input.some((item) => typeof item === 'object' && item !== null && groupOf(item as Rollout) !== undefined);
  if (!grouped) {
    const chunks: number[][] = [];
    for (let start = 0; start < input.length; start += size) {
      chunks.push(Array.from({ length: Math.min(size, input.length - start) }, (_, offset) => start + offset));
    }
    return chunks;
  }
  const byGroup = new Map<string, number[]>();
  const units: number[][] = [];
  input.forEach((item, index) => {
    const key = typeof item === 'object' && item !== null ? groupOf(item as Rollout) : undefined;
    if (key === undefined) return units.push([index]);
    const members = byGroup.get(key);
    if (members) members.push(index);
    else {
      const created = [index];
      byGroup.set(key, created);
      units.push(created);
    }
  });
  const chunks: number[][] = [];
  let current: number[] = [];
  for (const unit of units) {
    if (current.length > 0 && current.length + unit.length > size) {
      chunks.push(current);
      current = [];
    }
    current.push(...unit);
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((chunk) => chunk.sort((a, b) => a - b));
}

function statusOf(value: Value): RewardResult['status'] {
  if (typeof value === 'number') return Number.isFinite(value) ? 'ok' : 'error';
  if (value.kind === 'skip') return 'skipped';
  if (value.kind === 'fail') return value.status;
  return 'error';
}

function referencedComponents(node: CompiledNode, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'formula':
      collectNames(node.tree, into);
      break;
    case 'sum':
      for (const [name] of node.weights) into.add(name);
      break;
    case 'route':
      for (const child of node.routes.values()) referencedComponents(child, into);
      if (node.fallback) referencedComponents(node.fallback, into);
      break;
    case 'gate':
      collectNames(node.when.tree, into);
      referencedComponents(node.then, into);
      referencedComponents(node.otherwise, into);
      break;
    case 'cascade':
      for (const name of node.names) into.add(name);
      break;
    case 'transform':
      referencedComponents(node.inner, into);
      break;
  }
  return into;
}

function collectNames(tree: FormulaAst, into: Set<string>): void {
  if (tree.type === 'name') into.add(tree.name.split('.')[0] as string);
  else if (tree.type === 'unary') collectNames(tree.operand, into);
  else if (tree.type === 'binary') {
    collectNames(tree.left, into);
    collectNames(tree.right, into);
  } else if (tree.type === 'call') tree.args.forEach((arg) => collectNames(arg, into));
}

/** Rank of a value among values, in [0, 1]: ties get their average rank; 0.5 when there is one value. */
export function rankOf(value: number, values: readonly number[]): number {
  if (values.length <= 1) return 0.5;
  let below = 0;
  let equal = 0;
  for (const other of values) {
    if (other < value) below++;
    else if (other === value) equal++;
  }
  return (below + (equal - 1) / 2) / (values.length - 1);
}

/** (value - mean) / sample standard deviation (n - 1, as TRL's and verl's GRPO); 0 when the std is 0 or there is one value. */
export function zscoreOf(value: number, values: readonly number[]): number {
  const count = values.length;
  if (count <= 1) return 0;
  const mean = values.reduce((sum, other) => sum + other, 0) / count;
  const variance = values.reduce((sum, other) => sum + (other - mean) ** 2, 0) / (count - 1);
  const std = Math.sqrt(variance);
  return std === 0 ? 0 : (value - mean) / std;
}
