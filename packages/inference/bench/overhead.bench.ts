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

// Alternate the three measurements call by call and take medians: bursts of load on a shared
// machine then hit all three alike.
const rounds = Number(process.env.BENCH_ROUNDS ?? 300);
const freshSets = Array.from({ length: rounds + 20 }, (_, index) => benchTexts(batchSize, 30, 30, 100 + index));
const bare: number[] = [];
const pack: number[] = [];
const fresh: number[] = [];
for (let round = 0; round < rounds + 20; round++) {
  let started = performance.now();
  await session.run(feeds);
  const bareTime = performance.now() - started;
  started = performance.now();
  await Promise.all(texts.map((text) => model.score(text)));
  const packTime = performance.now() - started;
  started = performance.now();
  await Promise.all((freshSets[round] as string[]).map((text) => model.score(text)));
  const freshTime = performance.now() - started;
  if (round >= 20) {
    bare.push(bareTime);
    pack.push(packTime);
    fresh.push(freshTime);
  }
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
