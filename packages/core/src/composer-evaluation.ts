// Node evaluation: the compiled `mix` tree as functions of (run, rollout position). Every piece of
// run state (component results, demand, groups, per-round memos) arrives in the `RunState`
// argument; the compiled tree itself holds only what the config fixed.
import type { CompiledNode, ComponentConfig } from './config.js';
import type { Demand } from './composer-demand.js';
import { NEED, type Marker, type Value } from './composer-values.js';
import { compileFormula, type CompiledFormula, type FormulaAst } from './formula.js';
import { rankOf, zscoreOf } from './group-statistics.js';
import { groupOf } from './runner.js';
import type { RewardResult, Rollout } from './types.js';

/** The state of one composed run (one chunk of one `score` call). */
export interface RunState {
  /** The rollouts, by position. */
  readonly rollouts: readonly Rollout[];
  /** `results[component][position]`: a component's result once it has run for that rollout. */
  readonly results: readonly (RewardResult | undefined)[][];
  /** Components asked for and not yet run. */
  readonly demand: Demand;
  /** Positions of the members of each group (`meta.group`). */
  readonly groups: ReadonlyMap<string, number[]>;
  /** Per-round memo of group transforms' inner values; cleared before each round. */
  readonly memo: Map<CompiledNode, Value[]>;
}

/** A compiled node: the value of one rollout of a run. */
export type Evaluator = (run: RunState, index: number) => Value;

/** What node compilation needs to know about the components. */
export interface ComponentTable {
  /** Component name -> position in config order. */
  indexOf: ReadonlyMap<string, number>;
  /** Each component's entry (for `on_error`), in config order. */
  entries: readonly ComponentConfig[];
}

