// Tasks for worker-batches tests.
import { eachOf } from '../worker-batches.js';
import { RewardError } from '../errors.js';

export function double(input: number): number {
  return input * 2;
}

/** Spins forever on a negative input (a hostile rollout), fails on NaN, else doubles. */
export function doubleOrSpin(input: number): number {
  if (Number.isNaN(input)) throw new RewardError('INVALID_INPUT', 'not a number');
  if (input < 0) {
    for (;;) {
      // only terminating the worker stops this
    }
  }
  return input * 2;
}

export const doubleEach = eachOf(double);
export const doubleOrSpinEach = eachOf(doubleOrSpin);
