// Shared helpers of the benchmarks: a small text model written by the model builder, and texts.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSequenceScoreModel, DEFAULT_WORDS } from '@mixreward/model-builder';

/** Build the benchmark's reward model (hidden size from BENCH_HIDDEN, default 128) in a temp folder. */
export async function benchModel(hiddenSize = Number(process.env.BENCH_HIDDEN ?? 128)) {
  const dir = await mkdtemp(join(tmpdir(), 'mixreward-bench-'));
  return buildSequenceScoreModel({ dir: join(dir, 'model'), hiddenSize, maxLength: 64 });
}

/** `count` deterministic texts (a different `seed` gives different texts) of `minWords` to `maxWords` words from the builder's vocabulary. */
export function benchTexts(count: number, minWords = 8, maxWords = 40, seed = 12345): string[] {
  const words = DEFAULT_WORDS.filter((word) => /^[a-z]+$/.test(word));
  // 32-bit integer LCG (Numerical Recipes constants): exact in JavaScript numbers, so different seeds
  // give different texts (a float LCG loses bits past 2^53 and falls into short cycles of repeats).
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const length = minWords + Math.floor(next() * (maxWords - minWords + 1));
    return Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(' ');
  });
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