/** Compile a mix tree into one evaluator. */
export function compileMix(node: CompiledNode, table: ComponentTable): Evaluator {
  // Names are resolved once: `accuracy` or `accuracy.sub` -> component position and sub-score.
  const resolved = new Map<string, { component: number; base: string; sub: string | undefined; onError: 'fail' | 'skip' | 'zero' }>();
  const resolve = (name: string) => {
    let entry = resolved.get(name);
    if (entry === undefined) {
      const dot = name.indexOf('.');
      const base = dot < 0 ? name : name.slice(0, dot);
      const component = table.indexOf.get(base) as number;
      entry = { component, base, sub: dot < 0 ? undefined : name.slice(dot + 1), onError: (table.entries[component] as ComponentConfig).on_error ?? 'fail' };
      resolved.set(name, entry);
    }
    return entry;
  };

  /** A component's value for one rollout, or `need` after asking for it. */
  const lookup = (run: RunState, index: number, name: string): Value => {
    const { component, base, sub, onError } = resolve(name);
    const result = (run.results[component] as (RewardResult | undefined)[])[index];
    if (result === undefined) {
      run.demand.request(component, index);
      return NEED;
    }
    if (result.status !== 'ok') {
      if (result.status === 'skipped') return { kind: 'skip', reason: `${base}: ${result.reason ?? 'skipped'}` };
      if (onError === 'zero') return 0;
      if (onError === 'skip') return { kind: 'skip', reason: `${base} failed and on_error is skip: ${result.reason ?? result.status}` };
      return { kind: 'fail', status: result.status, code: result.error?.code ?? 'INTERNAL', component: base, reason: `component ${base} ${result.status === 'timeout' ? 'timed out' : 'failed'}: ${result.reason ?? ''}` };
    }
    if (sub === undefined) return result.reward as number;
    const value = result.components?.[sub];
    if (typeof value === 'number') return value;
    return { kind: 'skip', reason: `${base} has no sub-score "${sub}"` };
  };

  const compile = (node: CompiledNode): Evaluator => {
    switch (node.kind) {
      case 'formula': {
        const formula = compileFormula<Marker>(node.tree) as CompiledFormula<Marker>;
        // One bound lookup per node, not a closure per evaluation: evaluation is synchronous and a
        // formula's lookups never evaluate another node, so the current rollout can live here.
        let currentRun: RunState | undefined;
        let currentIndex = 0;
        const bound = (name: string) => lookup(currentRun as RunState, currentIndex, name);
        return (run, index) => {
          currentRun = run;
          currentIndex = index;
          const value = formula(bound);
          currentRun = undefined;
          return value;
        };
      }
      case 'sum': {
        const weights = node.weights;
        const totalWeight = weights.reduce((sum, [, weight]) => sum + Math.abs(weight), 0);
        return (run, index) => {
          let sum = 0;
          let included = 0;
          let anyWeighted = false;
          let marker: Marker | undefined;
          let skipReason: string | undefined;
          for (const [name, weight] of weights) {
            const value = lookup(run, index, name);
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
        const routes = new Map([...node.routes].map(([task, child]) => [task, compile(child)]));
        const fallback = node.fallback ? compile(node.fallback) : undefined;
        const known = [...node.routes.keys()].join(', ');
        return (run, index) => {
          const task = (run.rollouts[index] as Rollout).task;
          const route = (typeof task === 'string' ? routes.get(task) : undefined) ?? fallback;
          if (route) return route(run, index);
          return {
            kind: 'fail', status: 'error', code: 'UNKNOWN_TASK', component: undefined,
            reason: `${node.path}: no route for task ${task === undefined ? '(none)' : JSON.stringify(task)} and no default (routes: ${known})`,
          };
        };
      }
      case 'gate': {
        const condition = compile({ kind: 'formula', source: node.when.source, tree: node.when.tree, path: `${node.path}.gate.when` });
        const then = compile(node.then);
        const otherwise = compile(node.otherwise);
        return (run, index) => {
          const value = condition(run, index);
          if (typeof value !== 'number') return value;
          return value !== 0 ? then(run, index) : otherwise(run, index);
        };
      }
      case 'cascade': {
        const components = node.names.map((name) => table.indexOf.get(name) as number);
        return (run, index) => {
          let lastFailure: Marker | undefined;
          for (let position = 0; position < components.length; position++) {
            const name = node.names[position] as string;
            const result = (run.results[components[position] as number] as (RewardResult | undefined)[])[index];
            if (result === undefined) return lookup(run, index, name);
            if (result.status === 'ok') return result.reward as number;
            const value = lookup(run, index, name);
            if (typeof value === 'number') return value;
            if (lastFailure === undefined || lastFailure.kind === 'skip') lastFailure = value;
          }
          return lastFailure ?? { kind: 'skip', reason: 'no component of the cascade applied' };
        };
      }
      case 'transform': {
        const inner = compile(node.inner);
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
          return (run, index) => {
            const value = inner(run, index);
            return typeof value === 'number' ? finish(value) : value;
          };
        }
        return (run, index) => {
          const key = groupOf(run.rollouts[index] as Rollout);
          const members = key === undefined ? [index] : (run.groups.get(key) as number[]);
          let values = run.memo.get(node);
          if (!values) {
            values = new Array(run.rollouts.length);
            run.memo.set(node, values);
          }
          let waiting = false;
          for (const member of members) {
            if (values[member] === undefined) values[member] = inner(run, member);
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
  return compile(node);
}

/** Requests, for one rollout, what its first evaluation round would request. */
export type Prefetcher = (run: RunState, index: number) => void;

/** A mix tree's first-round demand, compiled by {@link compilePrefetch}. */
export interface Prefetch {
  /** Requests it for one rollout. */
  each: Prefetcher;
  /** The components it requests for every rollout whatever its task (undefined under a route), so a caller can request them for all rollouts in one pass. */
  always: readonly number[] | undefined;
}

/**
 * Compile a mix tree into its first-round demand: the components that evaluating the tree with
 * nothing computed yet would request for a rollout (both sides of arithmetic, every argument of a
 * math function, the left of `and`/`or`, the condition of `if`, the first of `default`, a gate's
 * `when`, a cascade's first member, the routed child for the rollout's task). Requesting these up
 * front skips an evaluation round in which every lookup would only answer `need`; the components
 * run, and in the rounds that follow, are exactly those the evaluation alone would run.
 */
export function compilePrefetch(node: CompiledNode, table: ComponentTable): Prefetch {
  switch (node.kind) {
    case 'route': {
      const routes = new Map([...node.routes].map(([task, child]) => [task, compilePrefetch(child, table).each]));
      const fallback = node.fallback ? compilePrefetch(node.fallback, table).each : undefined;
      const each: Prefetcher = (run, index) => {
        const task = (run.rollouts[index] as Rollout).task;
        const route = (typeof task === 'string' ? routes.get(task) : undefined) ?? fallback;
        route?.(run, index);
      };
      return { each, always: undefined };
    }
    case 'transform':
      // A group transform evaluates its inner node for every member, and every member is pending.
      return compilePrefetch(node.inner, table);
    default: {
      const names = node.kind === 'formula' ? firstRoundNames(node.tree) : node.kind === 'sum' ? node.weights.map(([name]) => name) : node.kind === 'gate' ? firstRoundNames(node.when.tree) : node.names.slice(0, 1);
      const always = [...new Set(names.map((name) => table.indexOf.get(name.split('.')[0] as string) as number))];
      const each: Prefetcher = (run, index) => {
        for (const component of always) run.demand.request(component, index);
      };
      return { each, always };
    }
  }
}

/** The names a formula looks up when every lookup answers `need` (see {@link compileFormula}). */
function firstRoundNames(tree: FormulaAst, into: string[] = []): string[] {
  switch (tree.type) {
    case 'name':
      into.push(tree.name);
      break;
    case 'unary':
      firstRoundNames(tree.operand, into);
      break;
    case 'binary':
      firstRoundNames(tree.left, into);
      if (tree.operator !== 'and' && tree.operator !== 'or') firstRoundNames(tree.right, into);
      break;
    case 'call':
      if (tree.name === 'if' || tree.name === 'default') firstRoundNames(tree.args[0] as FormulaAst, into);
      else tree.args.forEach((arg) => firstRoundNames(arg, into));
      break;
    default:
      break;
  }
  return into;
}

/** The components a mix tree names; the others are metrics, computed for every rollout. */
export function referencedComponents(node: CompiledNode, into = new Set<string>()): Set<string> {
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
