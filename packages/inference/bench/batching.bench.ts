// Throughput (items/s) of small text reward models (hidden 32 and 128; BENCH_HIDDEN=a,b to change):
// batch 1 (`batching: false`, each request run alone) vs dynamic batching, on one shared session
// with the same settings. Prints one JSON line per model and concurrency (BENCH_CALLERS, default 64;
// `all` submits every item at once, as a training step scores its rollouts).
//
// Fair and real work: every round draws new texts (BENCH_ITEMS, default 1024, 8-40 words, all
// distinct; nothing caches results) and runs the SAME texts through both sides back to back, the
// side that goes first alternating round by round; BENCH_REPEATS (15) rounds after one warm-up
// round. Throughputs are medians over rounds; `ratio` = the median of the rounds' own dynamic /
// batch-1 ratios of items per wall-clock second; `cpuRatio` = the same per second of process CPU
// time (steadier on a shared machine); `repeatedTextsRatio` = the wall-clock ratio with one fixed
// set of texts every round.
//
// Where the time goes: `sessionUs*` is the runtime's own time per item (onnxruntime-node runs each
// `session.run` synchronously inside one setImmediate callback; the bench times those callbacks), and
// `sessionRatio` = batch-1 / dynamic session time per item: the ratio that the model's compute alone
// allows, whatever the JavaScript around it costs.
//
// Tokenization's share of a request: `tokenizeUs` (encode of a new text, words seen before: the
// steady state of a training run), `tokenizeColdUs` (the tokenizer library on the whole text, as
// every text cost before words were cached: the first sight of every word), each over the time per
// item of batch 1 and of dynamic batching; `tokenizeSpeedup` = cold / cached, in the same process.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '@mixreward/core';
import { TextTokenizer, loadModel, type Model } from '../src/index.js';
import { benchModel, benchTexts, median } from './common.js';

const items = Number(process.env.BENCH_ITEMS ?? 1024);
const sizes = (process.env.BENCH_HIDDEN ?? '32,128').split(',').map(Number);
const callerCounts = (process.env.BENCH_CALLERS ?? '64').split(',').map((value) => (value === 'all' ? items : Number(value)));
const repeats = Number(process.env.BENCH_REPEATS ?? 15);
let seed = 1;

// Time spent inside setImmediate callbacks: onnxruntime-node's session.run (the batcher's own
// setImmediate only resolves a promise).
let sessionMs = 0;
const schedule = globalThis.setImmediate;
globalThis.setImmediate = ((callback: (...args: unknown[]) => void, ...args: unknown[]) =>
  schedule(() => {
    const started = performance.now();
    try {
      callback(...args);
    } finally {
      sessionMs += performance.now() - started;
    }
  })) as typeof setImmediate;

interface Pass {
  wall: number;
  cpu: number;
  sessionUs: number;
}

/** One pass of `callers` concurrent callers over `texts`: items per wall-clock second, per second of this process's CPU time (all threads), and session microseconds per item. */
async function pass(model: Model, texts: string[], callers: number): Promise<Pass> {
  let next = 0;
  sessionMs = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < texts.length) await model.score(texts[next++] as string);
    }),
  );
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: texts.length / wall, cpu: texts.length / ((cpu.user + cpu.system) / 1e6), sessionUs: (sessionMs * 1000) / texts.length };
}

interface Comparison {
  single: Pass;
  batched: Pass;
  /** Medians of the rounds' own dynamic / batch-1 ratios (wall, CPU, session time). */
  ratio: { wall: number; cpu: number; session: number };
}

/**
 * `repeats` rounds after one warm-up round: each runs the same texts through both sides, back to
 * back, the first side alternating. Throughputs are medians over rounds; ratios are medians of each
 * round's own ratio, so that load which drifts on a shared machine meets both sides of a ratio alike.
 */
async function compare(single: Model, batched: Model, callers: number, repeated?: string[]): Promise<Comparison> {
  const singleRuns: Pass[] = [];
  const batchedRuns: Pass[] = [];
  for (let round = 0; round <= repeats; round++) {
    const texts = repeated ?? benchTexts(items, 8, 40, seed++);
    const order = round % 2 === 0 ? ([single, batched] as const) : ([batched, single] as const);
    const results = new Map<Model, Pass>();
    for (const model of order) results.set(model, await pass(model, texts, callers));
    if (round === 0) continue;
    singleRuns.push(results.get(single) as Pass);
    batchedRuns.push(results.get(batched) as Pass);
  }
  const medians = (runs: Pass[]): Pass => ({
    wall: median(runs.map((run) => run.wall)),
    cpu: median(runs.map((run) => run.cpu)),
    sessionUs: median(runs.map((run) => run.sessionUs)),
  });
  const pairs = (ratio: (one: Pass, many: Pass) => number) => median(singleRuns.map((run, index) => ratio(run, batchedRuns[index] as Pass)));
  return {
    single: medians(singleRuns),
    batched: medians(batchedRuns),
    ratio: {
      wall: pairs((one, many) => many.wall / one.wall),
      cpu: pairs((one, many) => many.cpu / one.cpu),
      session: pairs((one, many) => one.sessionUs / many.sessionUs),
    },
  };
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

const fixed = (value: number, digits = 2) => Number(value.toFixed(digits));

for (const hidden of sizes) {
  const built = await benchModel(hidden);
  const single = await loadModel({ path: built.dir, device: 'cpu', batching: false });
  const batched = await loadModel({ path: built.dir, device: 'cpu', batching: { maxBatchSize: 64, maxWaitMs: 2 } });
  const tokenize = await tokenizeCost(built.dir);
  for (const callers of callerCounts) {
    const fresh = await compare(single, batched, callers);
    // The same texts every round (as prompts and references repeat within a group).
    const repeated = await compare(single, batched, callers, benchTexts(items, 8, 40, 424242));
    const share = (micros: number, itemsPerSecond: number) => fixed(micros / (1e6 / itemsPerSecond), 3);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'inference.batching',
        model: `sequence-score hidden=${hidden} max_length=64`,
        items,
        callers,
        cores: availableParallelism(),
        batch1ItemsPerSecond: Math.round(fresh.single.wall),
        dynamicItemsPerSecond: Math.round(fresh.batched.wall),
        ratio: fixed(fresh.ratio.wall),
        batch1ItemsPerCpuSecond: Math.round(fresh.single.cpu),
        dynamicItemsPerCpuSecond: Math.round(fresh.batched.cpu),
        cpuRatio: fixed(fresh.ratio.cpu),
        sessionUsBatch1: fixed(fresh.single.sessionUs),
        sessionUsDynamic: fixed(fresh.batched.sessionUs),
        sessionRatio: fixed(fresh.ratio.session),
        repeatedTextsBatch1ItemsPerSecond: Math.round(repeated.single.wall),
        repeatedTextsDynamicItemsPerSecond: Math.round(repeated.batched.wall),
        repeatedTextsRatio: fixed(repeated.ratio.wall),
        tokenizeUs: fixed(tokenize.cached),
        tokenizeColdUs: fixed(tokenize.cold),
        tokenizeSpeedup: fixed(tokenize.cold / tokenize.cached),
        tokenizeShareBatch1: share(tokenize.cached, fresh.single.wall),
        tokenizeShareDynamic: share(tokenize.cached, fresh.batched.wall),
        tokenizeColdShareDynamic: share(tokenize.cold, fresh.batched.wall),
      })}\n`,
    );
  }
  await single.dispose();
  await batched.dispose();
}
