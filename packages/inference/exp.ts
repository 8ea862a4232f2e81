import { loadModel, type Model } from './src/index.js';
import { benchModel, benchTexts, median } from './bench/common.js';
const built = await benchModel(128);
let seed = 1;
async function pass(model: Model) {
  const texts = benchTexts(1024, 8, 40, seed++);
  let next = 0; const c0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => { while (next < texts.length) await model.score(texts[next++]!); }));
  const cpu = process.cpuUsage(c0); return [1024 / ((performance.now() - t0) / 1000), 1024 / ((cpu.user + cpu.system) / 1e6)];
}
const configs: Record<string, any> = { b1: false, c64: { maxBatchSize: 64, maxWaitMs: 2 }, cInf: { maxBatchSize: 64, maxWaitMs: 2, callCostTokens: Infinity }, c256: { maxBatchSize: 64, maxWaitMs: 2, callCostTokens: 256 }, w0: { maxBatchSize: 64, maxWaitMs: 0 } };
const models: Record<string, Model> = {};
for (const [k, v] of Object.entries(configs)) models[k] = await loadModel({ path: built.dir, device: 'cpu', batching: v });
const res: Record<string, number[][]> = {};
for (let r = 0; r < 6; r++) for (const k of Object.keys(models)) { const x = await pass(models[k]!); if (r > 0) (res[k] ??= []).push(x); }
for (const [k, v] of Object.entries(res)) console.log(k, 'wall', Math.round(median(v.map((x) => x[0]!))), 'cpu', Math.round(median(v.map((x) => x[1]!))));
