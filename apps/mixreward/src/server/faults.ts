import type { RewardResult } from '@mixreward/core';

/** Fault codes that a retry or a restart may fix: the server answers them with HTTP 503. */
export const infrastructureCodes: ReadonlySet<string> = new Set(['MODEL_UNAVAILABLE', 'SANDBOX_UNAVAILABLE', 'DEPENDENCY_UNAVAILABLE', 'WORKER_FAILED', 'INTERNAL', 'ABORTED', 'TIMEOUT']);

/** The HTTP answer a batch of results needs before any reward can be reported. */
export interface FaultAnswer {
  /** 503 (infrastructure: retry later) or 422 (the input itself is unusable). */
  status: 503 | 422;
  /** Which rollouts failed and why, for the response body and the logs. */
  reason: string;
}

/**
 * Decide whether results can be reported as rewards to a trainer that reads only numbers
 * (OpenRLHF, verl). A rollout whose status is `error` or `timeout` has no reward: reporting 0 would
 * train on a fake score. Infrastructure faults and timeouts answer 503 (OpenRLHF retries), faults
 * of the rollout itself answer 422; `skipped` is not a fault.
 *
 * @returns undefined when every result is `ok` or `skipped`
 */
export function faultAnswer(results: readonly RewardResult[]): FaultAnswer | undefined {
  const failures: string[] = [];
  let infrastructure = false;
  results.forEach((result, index) => {
    if (result.status !== 'error' && result.status !== 'timeout') return;
    const code = result.error?.code ?? (result.status === 'timeout' ? 'TIMEOUT' : 'INTERNAL');
    if (result.status === 'timeout' || infrastructureCodes.has(code)) infrastructure = true;
    const component = result.error?.component ? ` in ${result.error.component}` : '';
    failures.push(`#${index}: ${result.status} [${code}]${component}: ${result.reason ?? 'no reason given'}`);
  });
  if (failures.length === 0) return undefined;
  const shown = failures.slice(0, 5).join('; ') + (failures.length > 5 ? `; and ${failures.length - 5} more` : '');
  return { status: infrastructure ? 503 : 422, reason: `${failures.length} of ${results.length} rollouts could not be scored: ${shown}` };
}
