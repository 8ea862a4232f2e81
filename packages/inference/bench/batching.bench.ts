// Throughput (items/s) of small text reward models (hidden 32 and 128; BENCH_HIDDEN=a,b to change):
// batch 1 vs dynamic batching, 64 concurrent callers. Prints one JSON line per model; `ratio` =
// dynamic / batch-1 items per second, measured in the same process with the two sides interleaved
// (new texts every pass: tokenization included), medians of BENCH_REPEATS (5) passes each; `cpuRatio`
// = the same per second of process CPU time (steadier on a shared machine, where wall time swings
// with other load); `repeatedTextsRatio` = wall-clock ratio with the same texts every pass.
// Tokenization's share of a request: `tokenizeUs` (encode of a new text, words seen before: the
// steady state of a training run), `tokenizeColdUs` (the tokenizer library on the whole text, as
// every text cost before words were cached: the first sight of every word), each over the time per
// item of batch 1 and of dynamic batching; `tokenizeSpeedup` = cold / cached, in the same process.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '@mixreward/core';
import { TextTokenizer, loadModel, type BatchingOptions, type Model } from '../src/index.js';
import { benchModel, benchTexts, median } from './common.js';

const callers = 64;
const items = Number(process.env.BENCH_ITEMS ?? 1024);
const sizes = (process.env.BENCH_HIDDEN ?? '32,128').split(',').map(Number);
// Fresh texts for every run, so the tokenizer's cache of recent texts does not flatter either side.
let seed = 1;

const repeats = Number(process.env.BENCH_REPEATS ?? 5);

/** Items per second of one pass of 64 callers over `texts` (new texts when none are given): per wall-clock second, and per second of this process's CPU time (all threads). */
async function pass(model: Model, repeated?: string[]): Promise<{ wall: number; cpu: number }> {
  const texts = repeated ?? benchTexts(items, 8, 40, seed++);
  let next = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < texts.length) await model.score(texts[next++] as string);
    }),
  );
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: texts.length / wall, cpu: texts.length / ((cpu.user + cpu.system) / 1e6) };
}

/** Microseconds per text of `encode` (word cache warm) and of the library's whole-text tokenize (medians of 5 passes over new texts). */
async function tokenizeCost(dir: string): Promise<{ cached: number; cold: number }> {
  const tokenizer = await TextTokenizer.load(join(dir, 'tokenizer.json'), join(dir, 'tokenizer_config.json'));
  const library = await loadTokenizer(join(dir, 'tokenizer.json'), { configFile: join(dir, 'tokenizer_config.json') });
  const truncation = { maxLength: 64, side: 'right' as const };
  for (const text of benchTexts(items, 8, 40, 99)) tokenizer.encode(text, undefined, truncation);
  const cached: number[] = [];
  const cold: number[] = [];
  for (let repeat = 0; repeat < 5; repeat++) {
    const texts = benchTexts(items, 8, 40, seed++);
    let started = performance.now();
    for (const text of texts) tokenizer.encode(text, undefined, truncation);
    cached.push(((performance.now() - started) * 1000) / texts.length);
    started = performance.now();
    for (const text of texts) library.tokenize(text);
    cold.push(((performance.now() - started) * 1000) / texts.length);
  }
  return { cached: median(cached), cold: median(cold) };
}

/** Medians over `repeats` alternating passes: [batch-1 wall, dynamic wall, batch-1 CPU, dynamic CPU] items per second. */
async function compare(single: Model, batched: Model, repeated?: string[]): Promise<[number, number, number, number]> {
  await pass(single, repeated);
  await pass(batched, repeated);
  const singleRuns: { wall: number; cpu: number }[] = [];
  const batchedRuns: { wall: number; cpu: number }[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    singleRuns.push(await pass(single, repeated));
    batchedRuns.push(await pass(batched, repeated));
  }
  return [
    median(singleRuns.map((run) => run.wall)),
    median(batchedRuns.map((run) => run.wall)),
    median(singleRuns.map((run) => run.cpu)),
    median(batchedRuns.map((run) => run.cpu)),
  ];
}

for (const hidden of sizes) {
  const built = await benchModel(hidden);
  const load = (batching: BatchingOptions | false) => loadModel({ path: built.dir, device: 'cpu', batching });
  const single = await load(false);
  const batched = await load({ maxBatchSize: 64, maxWaitMs: 2 });
  const [batch1, dynamic, batch1Cpu, dynamicCpu] = await compare(single, batched);
  // The same texts every pass (as prompts and references repeat within a group).
  const [repeatedBatch1, repeatedDynamic] = await compare(single, batched, benchTexts(items, 8, 40, 424242));
  const tokenize = await tokenizeCost(built.dir);
  await single.dispose();
  await batched.dispose();
  const share = (micros: number, itemsPerSecond: number) => Number((micros / (1e6 / itemsPerSecond)).toFixed(3));
  process.stdout.write(
    `${JSON.stringify({
      bench: 'inference.batching',
      model: `sequence-score hidden=${hidden} max_length=64`,
      items,
      callers,
      cores: availableParallelism(),
      batch1ItemsPerSecond: Math.round(batch1),
      dynamicItemsPerSecond: Math.round(dynamic),
      ratio: Number((dynamic / batch1).toFixed(2)),
      batch1ItemsPerCpuSecond: Math.round(batch1Cpu),
      dynamicItemsPerCpuSecond: Math.round(dynamicCpu),
      cpuRatio: Number((dynamicCpu / batch1Cpu).toFixed(2)),
      repeatedTextsBatch1ItemsPerSecond: Math.round(repeatedBatch1),
      repeatedTextsDynamicItemsPerSecond: Math.round(repeatedDynamic),
      repeatedTextsRatio: Number((repeatedDynamic / repeatedBatch1).toFixed(2)),
      tokenizeUs: Number(tokenize.cached.toFixed(2)),
      tokenizeColdUs: Number(tokenize.cold.toFixed(2)),
      tokenizeSpeedup: Number((tokenize.cold / tokenize.cached).toFixed(2)),
      tokenizeShareBatch1: share(tokenize.cached, batch1),
      tokenizeShareDynamic: share(tokenize.cached, dynamic),
      tokenizeColdShareDynamic: share(tokenize.cold, dynamic),
    })}\n`,
  );
}
