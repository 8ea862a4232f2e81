// The sandbox fails closed (issue 11): `backend: auto` runs code under bubblewrap, else on a
// configured SandboxFusion server, else not at all (SANDBOX_UNAVAILABLE naming the fix). The
// unsandboxed `process` backend runs only when named, and every result says so. Missing or broken
// bubblewrap is simulated with `bwrap_path`: a path where nothing is, and a stand-in that answers
// `--version` but cannot make a sandbox.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, RewardResult, Rollout } from '@mixreward/core';
import { runCode } from './run-code.js';
import { type CodeTestsOptions, createCodeTestsReward } from './tests-reward.js';

// These tests run real programs in sandboxes; on a loaded machine one can take seconds. This is
// jest's budget per test, not an assertion about time.
(import.meta as ImportMeta & { jest: { setTimeout(ms: number): void } }).jest.setTimeout(60000);

let folder: string;
let brokenBwrap: string;
let server: Server;
let serverUrl: string;
let serverRequests = 0;
const missingBwrap = '/nonexistent/mixreward/bwrap';

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'mixreward-backend-choice-'));
  chmodSync(folder, 0o777);
  // Installed but broken: it prints a version, and fails every real invocation as a kernel without
  // user namespaces makes bwrap fail.
  brokenBwrap = join(folder, 'bwrap');
  writeFileSync(brokenBwrap, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "bubblewrap 0.8.0"; exit 0; fi\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n', { mode: 0o755 });
  chmodSync(brokenBwrap, 0o755);
  // A stand-in SandboxFusion server: every program "prints 3".
  server = createServer((request, response) => {
    serverRequests += 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ status: 'Success', compile_result: null, run_result: { status: 'Finished', execution_time: 0.01, return_code: 0, stdout: '3\n', stderr: '' } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(folder, { recursive: true, force: true });
});

const signal = () => ({ signal: new AbortController().signal });
const recording = () => {
  const messages: string[] = [];
  const logger: Logger = { info: (message) => messages.push(`info: ${message}`), warn: (message) => messages.push(`warn: ${message}`) };
  return { logger, messages };
};

/** A program that leaves a file on the host if it ever runs outside a sandbox, and prints a + b. */
const witness = (name: string) =>
  `\`\`\`python\ntry:\n    open(${JSON.stringify(join(folder, name))}, 'w').write('ran')\nexcept OSError:\n    pass\na, b = map(int, input().split())\nprint(a + b)\n\`\`\``;
const reference = { tests: [{ stdin: '1 2', stdout: '3' }] };

async function scoreWith(options: CodeTestsOptions, rollouts: Rollout[], logger?: Logger, baseDir?: string): Promise<RewardResult[]> {
  const scorer = await createCodeTestsReward(options, { ...(logger ? { logger } : {}), ...(baseDir ? { baseDir } : {}) });
  return scorer.score(rollouts, signal());
}

describe('backend auto fails closed', () => {
  test('bubblewrap missing and no SandboxFusion: every rollout is SANDBOX_UNAVAILABLE naming the fixes, and nothing runs', async () => {
    const { logger, messages } = recording();
    const results = await scoreWith({ bwrap_path: missingBwrap }, [
      { completion: witness('missing-1'), reference },
      { completion: witness('missing-2'), reference },
    ], logger);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'SANDBOX_UNAVAILABLE' } });
      expect(result.reason).toContain(`bubblewrap was not found at ${missingBwrap}`);
      expect(result.reason).toContain('apt-get install bubblewrap');
      expect(result.reason).toContain('with.sandbox_fusion.url');
      expect(result.reason).toContain('with.backend: process');
    }
    expect(existsSync(join(folder, 'missing-1'))).toBe(false);
    expect(existsSync(join(folder, 'missing-2'))).toBe(false);
    expect(messages.filter((message) => message.startsWith('warn: ') && message.includes('found no sandbox'))).toHaveLength(1);
  });

  test('bubblewrap installed but broken: SANDBOX_UNAVAILABLE with its error and the sysctl fix, and nothing runs', async () => {
    const [result] = await scoreWith({ bwrap_path: brokenBwrap }, [{ completion: witness('broken'), reference }]);
    expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'SANDBOX_UNAVAILABLE' } });
    expect(result?.reason).toContain('cannot create a sandbox here');
    expect(result?.reason).toContain('No permissions to create new namespace');
    expect(result?.reason).toContain('unprivileged_userns_clone');
    expect(existsSync(join(folder, 'broken'))).toBe(false);
  });

  test('a missing reference is still skipped, and a wrong reference still INVALID_REFERENCE, without a sandbox', async () => {
    const [missing, wrong] = await scoreWith({ bwrap_path: missingBwrap }, [{ completion: witness('x') }, { completion: witness('y'), reference: 42 }]);
    expect(missing).toMatchObject({ status: 'skipped', reward: null });
    expect(wrong).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
  });

  test('bubblewrap broken and SandboxFusion configured: the runs go to the server', async () => {
    const before = serverRequests;
    const { logger, messages } = recording();
    const [result] = await scoreWith({ bwrap_path: brokenBwrap, sandbox_fusion: { url: serverUrl } }, [{ completion: witness('to-server'), reference }], logger);
    expect(result).toMatchObject({ status: 'ok', reward: 1 });
    expect(result?.reason).not.toContain('UNSANDBOXED');
    expect(serverRequests - before).toBe(1);
    expect(messages.some((message) => message.includes('using SandboxFusion'))).toBe(true);
    expect(existsSync(join(folder, 'to-server'))).toBe(false);
  });

  test('bubblewrap working: auto runs under bwrap, which cannot write the host folder', async () => {
    const [result] = await scoreWith({}, [{ completion: witness('under-bwrap'), reference }]);
    expect(result).toMatchObject({ status: 'ok', reward: 1, reason: 'the test passed' });
    expect(existsSync(join(folder, 'under-bwrap'))).toBe(false);
  });

  test('a relative bwrap_path resolves against the config folder', async () => {
    const [result] = await scoreWith({ bwrap_path: 'bwrap' }, [{ completion: witness('relative'), reference }], undefined, folder);
    expect(result).toMatchObject({ status: 'error', error: { code: 'SANDBOX_UNAVAILABLE' } });
    expect(result?.reason).toContain(`bubblewrap (${brokenBwrap}) is installed but cannot create a sandbox here`);
  });

  test('backend bwrap named with a missing bwrap_path is SANDBOX_UNAVAILABLE too', async () => {
    const [result] = await scoreWith({ backend: 'bwrap', bwrap_path: missingBwrap }, [{ completion: witness('named'), reference }]);
    expect(result).toMatchObject({ status: 'error', error: { code: 'SANDBOX_UNAVAILABLE' } });
    expect(existsSync(join(folder, 'named'))).toBe(false);
  });
});

