import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultRegistry } from '../registry.js';
import { createBatchQueue } from './batch-queue.js';
import { completionFromQuery, rolloutFieldsFromLabel } from './openrlhf.js';
import { createRewardServer, type RewardServer } from './server.js';

// Python start-up and real HTTP round trips on a loaded 2-core machine: a harness budget, not an assertion about time.
import.meta.jest.setTimeout(60_000);

const registry = defaultRegistry();
const dir = mkdtempSync(join(tmpdir(), 'mixreward-server-'));
const pythonDir = resolve(import.meta.dirname, '..', '..', '..', '..', 'integrations', 'python');

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const mixConfig = writeConfig(
  'mix.yaml',
  `rewards:
  format: { use: format.tags, with: { tags: [answer] } }
  accuracy: { use: match.exact }
mix: "0.25*format + 0.75*accuracy"
`,
);
const skipConfig = writeConfig('skip.yaml', 'rewards:\n  bleu: { use: translation.bleu }\nmix: bleu\n');
const faultConfig = writeConfig('fault.yaml', `rewards:\n  judge: { use: model.score, with: { model: ${JSON.stringify(join(dir, 'no-such-model'))} } }\nmix: judge\n`);

const servers: RewardServer[] = [];
async function start(configPath: string, extra: Partial<Parameters<typeof createRewardServer>[0]> = {}): Promise<RewardServer> {
  const server = await createRewardServer({ configPath, registry, port: 0, ...extra });
  servers.push(server);
  await server.listen();
  return server;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A real HTTP request over loopback (Fastify's inject needs CommonJS-from-ESM support that jest's VM lacks). */
async function call(server: RewardServer, request: { method: string; url: string; payload?: unknown; headers?: Record<string, string> }): Promise<Answer> {
  const response = await fetch(server.url + request.url, {
    method: request.method,
    headers: { ...(request.payload === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
    ...(request.payload === undefined ? {} : { body: JSON.stringify(request.payload) }),
  });
  const body = await response.text();
  return { statusCode: response.status, headers: Object.fromEntries(response.headers), body, json: () => JSON.parse(body) };
}

function python(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn('python3', ['-c', script], { env: { ...process.env, PYTHONPATH: pythonDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

describe('OpenRLHF query handling', () => {
  test('the prompt is cut by exact prefix, then whitespace-insensitive prefix, then last occurrence', () => {
    expect(completionFromQuery('<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nA is 4<|im_end|>', '<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n')).toEqual({ completion: 'A is 4', cut: 'prefix' });
    expect(completionFromQuery('User:  what is 2+2?\nAssistant: 4', 'User: what is 2+2? Assistant:')).toEqual({ completion: ' 4', cut: 'whitespace' });
    expect(completionFromQuery('<s>Q: x\nA: y</s>', 'Q: x\nA:')).toEqual({ completion: ' y', cut: 'inside' });
    expect(completionFromQuery('no prompt here', 'missing')).toEqual({ completion: 'no prompt here', cut: 'none' });
  });

  test('trailing end-of-sequence tokens are stripped, repeatedly, with whitespace between them', () => {
    expect(completionFromQuery('P:answer 5<|eot_id|>', 'P:').completion).toBe('answer 5');
    expect(completionFromQuery('P:x</s> <|endoftext|>\n', 'P:').completion).toBe('x');
    expect(completionFromQuery('P:x<|im_end|>', 'P:', []).completion).toBe('x<|im_end|>');
    expect(completionFromQuery('P:<|im_end|>middle<|im_end|>', 'P:').completion).toBe('<|im_end|>middle');
  });

  test('labels: JSON objects and lists are decoded, numbers and LaTeX stay strings, a {reference} object gives rollout fields', () => {
    expect(rolloutFieldsFromLabel('42')).toEqual({ reference: '42' });
    expect(rolloutFieldsFromLabel('\\frac12')).toEqual({ reference: '\\frac12' });
    expect(rolloutFieldsFromLabel('[[1, 2, 3, 4]]')).toEqual({ reference: [[1, 2, 3, 4]] });
    expect(rolloutFieldsFromLabel('{"tests": [{"input": "1", "output": "2"}]}')).toEqual({ reference: { tests: [{ input: '1', output: '2' }] } });
    expect(rolloutFieldsFromLabel('{"reference": "7", "task": "math"}')).toEqual({ reference: '7', task: 'math' });
    expect(rolloutFieldsFromLabel('{not json')).toEqual({ reference: '{not json' });
    expect(rolloutFieldsFromLabel('')).toEqual({});
  });
});

describe('cross-request batch queue', () => {
  test('concurrent submissions share batches up to the size limit and keep each request whole and in order', async () => {
    const sizes: number[] = [];
    const queue = createBatchQueue(() => async (rollouts) => rollouts.map((value) => ({ reward: value as number, status: 'ok' as const })), { maxBatch: 4, maxWaitMs: 20, onBatch: (size) => sizes.push(size) });
    const answers = await Promise.all([queue.submit([1]), queue.submit([2, 3]), queue.submit([4]), queue.submit([5, 6, 7]), queue.submit([8])]);
    expect(answers.map((results) => results.map((result) => result.reward))).toEqual([[1], [2, 3], [4], [5, 6, 7], [8]]);
    expect(sizes).toEqual([4, 4]);
    await queue.drain();
    expect(queue.waiting + queue.running).toBe(0);
  });

  test('a failing batch rejects every request in it, and the queue keeps working', async () => {
    let calls = 0;
    const queue = createBatchQueue(() => async (rollouts) => {
      calls++;
      if (calls === 1) throw new Error('worker crashed');
      return rollouts.map(() => ({ reward: 1, status: 'ok' as const }));
    }, { maxBatch: 8, maxWaitMs: 1 });
    await expect(Promise.all([queue.submit(['a']), queue.submit(['b'])])).rejects.toThrow('worker crashed');
    await expect(queue.submit(['c'])).resolves.toEqual([{ reward: 1, status: 'ok' }]);
  });
});

describe('reward server over HTTP', () => {
  test('/v1/score scores in order and returns the records the CLI writes; explain=1 adds the tree', async () => {
    const server = await start(mixConfig);
    const response = await call(server, {
      method: 'POST',
      url: '/v1/score?explain=1',
      payload: { rollouts: [{ id: 'a', completion: '<answer>Paris</answer>', reference: 'Paris' }, { id: 'b', completion: 'Rome', reference: 'Paris' }] },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.results.map((record: { id: string; reward: number; status: string }) => [record.id, record.reward, record.status])).toEqual([
      ['a', 1, 'ok'],
      ['b', 0, 'ok'],
    ]);
    expect(body.results[0].components).toMatchObject({ format: 1, accuracy: 1 });
    expect(body.results[0].explain.children[0].node).toBe('formula "0.25*format + 0.75*accuracy"');
    expect(body.results[0].explain.children[0].children.map((child: { value: number }) => child.value)).toEqual([1, 1]);
  });

  test('/get_reward speaks OpenRLHF: lists of one, empty lists for empty lists, every component in extra_logs', async () => {
    const server = await start(mixConfig);
    const one = await call(server, { method: 'POST', url: '/get_reward', payload: { query: ['Q: capital?\nA: <answer>Paris</answer><|im_end|>'], prompts: ['Q: capital?\nA: '], labels: ['Paris'] } });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ rewards: [1], scores: [1], extra_logs: { format: [1], accuracy: [1], skipped: [0] } });
    // sub-scores of a component (format.tags' well-formedness) are logged too, one entry per query
    for (const values of Object.values(one.json().extra_logs as Record<string, unknown[]>)) expect(values).toHaveLength(1);
    const empty = await call(server, { method: 'POST', url: '/get_reward', payload: { query: [], prompts: [], labels: [] } });
    expect(empty.json()).toEqual({ rewards: [], scores: [], extra_logs: {} });
    const malformed = await call(server, { method: 'POST', url: '/get_reward', payload: { query: 'not a list' } });
    expect(malformed.statusCode).toBe(400);
  });

  test('an infrastructure fault is 503 with a reason, never a reward of 0', async () => {
    const server = await start(faultConfig);
    const openrlhf = await call(server, { method: 'POST', url: '/get_reward', payload: { query: ['P: x'], prompts: ['P:'], labels: ['y'] } });
    expect(openrlhf.statusCode).toBe(503);
    expect(openrlhf.json().error).toMatch(/MODEL_UNAVAILABLE/);
    expect(openrlhf.json().rewards).toBeUndefined();
    const native = await call(server, { method: 'POST', url: '/v1/score', payload: { rollouts: [{ completion: 'x' }] } });
    expect(native.statusCode).toBe(503);
    expect(native.json().results[0]).toMatchObject({ reward: null, status: 'error' });
  });

  test('a skipped rollout gets on_skip (with a skipped log) for OpenRLHF', async () => {
    const server = await start(skipConfig, { onSkip: -1 });
    const response = await call(server, { method: 'POST', url: '/get_reward', payload: { query: ['P: hello'], prompts: ['P:'], labels: [''] } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ rewards: [-1], scores: [0], extra_logs: { bleu: [null], skipped: [1] } });
  });

  test('health, config, rewards and Prometheus metrics', async () => {
    const server = await start(mixConfig);
    expect((await call(server, { method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok', components: ['format', 'accuracy'] });
    expect((await call(server, { method: 'GET', url: '/v1/config' })).json()).toMatchObject({ components: ['format', 'accuracy'], on_skip: 0 });
    const rewards = (await call(server, { method: 'GET', url: '/v1/rewards' })).json().rewards.map((reward: { name: string }) => reward.name);
    expect(rewards).toEqual(expect.arrayContaining(['math.verify', 'match.exact', 'format.tags']));
    await call(server, { method: 'POST', url: '/v1/score', payload: { rollouts: [{ completion: '<answer>1</answer>', reference: '1' }] } });
    const metrics = (await call(server, { method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/mixreward_results_total\{reward="mix",status="ok"\} 1/);
    expect(metrics).toMatch(/mixreward_request_duration_seconds_count\{endpoint="\/v1\/score",code="200"\} 1/);
    expect(metrics).toMatch(/mixreward_batch_size_count 1/);
    expect(metrics).toMatch(/mixreward_requests_running 0/);
  });

  test('a bearer token is required when set and compared as a whole', async () => {
    const server = await start(mixConfig, { token: 's3cret' });
    const payload = { rollouts: [{ completion: 'x', reference: 'x' }] };
    expect((await call(server, { method: 'POST', url: '/v1/score', payload })).statusCode).toBe(401);
    expect((await call(server, { method: 'POST', url: '/v1/score', payload, headers: { authorization: 'Bearer s3cre' } })).statusCode).toBe(401);
    expect((await call(server, { method: 'POST', url: '/v1/score', payload, headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(200);
    expect((await call(server, { method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  test('back-pressure: past max_pending the server answers 429 with Retry-After; past the body limit 413', async () => {
    const server = await start(mixConfig, { maxPending: 2, maxBodyBytes: 2048 });
    const busy = await call(server, { method: 'POST', url: '/v1/score', payload: { rollouts: [{ completion: 'a' }, { completion: 'b' }, { completion: 'c' }] } });
    expect(busy.statusCode).toBe(429);
    expect(busy.headers['retry-after']).toBe('1');
    const big = await call(server, { method: 'POST', url: '/v1/score', payload: { rollouts: [{ completion: 'x'.repeat(4096) }] } });
    expect(big.statusCode).toBe(413);
  });

  test('reload swaps the config for later requests; close finishes and /health turns 503 while closing', async () => {
    const path = writeConfig('reload.yaml', 'rewards:\n  accuracy: { use: match.exact }\nmix: accuracy\n');
    const server = await start(path);
    writeConfig('reload.yaml', 'rewards:\n  format: { use: format.tags, with: { tags: [answer] } }\nmix: format\n');
    await server.reload();
    const after = await call(server, { method: 'POST', url: '/v1/score', payload: { rollouts: [{ completion: '<answer>x</answer>', reference: 'y' }] } });
    expect(after.json().results[0]).toMatchObject({ reward: 1, components: { format: 1 } });
    await server.close();
    await server.close();
  });
});

describe('Python clients, called exactly as their trainers call them', () => {
  test('verl: concurrent async compute_score calls are batched and every sample returns the same keys', async () => {
    const server = await start(mixConfig, { maxWaitMs: 20 });
    const script = `
import asyncio, json
from mixreward_verl import compute_score
async def main():
    samples = [("qa", "<answer>Paris</answer>", "Paris"), ("qa", "Rome", "Paris"), ("qa", "<answer>Rome</answer>", "Paris")]
    out = await asyncio.gather(*[compute_score(data_source=d, solution_str=s, ground_truth=g, extra_info={"index": i}) for i, (d, s, g) in enumerate(samples)])
    print(json.dumps(out))
asyncio.run(main())
`;
    const { code, stdout, stderr } = await python(script, { MIXREWARD_URL: server.url });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, number>[];
    expect(out).toEqual([
      { score: 1, skipped: 0, format: 1, accuracy: 1 },
      { score: 0, skipped: 0, format: 0, accuracy: 0 },
      { score: 0.25, skipped: 0, format: 1, accuracy: 0 },
    ]);
    const metrics = (await call(server, { method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/mixreward_batch_size_count 1\n/);
  });

  test('verl: a fault raises MixRewardError instead of returning a score', async () => {
    const server = await start(faultConfig);
    const script = `
import asyncio
from mixreward_verl import compute_score, MixRewardError
try:
    asyncio.run(compute_score(data_source="x", solution_str="y", ground_truth="z", extra_info=None))
    print("returned")
except MixRewardError as error:
    print("raised", "MODEL_UNAVAILABLE" in str(error))
`;
    const { stdout } = await python(script, { MIXREWARD_URL: server.url });
    expect(stdout.trim()).toBe('raised True');
  });

  test('TRL: conversational batches, None for skipped, components as their own reward functions, async variant', async () => {
    const mix = await start(mixConfig);
    const skip = await start(skipConfig);
    const script = `
import asyncio, json, sys
from mixreward_trl import MixRewardFunc, AsyncMixRewardFunc
prompts = [[{"role": "user", "content": "Capital of France?"}]] * 2
completions = [[{"role": "assistant", "content": "<answer>Paris</answer>"}], [{"role": "assistant", "content": [{"type": "text", "text": "Rome"}]}]]
reward = MixRewardFunc(url=sys.argv[1] if len(sys.argv) > 1 else None, reference_column="solution")
result = {
  "mix": reward(prompts=prompts, completions=completions, completion_ids=[[1], [2]], solution=["Paris", "Paris"], trainer_state=object()),
  "format": reward.component("format")(prompts=prompts, completions=completions, completion_ids=None, solution=["Paris", "Paris"]),
  "name": reward.component("accuracy").__name__,
  "async": asyncio.run(AsyncMixRewardFunc(reference_column="solution")(prompts=prompts, completions=completions, solution=["Paris", "Paris"])),
}
import os
os.environ["MIXREWARD_URL"] = ${JSON.stringify(skip.url)}
result["skipped"] = MixRewardFunc(reference_column="solution")(prompts=["a"], completions=["hello"], solution=[None])
print(json.dumps(result))
`;
    const { code, stdout, stderr } = await python(script, { MIXREWARD_URL: mix.url });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ mix: [1, 0], format: [1, 0], name: 'mixreward_accuracy', async: [1, 0], skipped: [null] });
  });

  test("OpenRLHF: its own request pattern (one sample per POST, 5 tries on non-2xx, empty lists) against /get_reward", async () => {
    const good = await start(mixConfig);
    const bad = await start(faultConfig);
    // OpenRLHF's remote client, as its code has it: POST json, raise_for_status, 5 tries, 180 s.
    const script = `
import json, sys, urllib.request, urllib.error
def request_api_wrapper(url, data, try_max_times=5):
    tries = 0
    for _ in range(try_max_times):
        tries += 1
        try:
            req = urllib.request.Request(url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}, method="POST")
            with urllib.request.urlopen(req, timeout=180) as response:
                return json.loads(response.read()), tries
        except urllib.error.HTTPError as error:
            last = error.code
    return {"failed": last}, tries
good, bad = sys.argv[1], sys.argv[2]
out = {
  "one": request_api_wrapper(good + "/get_reward", {"query": ["Q? <answer>4</answer></s>"], "prompts": ["Q? "], "labels": ["4"]}),
  "empty": request_api_wrapper(good + "/get_reward", {"query": [], "prompts": [], "labels": []}),
  "fault": request_api_wrapper(bad + "/get_reward", {"query": ["Q? 4"], "prompts": ["Q? "], "labels": ["4"]}),
}
from mixreward_openrlhf import reward_func
import os
os.environ["MIXREWARD_URL"] = good
out["local"] = reward_func(["P: <answer>x</answer>", "P: y"], ["P: ", "P: "], ["x", "x"])
print(json.dumps(out))
`;
    const child = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise) => {
      const process_ = spawn('python3', ['-c', script, good.url, bad.url], { env: { ...process.env, PYTHONPATH: pythonDir }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      process_.stdout.on('data', (chunk) => (stdout += chunk));
      process_.stderr.on('data', (chunk) => (stderr += chunk));
      process_.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    });
    expect(child.stderr).toBe('');
    const out = JSON.parse(child.stdout);
    expect(out.one).toMatchObject([{ rewards: [1], scores: [1], extra_logs: { format: [1], accuracy: [1], skipped: [0] } }, 1]);
    expect(out.empty).toEqual([{ rewards: [], scores: [], extra_logs: {} }, 1]);
    expect(out.fault).toEqual([{ failed: 503 }, 5]);
    expect(out.local).toMatchObject({ rewards: [1, 0], scores: [1, 0], extra_logs: { format: [1, 0], accuracy: [1, 0], skipped: [0, 0] } });
  });
});
