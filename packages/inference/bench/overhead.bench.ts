// The package's overhead over a bare session.run on the same pre-built tensors: one batch of N texts
// through model.score (encode, batch, pad, build tensors, run, split, activate) vs session.run on
// tensors built once. The same texts repeat, so their tokens come from the tokenizer's cache and the
// figure is the package's machinery; `packageFreshMs` uses new texts every round (tokenization included).
// Prints one JSON line; `overhead` = package time / bare time - 1 (goal < 0.10).
import ort from 'onnxruntime-node';
import { join } from 'node:path';
import { TextTokenizer, defaultThreads, loadModel } from '../src/index.js';
import { benchModel, benchTexts, median } from './common.js';

const batchSize = Number(process.env.BENCH_BATCH ?? 32);
const hidden = Number(process.env.BENCH_HIDDEN ?? 128);
const rounds = Number(process.env.BENCH_ROUNDS ?? 200);
const built = await benchModel(hidden);
const texts = benchTexts(batchSize, 30, 30);
const threads = defaultThreads();

// Bare: tensors built once, session.run only.
const tokenizer = await TextTokenizer.load(join(built.dir, 'tokenizer.json'));
const encoded = texts.map((text) => tokenizer.encode(text, undefined, { maxLength: 64, side: 'right' }));
const length = Math.max(...encoded.map((item) => item.ids.length));
const ids = new BigInt64Array(batchSize * length);
const mask = new BigInt64Array(batchSize * length);
const types = new BigInt64Array(batchSize * length);
encoded.forEach((item, row) => item.ids.forEach((id, column) => {
  ids[row * length + column] = BigInt(id);
  mask[row * length + column] = 1n;
}));
const feeds = {
  input_ids: new ort.Tensor('int64', ids, [batchSize, length]),
  attention_mask: new ort.Tensor('int64', mask, [batchSize, length]),
  token_type_ids: new ort.Tensor('int64', types, [batchSize, length]),
};
const session = await ort.InferenceSession.create(join(built.dir, 'model.onnx'), {
  intraOpNumThreads: threads.intraOp,
  interOpNumThreads: threads.interOp,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  executionProviders: ['cpu'],
});
const model = await loadModel({ path: built.dir, device: 'cpu', batching: { maxBatchSize: batchSize, maxWaitMs: 0 }, threads });

async function time(run: () => Promise<unknown>): Promise<number> {
  for (let index = 0; index < 20; index++) await run();
  const samples: number[] = [];
  for (let block = 0; block < 5; block++) {
    const started = performance.now();
    for (let index = 0; index < rounds / 5; index++) await run();
    samples.push((performance.now() - started) / (rounds / 5));
  }
  return median(samples);
}

// Interleave the two measurements twice to even out drift on a shared machine.
let seed = 100;
const bare: number[] = [];
const pack: number[] = [];
const fresh: number[] = [];
for (let repeat = 0; repeat < 3; repeat++) {
  bare.push(await time(() => session.run(feeds)));
  pack.push(await time(() => Promise.all(texts.map((text) => model.score(text)))));
  fresh.push(await time(() => Promise.all(benchTexts(batchSize, 30, 30, seed++).map((text) => model.score(text)))));
}
const bareMs = median(bare);
const packageMs = median(pack);
const packageFreshMs = median(fresh);
await model.dispose();
await session.release();
process.stdout.write(
  `${JSON.stringify({
    bench: 'inference.overhead',
    model: `sequence-score hidden=${hidden}`,
    batch: batchSize,
    tokens: length,
    bareSessionRunMs: Number(bareMs.toFixed(3)),
    packageMs: Number(packageMs.toFixed(3)),
    packageFreshMs: Number(packageFreshMs.toFixed(3)),
    ratio: Number((packageMs / bareMs).toFixed(3)),
    overhead: Number((packageMs / bareMs - 1).toFixed(3)),
  })}\n`,
);