describe('the process backend runs only when named, and says so in every result', () => {
  test('ok, wrong, error and skipped results all carry the UNSANDBOXED note; a warning is logged', async () => {
    const { logger, messages } = recording();
    const results = await scoreWith({ backend: 'process', bwrap_path: missingBwrap }, [
      { completion: witness('process'), reference },
      { completion: '```python\nprint(4)\n```', reference },
      { completion: witness('process-bad-ref'), reference: { tests: 'none' } },
      { completion: witness('process-no-ref') },
    ], logger);
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok', 'error', 'skipped']);
    expect(results.map((result) => result.reward)).toEqual([1, 0, null, null]);
    for (const result of results) expect(result.reason).toMatch(/^UNSANDBOXED \(backend process: no isolation\): /);
    expect(results[0]?.reason).toContain('the test passed');
    // It really ran without isolation: the program could write the host folder.
    expect(existsSync(join(folder, 'process'))).toBe(true);
    expect(messages.some((message) => message.startsWith('warn: ') && message.includes('WITHOUT A SANDBOX'))).toBe(true);
  });
});

describe('runCode fails closed too', () => {
  test('no backend named and bubblewrap missing: SANDBOX_UNAVAILABLE, the program never runs', async () => {
    const marker = join(folder, 'run-code');
    await expect(runCode({ code: `open(${JSON.stringify(marker)}, 'w').write('ran')`, bwrapPath: missingBwrap })).rejects.toMatchObject({
      code: 'SANDBOX_UNAVAILABLE',
      message: expect.stringContaining('apt-get install bubblewrap'),
    });
    expect(existsSync(marker)).toBe(false);
  });
});
