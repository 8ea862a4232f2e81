// Demand scheduling: which component must run for which rollouts, round after round, until every
// rollout's mix value has settled. Evaluation records demand (a component a node needed and did not
// have); a round then runs each demanded component once, batched over every rollout waiting on it.
import { RewardError } from './errors.js';
import { NEED, type Value } from './composer-values.js';

/** The components requested for the rollouts of one run, each (component, rollout) at most once. */
export class Demand {
  private readonly requested: Uint8Array[];
  private needs: number[][];

  /**
   * @param componentCount components of the config, >= 0
   * @param rolloutCount rollouts of the run, >= 0
   */
  constructor(componentCount: number, rolloutCount: number) {
    this.requested = Array.from({ length: componentCount }, () => new Uint8Array(rolloutCount));
    this.needs = Array.from({ length: componentCount }, () => []);
  }

  /** Ask for a component's result for one rollout (once; later asks are ignored). */
  request(component: number, index: number): void {
    const flags = this.requested[component] as Uint8Array;
    if (flags[index] === 0) {
      flags[index] = 1;
      (this.needs[component] as number[]).push(index);
    }
  }

  /** Ask for a component's result for every listed rollout (metric-only components). */
  requestAll(component: number, indices: readonly number[]): void {
    const flags = this.requested[component] as Uint8Array;
    const needs = this.needs[component] as number[];
    for (const index of indices) {
      if (flags[index] === 0) {
        flags[index] = 1;
        needs.push(index);
      }
    }
  }

  /** The rollouts asked for since the last call, per component; clears them. */
  take(): number[][] {
    const needs = this.needs;
    this.needs = needs.map(() => []);
    return needs;
  }
}

/**
 * Evaluate the pending rollouts, run what they demanded, and repeat until every value settles.
 * @returns the settled value of each pending position (indexed by position; other slots empty)
 */
export async function settle(options: {
  /** Rollout positions to settle. */
  pending: number[];
  /** Rollouts in the run (the length of the returned array), >= 0. */
  total: number;
  /** Where evaluation records what it needs. */
  demand: Demand;
  /** One rollout's mix value; returns `need` after recording demand. */
  evaluate: (index: number) => Value;
  /** Runs one component over the listed rollouts and stores its results. */
  runComponent: (component: number, indices: number[]) => Promise<void>;
  /** Called before each round (clears per-round memos). */
  startRound: () => void;
  /** Called for each rollout as its value settles. */
  onSettled: (index: number, value: Value) => void;
  /** Called after each round that settled rollouts or ran components. */
  onRound: () => void;
}): Promise<Value[]> {
  const { demand, evaluate, runComponent, startRound, onSettled, onRound } = options;
  const finals: Value[] = new Array(options.total);
  let pending = options.pending;
  // What was requested before the first round (metrics, the mix's first-round demand) runs before
  // any evaluation, so the first round already finds those results.
  const work: Promise<void>[] = [];
  demand.take().forEach((indices, component) => {
    if (indices.length > 0) work.push(runComponent(component, indices));
  });
  await Promise.all(work);
  while (pending.length > 0) {
    startRound();
    const stillPending: number[] = [];
    for (const index of pending) {
      const value = evaluate(index);
      if (value === NEED) stillPending.push(index);
      else {
        finals[index] = value;
        onSettled(index, value);
      }
    }
    const work: Promise<void>[] = [];
    demand.take().forEach((indices, component) => {
      if (indices.length > 0) work.push(runComponent(component, indices));
    });
    if (work.length === 0 && stillPending.length > 0) {
      throw new RewardError('INTERNAL', 'the mix is waiting on components that were never requested');
    }
    await Promise.all(work);
    if (stillPending.length < pending.length || work.length > 0) onRound();
    pending = stillPending;
  }
  return finals;
}
