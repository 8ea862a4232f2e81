// Tasks for worker-pool tests. Imports a sibling .js path to check that tsx resolves sources.
import { RewardError } from '../errors.js';

export function double(input: number): number {
  return input * 2;
}

export function spin(): never {
  for (;;) {
    // a hostile busy loop: only terminating the worker stops it
  }
}

export function fail(kind: string): never {
  if (kind === 'reward') throw new RewardError('INVALID_REFERENCE', 'bad reference');
  throw new Error('plain failure');
}

export async function slowEcho(input: { value: string; ms: number }): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, input.ms));
  return input.value;
}

export async function viaPackage(): Promise<string> {
  const core = await import('@mixreward/core');
  return typeof core.createRegistry;
}

/** A worker that dies in the middle of a task (a native crash, an external kill). */
export function crash(code: number): never {
  process.exit(code);
}

/** An exception thrown outside the task's promise chain: the worker's 'error' event. */
export function throwLater(): Promise<never> {
  setTimeout(() => {
    throw new Error('uncaught in a timer');
  }, 5);
  return new Promise(() => undefined);
}

/** Allocates until the worker's heap limit stops it. */
export function exhaustHeap(): never {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(1));
}
