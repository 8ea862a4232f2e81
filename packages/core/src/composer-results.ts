// Result assembly: one composed result per rollout from its settled mix value and every component
// result computed for it (`components` with sub-scores as `name.sub`, the joined `reason`, `steps`).
import type { Value } from './composer-values.js';
import type { RewardResult } from './types.js';

/** Assembles composed results; holds the `name.sub` keys, made once per (component, sub-score). */
export class ResultAssembler {
  private readonly subKeys: Map<string, string>[];

  /** @param names component names, in config order */
  constructor(private readonly names: readonly string[]) {
    this.subKeys = names.map(() => new Map());
  }

  private subKey(component: number, sub: string): string {
    const keys = this.subKeys[component] as Map<string, string>;
    let key = keys.get(sub);
    if (key === undefined) {
      key = `${this.names[component] as string}.${sub}`;
      keys.set(sub, key);
    }
    return key;
  }

  /**
   * The composed result of one rollout.
   * @param results `results[component][index]`, as the run left them
   * @param index the rollout's position in the run
   * @param value its settled mix value
   */
  assemble(results: readonly (RewardResult | undefined)[][], index: number, value: Value): RewardResult {
    const components: Record<string, number | null> = {};
    let steps: number[] | undefined;
    // Reasons are joined once at the end: a flat string, where chained concatenation would keep a
    // tree of parts (and the component results they point into) alive with the result.
    let reasons: string[] | undefined;
    for (let component = 0; component < this.names.length; component++) {
      const result = (results[component] as (RewardResult | undefined)[])[index];
      if (result === undefined) continue;
      const name = this.names[component] as string;
      components[name] = result.status === 'ok' ? result.reward : null;
      const subScores = result.components;
      if (subScores !== undefined) for (const sub in subScores) components[this.subKey(component, sub)] = subScores[sub] as number | null;
      if (steps === undefined && result.steps !== undefined) steps = result.steps;
      if (result.reason) (reasons ??= []).push(`${name}: ${result.reason}`);
    }
    const reason = reasons === undefined ? '' : reasons.join('; ');
    return this.finish(value, components, reason, steps);
  }

  /**
   * The lean composed result of one rollout (`detail: 'lean'`): the reward, the status, each
   * component's value without sub-scores, `steps`, and a reason and error only when not `ok`.
   * @param results `results[component][index]`, as the run left them
   * @param index the rollout's position in the run
   * @param value its settled mix value
   */
  assembleLean(results: readonly (RewardResult | undefined)[][], index: number, value: Value): RewardResult {
    const components: Record<string, number | null> = {};
    let steps: number[] | undefined;
    for (let component = 0; component < this.names.length; component++) {
      const result = (results[component] as (RewardResult | undefined)[])[index];
      if (result === undefined) continue;
      components[this.names[component] as string] = result.status === 'ok' ? result.reward : null;
      if (steps === undefined && result.steps !== undefined) steps = result.steps;
    }
    return this.finish(value, components, '', steps);
  }

  private finish(value: Value, components: Record<string, number | null>, reason: string, steps: number[] | undefined): RewardResult {
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
