// CUDA vs CPU throughput (items/s) of a text reward model with dynamic batching, 256 concurrent
// callers, measured in the same process; also checks that both devices agree on the scores.
// Needs onnxruntime-node's CUDA provider (see README, "GPU"); without it, prints a JSON line that
// says why it skipped. Model size: BENCH_HIDDEN (default 1024), BENCH_ITEMS (default 4096).
import { availableParallelism } from 'node:os';
import { CUDA_INSTALL_HINT, cudaProviderPath, loadModel, type Model } from '../src/index.js';
import { benchModel, benchTexts, median } from './common.js';

const hidden = Number(process.env.BENCH_HIDDEN ?? 1024);
const items = Number(process.env.BENCH_ITEMS ?? 4096);
const callers = 256;

if (cudaProviderPath() === undefined) {
  process.stdout.write(`${JSON.stringify({ bench: 'inference.gpu', skipped: true, reason: 'CUDA execution provider not installed', hint: CUDA_INSTALL_HINT })}\n`);
  process.exit(0);
}

const built = await benchModel(hidden);
let seed = 1;

async function throughput(model: Model): Promise<number> {
  const texts = benchTexts(items, 8, 60, seed++);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < texts.length) await model.score(texts[next++] as string);
    }),
  );
  return items / ((performance.now() - started) / 1000);
}

const logger = { info: (message: string) => process.stderr.write(`${message}\n`), warn: (message: string) => process.stderr.write(`${message}\n`) };
const cpu = await loadModel({ path: built.dir, device: 'cpu', batching: { maxBatchSize: 64 }, logger });
const cuda = await loadModel({ path: built.dir, device: 'cuda', batching: { maxBatchSize: 256, maxWaitMs: 2 }, logger });

// Same scores on both devices (float32; CUDA kernels differ in summation order).
const probe = benchTexts(64, 8, 60, 999);
const [cpuScores, cudaScores] = await Promise.all([Promise.all(probe.map((text) => cpu.score(text))), Promise.all(probe.map((text) => cuda.score(text)))]);
const maxDifference = Math.max(...cpuScores.map((row, index) => Math.abs((row[0] as number) - (cudaScores[index]?.[0] as number))));

await throughput(cpu);
await throughput(cuda);
const cpuRuns: number[] = [];
const cudaRuns: number[] = [];
for (let repeat = 0; repeat < 3; repeat++) {
  cpuRuns.push(await throughput(cpu));
  cudaRuns.push(await throughput(cuda));
}
await cpu.dispose();
await cuda.dispose();
process.stdout.write(
  `${JSON.stringify({
    bench: 'inference.gpu',
    model: `sequence-score hidden=${hidden} max_length=64`,
    items,
    callers,
    cores: availableParallelism(),
    device: cuda.device,
    cpuItemsPerSecond: Math.round(median(cpuRuns)),
    cudaItemsPerSecond: Math.round(median(cudaRuns)),
    ratio: Number((median(cudaRuns) / median(cpuRuns)).toFixed(2)),
    maxScoreDifference: Number(maxDifference.toExponential(2)),
  })}\n`,
);
