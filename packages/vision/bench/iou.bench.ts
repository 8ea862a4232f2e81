// IoU pairs per second: the plain kernel on packed Float64Arrays against the tuple API `iou(a, b)`
// (the baseline), both measured in this process. Goal: >= 10 million pairs/s for the kernel.
import type { Box } from '../src/geometry.js';
import { iou, iouKernel } from '../src/iou.js';

const count = 4096;
const packed = new Float64Array(count * 4);
const tuples: Box[] = [];
let seed = 12345;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
for (let index = 0; index < count; index++) {
  const x = random() * 1000;
  const y = random() * 1000;
  const box: Box = [x, y, x + 1 + random() * 200, y + 1 + random() * 200];
  tuples.push(box);
  packed.set(box, index * 4);
}

function runKernel(pairs: number): number {
  let sum = 0;
  for (let n = 0; n < pairs; n++) {
    const a = (n % count) * 4;
    const b = ((n * 7 + 13) % count) * 4;
    sum += iouKernel(packed[a]!, packed[a + 1]!, packed[a + 2]!, packed[a + 3]!, packed[b]!, packed[b + 1]!, packed[b + 2]!, packed[b + 3]!);
  }
  return sum;
}

function runTuples(pairs: number): number {
  let sum = 0;
  for (let n = 0; n < pairs; n++) sum += iou(tuples[n % count]!, tuples[(n * 7 + 13) % count]!);
  return sum;
}

function measure(run: (pairs: number) => number, pairs: number): number {
  run(pairs / 10); // warm up
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    run(pairs);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, pairs / seconds);
  }
  return best;
}

const pairs = 5_000_000;
const kernel = measure(runKernel, pairs);
const baseline = measure(runTuples, pairs);
console.log(
  JSON.stringify({
    bench: 'iou-pairs-per-second',
    kernelPairsPerSecond: Math.round(kernel),
    baselinePairsPerSecond: Math.round(baseline),
    baseline: 'iou(a, b) on tuples (validates finiteness)',
    ratio: Number((kernel / baseline).toFixed(2)),
    goalPairsPerSecond: 10_000_000,
    meetsGoal: kernel >= 10_000_000,
  }),
);
