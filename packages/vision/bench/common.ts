// Shared helpers of the vision benchmarks: a seeded random source and a timer.
import type { Box } from '../src/index.js';

/** A seeded linear congruential generator in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** `count` random boxes in a 1000 x 1000 image, sides 10 to 210. */
export function randomBoxes(random: () => number, count: number): Box[] {
  return Array.from({ length: count }, () => {
    const x = random() * 800;
    const y = random() * 800;
    return [x, y, x + 10 + random() * 200, y + 10 + random() * 200] as Box;
  });
}

/** Best-of-five mean time per call in microseconds. */
export function timeMicros(run: () => unknown, calls: number): number {
  for (let index = 0; index < Math.max(1, calls / 10); index++) run();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < calls; index++) run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e3 / calls);
  }
  return best;
}
