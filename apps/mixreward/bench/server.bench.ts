// Reward server throughput and latency, each against a baseline in the same process:
// 1. /v1/score with batches of 256 over loopback vs the same batches scored in-process by the same
//    composer (goal: server >= 80% of in-process).
// 2. OpenRLHF's pattern: 512 concurrent single-sample POST /get_reward, with cross-request batching
//    (max_batch 256, max_wait 5 ms) vs without (max_batch 1): the ratio of throughputs.
// 3. p50/p99 latency of single-sample /get_reward at half the measured peak rate.
// Prints one JSON line per measurement. Config: format.tags + math.verify (0.1/0.9).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@mixreward/core';
import { buildSequenceScoreModel } from '@mixreward/model-builder';
import { defaultRegistry } from '../src/registry.js';
import { composerFor } from '../src/score.js';
import { createRewardServer } from '../src/server/server.js';

const registry = defaultRegistry();
const dir = mkdtempSync(join(tmpdir(), 'mixreward-server-bench-'));
const configPath = join(dir, 'config.yaml');
writeFileSync(configPath, 'rewards:\n  format: { use: format.tags, with: { tags: [think, answer] } }\n  accuracy: { use: math.verify }\nmix: "0.1*format + 0.9*accuracy"\n');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const answers = ['\\frac{1}{2}', '0.5', '2', '\\sqrt{2}', 'x^2+1', '3\\pi', '\\frac{3}{4}', '12'];
const rollout = (index: number) => {
  const reference = answers[index % answers.length] as string;
  const given = index % 3 === 0 ? answers[(index + 1) % answers.length] : reference;
  return { id: index, completion: `<think>step ${index}</think><answer>The answer is $\\boxed{${given}}$</answer>`, reference };
};
const batches = Array.from({ length: 16 }, (_, batch) => Array.from({ length: 256 }, (_, index) => rollout(batch * 256 + index)));
const total = batches.length * 256;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timeIt(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

// 1. batches of 256: server vs in-process
{
  const config = await loadConfig(configPath, registry);
  const composer = composerFor(config, registry, {});
  const server = await createRewardServer({ configPath, registry, port: 0 });
  const url = await server.listen();
  const inProcess: number[] = [];
  const overHttp: number[] = [];
  for (let round = 0; round < rounds; round++) {
    inProcess.push(await timeIt(async () => {
      for (const batch of batches) await composer.score(batch);
    }));
    overHttp.push(await timeIt(async () => {
      for (const batch of batches) {
        const response = await fetch(`${url}/v1/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rollouts: batch }) });
        if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        await response.json();
      }
    }));
  }
  const local = total / median(inProcess);
  const http = total / median(overHttp);
  console.log(JSON.stringify({ bench: 'server_batches_256', rollouts: total, in_process_per_s: Math.round(local), server_per_s: Math.round(http), ratio: Number((http / local).toFixed(3)), goal: '>= 0.8' }));
  await composer.dispose();
  await server.close();
}

// 2. OpenRLHF: 512 concurrent single-sample requests, batched across requests vs not, for the
// rule config and for a model reward (model.score on the builder's hidden-128 sequence-score
// model), where batching is what a GPU or CPU session needs.
const modelDir = join(dir, 'model');
await buildSequenceScoreModel({ dir: modelDir, hiddenSize: 128 });
const modelConfigPath = join(dir, 'model.yaml');
writeFileSync(modelConfigPath, `rewards:\n  judge: { use: model.score, with: { model: ${JSON.stringify(modelDir)}, device: cpu, max_batch_size: 64 } }\nmix: judge\n`);
async function openRlhfRate(maxBatch: number, path = configPath): Promise<number> {
  const server = await createRewardServer({ configPath: path, registry, port: 0, maxBatch, maxWaitMs: 5 });
  const url = await server.listen();
  const requests = Array.from({ length: 512 }, (_, index) => {
    const item = rollout(index);
    return JSON.stringify({ query: [`Q${index}: ${item.completion}<|im_end|>`], prompts: [`Q${index}: `], labels: [item.reference] });
  });
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    times.push(await timeIt(async () => {
      await Promise.all(requests.map(async (body) => {
        const response = await fetch(`${url}/get_reward`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        await response.json();
      }));
    }));
  }
  await server.close();
  return 512 / median(times);
}
const batched = await openRlhfRate(256);
const single = await openRlhfRate(1);
console.log(JSON.stringify({ bench: 'openrlhf_512_concurrent', config: 'format + math.verify', batched_per_s: Math.round(batched), unbatched_per_s: Math.round(single), ratio: Number((batched / single).toFixed(3)) }));
const modelBatched = await openRlhfRate(256, modelConfigPath);
const modelSingle = await openRlhfRate(1, modelConfigPath);
console.log(JSON.stringify({ bench: 'openrlhf_512_concurrent', config: 'model.score (hidden 128)', batched_per_s: Math.round(modelBatched), unbatched_per_s: Math.round(modelSingle), ratio: Number((modelBatched / modelSingle).toFixed(3)) }));

// 3. latency at half the peak rate
{
  const server = await createRewardServer({ configPath, registry, port: 0, maxWaitMs: 2 });
  const url = await server.listen();
  const rate = batched / 2;
  const count = Math.min(2000, Math.max(200, Math.round(rate * 2)));
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, async (_, index) => {
    const due = started + (index / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const item = rollout(index);
    const sent = performance.now();
    const response = await fetch(`${url}/get_reward`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: [`Q: ${item.completion}`], prompts: ['Q: '], labels: [item.reference] }) });
    await response.json();
    latencies.push(performance.now() - sent);
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number).toFixed(2));
  console.log(JSON.stringify({ bench: 'openrlhf_latency_half_peak', rate_per_s: Math.round(rate), requests: count, p50_ms: at(0.5), p99_ms: at(0.99), ratio: Number((at(0.99) / at(0.5)).toFixed(3)) }));
  await server.close();
}
