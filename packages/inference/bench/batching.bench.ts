// Throughput (items/s) of small text reward models (hidden 32 and 128; BENCH_HIDDEN=a,b to change):
// batch 1 vs dynamic batching, 64 concurrent callers. Prints one JSON line per model; `ratio` =
// dynamic / batch-1 items per second, measured in the same process with the two sides interleaved
// (fresh texts: tokenization included); `cachedTokensRatio` = the same with texts already tokenized.
import { availableParallelism } from 'node:os';
import { loadModel, type BatchingOptions, type Model } from '../src/index.js';
import { benchModel, benchTexts, median } from './common.js';

const callers = 64;
const items = Number(process.env.BENCH_ITEMS ?? 1024);
const sizes = (process.env.BENCH_HIDDEN ?? '32,128').split(',').map(Number);
// Fresh texts for every run, so the tokenizer's cache of recent texts does not flatter either side.
let seed = 1;

/** Items per second of one pass of 64 callers over `texts` (fresh texts when none are given). */
async function pass(model: Model, repeated?: string[]): Promise<number> {
  const texts = repeated ?? benchTexts(items, 8, 40, seed++);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < texts.length) await model.score(texts[next++] as string);
    }),
  );
  return texts.length / ((performance.now() - started) / 1000);
}

async function compare(single: Model, batched: Model, repeated?: string[]): Promise<[number, number]> {
  await pass(single, repeated);
  await pass(batched, repeated);
  const singleRuns: number[] = [];
  const batchedRuns: number[] = [];
  for (let repeat = 0; repeat < 3; repeat++) {
    singleRuns.push(await pass(single, repeated));
    batchedRuns.push(await pass(batched, repeated));
  }
  return [median(singleRuns), median(batchedRuns)];
}

for (const hidden of sizes) {
  const built = await benchModel(hidden);
  const load = (batching: BatchingOptions | false) => loadModel({ path: built.dir, device: 'cpu', batching });
  const single = await load(false);
  const batched = await load({ maxBatchSize: 64, maxWaitMs: 2 });
  const [batch1, dynamic] = await compare(single, batched);
  // The same texts again: tokens come from the tokenizer's cache (as prompts and references do
  // within a group), which shows what batching does for the session side alone.
  const [cachedBatch1, cachedDynamic] = await compare(single, batched, benchTexts(items, 8, 40, 424242));
  await single.dispose();
  await batched.dispose();
  process.stdout.write(
    `${JSON.stringify({
      bench: 'inference.batching',
      model: `sequence-score hidden=${hidden} maxLength=64`,
      items,
      callers,
      cores: availableParallelism(),
      batch1ItemsPerSecond: Math.round(batch1),
      dynamicItemsPerSecond: Math.round(dynamic),
      ratio: Number((dynamic / batch1).toFixed(2)),
      cachedTokensBatch1ItemsPerSecond: Math.round(cachedBatch1),
      cachedTokensDynamicItemsPerSecond: Math.round(cachedDynamic),
      cachedTokensRatio: Number((cachedDynamic / cachedBatch1).toFixed(2)),
    })}\n`,
  );
}
