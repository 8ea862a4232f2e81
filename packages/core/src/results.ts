import { RewardError, errorMessage } from './errors.js';
import type { RewardResult } from './types.js';

/** Extra fields of a result. */
export interface ResultDetails {
  /** Named sub-scores. */
  components?: Record<string, number | null>;
  /** Why. */
  reason?: string;
  /** Step rewards. */
  steps?: number[];
}

/**
 * An `ok` result.
 * @param reward the reward; must be a finite number (a NaN or infinity becomes an `error` result)
 */
export function ok(reward: number, details: ResultDetails = {}): RewardResult {
  if (!Number.isFinite(reward)) {
    return { reward: null, status: 'error', reason: `reward is not a finite number (${reward})`, error: { code: 'INTERNAL' }, ...pick(details) };
  }
  const result: RewardResult = { reward, status: 'ok' };
  if (details.components !== undefined) result.components = details.components;
  if (details.reason !== undefined) result.reason = details.reason;
  if (details.steps !== undefined) result.steps = details.steps;
  return result;
}

/** A `skipped` result: the reward does not apply, or the reference is unusable. Never a 0. */
export function skipped(reason: string, details: Omit<ResultDetails, 'reason'> = {}): RewardResult {
  return { reward: null, status: 'skipped', reason, ...pick(details) };
}

/** An `error` result from any thrown value; a {@link RewardError}'s code is kept. */
export function failed(error: unknown, details: Omit<ResultDetails, 'reason'> & { component?: string } = {}): RewardResult {
  const code = RewardError.isInstance(error) ? error.code : 'INTERNAL';
  const status = code === 'TIMEOUT' ? 'timeout' : 'error';
  const { component, ...rest } = details;
  return {
    reward: null,
    status,
    reason: errorMessage(error),
    error: component === undefined ? { code } : { code, component },
    ...pick(rest),
  };
}

/** A `timeout` result. */
export function timedOut(limitMs: number, details: Omit<ResultDetails, 'reason'> = {}): RewardResult {
  return { reward: null, status: 'timeout', reason: `time limit of ${limitMs} ms exceeded`, error: { code: 'TIMEOUT' }, ...pick(details) };
}

function pick(details: ResultDetails): ResultDetails {
  const out: ResultDetails = {};
  if (details.components !== undefined) out.components = details.components;
  if (details.reason !== undefined) out.reason = details.reason;
  if (details.steps !== undefined) out.steps = details.steps;
  return out;
}
