import { RewardError } from '../errors.js';

/** Per-call bound in ms for the parser properties: generous for a shared machine; a call over it fails the property. */
export const boundMs = 2_000;

/**
 * Run a parser call for a property test: it may return or throw a RewardError, nothing else, and it
 * must end within {@link boundMs}.
 * @returns which of the two it did
 */
export function outcome(run: () => unknown): 'value' | 'reward-error' {
  const started = performance.now();
  let result: 'value' | 'reward-error' = 'value';
  try {
    run();
  } catch (error) {
    if (!RewardError.isInstance(error)) throw new Error(`threw a non-RewardError: ${String(error)}`);
    result = 'reward-error';
  }
  const ms = performance.now() - started;
  if (ms > boundMs) throw new Error(`took ${ms.toFixed(0)} ms, over the ${boundMs} ms bound`);
  return result;
}
