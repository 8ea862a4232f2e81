// The SandboxFusion client against a tiny fake run_code server on 127.0.0.1. The fake runs Python
// for real (so harness files travel the way they would) and answers canned statuses on cue.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RewardResult, Rollout } from '@mixreward/core';
import { mapRunCodeResponse, type RunCodeRequest, type RunCodeResponse } from './sandbox-fusion.js';
import { createCodeTestsReward } from './tests-reward.js';

// These tests run real programs in sandboxes; on a loaded machine one can take seconds. This is
// jest's budget per test, not an assertion about time.
(import.meta as ImportMeta & { jest: { setTimeout(ms: number): void } }).jest.setTimeout(60000);

let server: Server;
let url: string;
const requests: RunCodeRequest[] = [];
let failNext504 = 0;

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

async function runPython(request: RunCodeRequest): Promise<RunCodeResponse> {
  const dir = mkdtempSync(join(tmpdir(), 'fake-sandbox-fusion-'));
  try {
    writeFileSync(join(dir, 'main.py'), request.code);
    for (const [name, content] of Object.entries(request.files)) writeFileSync(join(dir, name), Buffer.from(content, 'base64'));
    return await new Promise((resolve) => {
      // The fake's own limit is generous: on a loaded machine a cold python start can take seconds.
      const child = execFile('python3', ['main.py'], { cwd: dir, timeout: 60000 }, (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
        if (error && typeof error.code !== 'number') stderr = `${stderr}fake server: ${error.message}`;
        resolve({
          status: code === 0 ? 'Success' : 'Failed',
          compile_result: null,
          run_result: { status: 'Finished', execution_time: 0.01, return_code: code, stdout, stderr },
        });
      });
      child.stdin?.end(request.stdin);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/run_code') {
      response.writeHead(404).end();
      return;
    }
    const payload = JSON.parse(await body(request)) as RunCodeRequest;
    requests.push(payload);
    if (failNext504 > 0) {
      failNext504 -= 1;
      response.writeHead(504).end('gateway timeout');
      return;
    }
    let answer: RunCodeResponse;
    if (payload.code.includes('COMPILE_FAIL')) {
      answer = { status: 'Failed', compile_result: { status: 'Finished', return_code: 1, stdout: '', stderr: 'main.cpp:1:1: error: boom' }, run_result: null };
    } else if (payload.code.includes('SLOW')) {
      answer = { status: 'Failed', compile_result: null, run_result: { status: 'TimeLimitExceeded', execution_time: 2, return_code: null, stdout: '', stderr: '' } };
    } else if (payload.code.includes('BROKEN_POD')) {
      answer = { status: 'SandboxError', message: 'executor pod died', compile_result: null, run_result: null };
    } else {
      answer = await runPython(payload);
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fence = (code: string, language = 'python') => `\`\`\`${language}\n${code}\n\`\`\``;
const score = async (rollouts: Rollout[], mode: 'all' | 'fraction' = 'fraction'): Promise<RewardResult[]> =>
  (await createCodeTestsReward({ backend: 'sandbox-fusion', sandbox_fusion: { url }, mode, timeout_ms: 3000, compile_timeout_ms: 7000, memory_mb: 256 })).score(rollouts, {
    signal: new AbortController().signal,
  });

describe('sandbox-fusion backend', () => {
  test('sends run_code requests of the documented shape and scores stdin/stdout tests', async () => {
    requests.length = 0;
    const [result] = await score([
      { completion: fence('a, b = map(int, input().split())\nprint(a * b)'), reference: { tests: [{ stdin: '2 2', stdout: '4' }, { stdin: '2 3', stdout: '5' }] } },
    ]);
    expect(result).toMatchObject({ status: 'ok', reward: 0.5, components: { passed: 1, wrong_answer: 1 } });
    expect(requests).toHaveLength(2);
    expect(requests.map((request) => request.stdin).sort()).toEqual(['2 2', '2 3']);
    expect(requests[0]).toMatchObject({ language: 'python', compile_timeout: 7, run_timeout: 3, memory_limit_MB: 256, files: {} });
    expect(requests[0]?.code).toContain('print(a * b)');
  }, 30000); // the fake server spawns real python: a cold start on a loaded machine takes seconds (jest budget, not an assertion)

  test('function-call tests ship the solution as a base64 file beside the harness', async () => {
    requests.length = 0;
    const [result] = await score([{ completion: fence('def add(a, b):\n    return a + b'), reference: { tests: [{ fn_name: 'add', args: [2, 3], expected: 5 }] } }]);
    expect(result?.reward).toBe(1);
    expect(Buffer.from(requests[0]?.files['solution.py'] ?? '', 'base64').toString('utf8')).toBe('def add(a, b):\n    return a + b');
  }, 30000);

  test('Python assert tests ship the strict harness with the code and the script as files, and the done marker on stdin', async () => {
    requests.length = 0;
    const results = await score([
      { completion: fence('def add(a, b):\n    return a + b'), reference: { tests: [{ assert: 'assert add(2, 3) == 5' }] } },
      { completion: fence('class Anything:\n    def __eq__(self, other):\n        return True\n\ndef add(a, b):\n    return Anything()'), reference: { tests: [{ assert: 'assert add(2, 3) == 5' }] } },
    ]);
    expect(results.map((result) => result.reward)).toEqual([1, 0]);
    const request = requests.find((sent) => Buffer.from(sent.files['solution.py'] ?? '', 'base64').toString('utf8') === 'def add(a, b):\n    return a + b');
    expect(Buffer.from(request?.files['test.py'] ?? '', 'base64').toString('utf8')).toBe('assert add(2, 3) == 5');
    expect(request?.stdin).toMatch(/^__MIXREWARD_ASSERTS_DONE_[0-9a-f]{24}__$/);
    expect(request?.code).not.toContain(request?.stdin);
  }, 30000);

  test('statuses map to compile error, timeout, and an error result for a sandbox fault', async () => {
    const results = await score([
      { completion: fence('// COMPILE_FAIL', 'cpp'), reference: { tests: [{ stdin: '', stdout: '1' }] } },
      { completion: fence('# SLOW'), reference: { tests: [{ stdin: '', stdout: '1' }] } },
      { completion: fence('# BROKEN_POD'), reference: { tests: [{ stdin: '', stdout: '1' }] } },
    ]);
    expect(results[0]).toMatchObject({ status: 'ok', reward: 0, components: { compile_error: 1 } });
    expect(results[0]?.reason).toContain('error: boom');
    expect(results[1]).toMatchObject({ status: 'ok', reward: 0, components: { timeout: 1 } });
    expect(results[2]).toMatchObject({ status: 'error', reward: null, error: { code: 'SANDBOX_UNAVAILABLE' } });
    expect(results[2]?.reason).toContain('executor pod died');
  });

  test('HTTP 504 is retried', async () => {
    failNext504 = 2;
    requests.length = 0;
    const [result] = await score([{ completion: fence('print(7)'), reference: { tests: [{ stdin: '', stdout: '7' }] } }]);
    expect(result?.reward).toBe(1);
    expect(requests).toHaveLength(3);
  });

  test('an unreachable server is an error naming the URL, never a 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const [result] = await (await createCodeTestsReward({ backend: 'sandbox-fusion', sandbox_fusion: { url: `http://127.0.0.1:${port}` } })).score(
      [{ completion: fence('print(7)'), reference: { tests: [{ stdin: '', stdout: '7' }] } }],
      { signal: new AbortController().signal },
    );
    expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'SANDBOX_UNAVAILABLE' } });
    expect(result?.reason).toContain(`127.0.0.1:${port}/run_code`);
  });

  test('mapRunCodeResponse follows SandboxFusion statuses', () => {
    expect(mapRunCodeResponse({ status: 'Success', run_result: { status: 'Finished', return_code: 0, stdout: 'hi\n', stderr: '' } }, 5)).toMatchObject({
      status: 'exited',
      exitCode: 0,
      stdout: 'hi\n',
    });
    expect(mapRunCodeResponse({ status: 'Failed', run_result: { status: 'Finished', return_code: 2, stdout: '', stderr: 'Traceback' } }, 5)).toMatchObject({
      status: 'exited',
      exitCode: 2,
    });
    expect(mapRunCodeResponse({ status: 'Failed', compile_result: { status: 'TimeLimitExceeded' } }, 5)).toMatchObject({ status: 'compile_error', stderr: 'compilation timed out' });
    expect(() => mapRunCodeResponse({ status: 'Failed', run_result: { status: 'Error', stderr: 'no such runner' } }, 5)).toThrow(/sandbox error/);
  });
});
