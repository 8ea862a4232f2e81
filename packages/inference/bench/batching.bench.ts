// Throughput (items/s) of a small text reward model: batch 1 vs dynamic batching, 64 concurrent callers.
// Prints one JSON line; `ratio` = dynamic / batch-1 items per second, measured in the same process
// (fresh texts: tokenization included); `cachedTokensRatio` = the same with texts already tokenized.
import { availableParallelism } from 'node:os';
import { loadModel, type BatchingOptions } from '../src/index.js';
import { benchModel, benchTexts, median } from './common.js';

const callers = 64;
const items = Number(process.env.BENCH_ITEMS ?? 1024);
// Fresh texts for every run, so the tokenizer's cache of recent texts does not flatter either side.
let seed = 1;
const freshTexts = () => benchTexts(items, 8, 40, seed++);
const built = await benchModel();

async function itemsPerSecond(batching: BatchingOptions | false) {
  const model = await loadModel({ path: built.dir, device: 'cpu', batching });
  const once = async (repeated?: string[]) => {
    const texts = repeated ?? freshTexts();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (next < texts.length) {
          const index = next++;
          await model.score(texts[index] as string);
        }
      }),
    );
    return texts.length / ((performance.now() - started) / 1000);
  };
  await once(); // warm-up
  return { model, once };
}

// Interleave the two settings (3 runs each) to even out the noise of a shared machine.
const single = await itemsPerSecond(false);
const batched = await itemsPerSecond({ maxBatchSize: 64, maxWaitMs: 2 });
const singleRuns: number[] = [];
const batchedRuns: number[] = [];
for (let repeat = 0; repeat < 3; repeat++) {
  singleRuns.push(await single.once());
  batchedRuns.push(await batched.once());
}
// Second figure: the same texts again, so tokens come from the tokenizer's cache (as prompts and
// references do within a group): what batching does for the session side alone.
const repeated = benchTexts(items, 8, 40, 424242);
await single.once(repeated);
await batched.once(repeated);
const singleCached: number[] = [];
const batchedCached: number[] = [];
for (let repeat = 0; repeat < 3; repeat++) {
  singleCached.push(await single.once(repeated));
  batchedCached.push(await batched.once(repeated));
}
const batch1 = median(singleRuns);
const dynamic = median(batchedRuns);
await single.model.dispose();
await batched.model.dispose();
process.stdout.write(
  `${JSON.stringify({
    bench: 'inference.batching',
    model: `sequence-score hidden=${process.env.BENCH_HIDDEN ?? 128} maxLength=64`,
    items,
    callers,
    cores: availableParallelism(),
    batch1ItemsPerSecond: Math.round(batch1),
    dynamicItemsPerSecond: Math.round(dynamic),
    ratio: Number((dynamic / batch1).toFixed(2)),
    cachedTokensBatch1ItemsPerSecond: Math.round(median(singleCached)),
    cachedTokensDynamicItemsPerSecond: Math.round(median(batchedCached)),
    cachedTokensRatio: Number((median(batchedCached) / median(singleCached)).toFixed(2)),
  })}\n`,
);
