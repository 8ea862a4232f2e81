// judge.verify rollouts per second against the loopback stand-in at concurrency 1, 16 and 64, against
// two baselines in the same process and run: bare `openai` SDK calls (ratio, and our client's
// overhead per call over the SDK: goal < 1 ms) and bare `fetch` POSTs (the SDK's own overhead). Then the cache hit rate when the same
// batch is scored twice. Prints JSON lines. BENCH_ROLLOUTS sets the rollouts per run (default 2000).
import type { Rollout } from '@mixreward/core';
import OpenAI from 'openai';
import { startStandIn, tokenVerdict } from '../src/__fixtures__/stand-in-server.js';
import { VERIFY_TEMPLATES, createJudgeVerifyReward } from '../src/index.js';

const count = Number(process.env.BENCH_ROLLOUTS ?? 2000);
const signal = new AbortController().signal;
const stand = await startStandIn(() => tokenVerdict('yes', 0.9));
let batchId = 0;
// The baselines send messages as long as the judge's (the general template), so the server does the same work.
const system = VERIFY_TEMPLATES.general.system;
const user = (index: number): string => VERIFY_TEMPLATES.general.user.replace('{question}', `Question ${index}: what is ${index} + 1?`).replace('{reference}', `${index + 1}.0`).replace('{answer}', String(index + 1));

function rollouts(): Rollout[] {
  batchId++;
  return Array.from({ length: count }, (_, index) => ({ prompt: `Question ${batchId}-${index}: what is ${index} + 1?`, completion: `<think>adding</think>\\boxed{${index + 1}}`, reference: `${index + 1}.0` }));
}

async function bareFetch(concurrency: number): Promise<number> {
  const body = (index: number): string =>
    JSON.stringify({ model: 'judge-1', messages: [{ role: 'system', content: system }, { role: 'user', content: user(index) }], max_tokens: 16, temperature: 0, logprobs: true, top_logprobs: 5 });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const response = await fetch(`${stand.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer EMPTY' }, body: body(index) });
        await response.json();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function bareSdk(concurrency: number): Promise<number> {
  const client = new OpenAI({ baseURL: stand.baseUrl, apiKey: 'EMPTY', maxRetries: 0 });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        await client.chat.completions.create({ model: 'judge-1', messages: [{ role: 'system', content: system }, { role: 'user', content: user(index) }], max_tokens: 16, temperature: 0, logprobs: true, top_logprobs: 5 });
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function judged(concurrency: number): Promise<number> {
  const scorer = await createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'judge-1', max_concurrency: concurrency });
  const items = rollouts();
  const started = performance.now();
  // The scorer gets the whole set; max_concurrency bounds what is in flight, as in a real run.
  const results = await scorer.score(items, { signal });
  const elapsed = performance.now() - started;
  if (results.some((result) => result.status !== 'ok')) throw new Error('a judged rollout failed');
  await scorer.dispose?.();
  return count / (elapsed / 1000);
}

await judged(4);
await bareFetch(4);
await bareSdk(4);
for (const concurrency of [1, 16, 64]) {
  const baseline = await bareFetch(concurrency);
  const sdk = await bareSdk(concurrency);
  const ours = await judged(concurrency);
  // Wall time per call beyond the baseline's; at concurrency 1 it is latency, above it the loopback
  // run is CPU-bound (server and client share this process), so it is CPU time per call.
  const overheadMs = (1 / ours - 1 / sdk) * 1000;
  console.log(
    JSON.stringify({
      bench: 'judge.verify',
      concurrency,
      rollouts: count,
      judged_per_s: Math.round(ours),
      bare_fetch_per_s: Math.round(baseline),
      bare_openai_sdk_per_s: Math.round(sdk),
      ratio: Number((ours / sdk).toFixed(3)),
      ratio_vs_fetch: Number((ours / baseline).toFixed(3)),
      client_overhead_ms_per_call: Number(overheadMs.toFixed(3)),
      sdk_overhead_ms_per_call: Number(((1 / sdk - 1 / baseline) * 1000).toFixed(3)),
      goal: 'client_overhead_ms_per_call < 1',
    }),
  );
}

const scorer = await createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'judge-1', max_concurrency: 16 });
const batch = rollouts();
const before = stand.received.length;
const coldStarted = performance.now();
await scorer.score(batch, { signal });
const cold = performance.now() - coldStarted;
const middle = stand.received.length;
const warmStarted = performance.now();
await scorer.score(batch, { signal });
const warm = performance.now() - warmStarted;
const repeatRequests = stand.received.length - middle;
console.log(
  JSON.stringify({
    bench: 'judge.verify cache',
    rollouts: count,
    first_pass_requests: middle - before,
    repeat_pass_requests: repeatRequests,
    repeat_hit_rate: Number((1 - repeatRequests / count).toFixed(3)),
    repeat_per_s: Math.round(count / (warm / 1000)),
    first_per_s: Math.round(count / (cold / 1000)),
    ratio: Number((cold / warm).toFixed(1)),
  }),
);
await stand.close();
