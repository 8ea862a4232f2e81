// Faults around `mixreward score`: a real SIGTERM to a real process (the run stops, says where, writes
// nothing partial and leaves no child process behind), a full disk, and an output that cannot be
// replaced. Output is written to a temporary file and renamed, so an old output stays whole.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from './cli.js';
import { defaultRegistry } from './registry.js';

const registry = defaultRegistry();
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'mixreward-faults-'));

async function run(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = await main(argv, { stdin: Readable.from([stdin]), stdout, stderr }, registry);
  return { code, stdout: out, stderr: err };
}

/** Processes whose command line is exactly `sleep <seconds>` (a unique number per test run). */
function sleepers(seconds: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') === `sleep\u0000${seconds}\u0000`) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function until<T>(probe: () => T | undefined, deadlineMs: number, what: string): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const linux = process.platform === 'linux' && existsSync('/proc/self/cmdline');

(linux ? test : test.skip)('SIGTERM during score: the slow rollout is stopped, the run says where it stopped, nothing partial is written, no child is left', async () => {
  const seconds = `600.${process.pid}${Date.now() % 1000}`;
  const config = join(dir, 'slow.yaml');
  writeFileSync(config, 'rewards:\n  slow: { use: test.sleep }\nmix: slow\n');
  const input = join(dir, 'slow.jsonl');
  writeFileSync(input, ['fast', 'fast', 'slow', 'fast'].map((completion) => JSON.stringify({ completion })).join('\n'));
  const output = join(dir, 'slow-out.jsonl');
  writeFileSync(output, 'previous results\n');

  const child = spawn(process.execPath, ['--conditions=@mixreward/source', '--import', 'tsx', join(here, '__fixtures__', 'slow-cli.ts'), 'score', '--config', config, '--input', input, '--output', output], {
    cwd: repoRoot,
    env: { ...process.env, SLOW_SLEEP_SECONDS: seconds, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  await until(() => (stderr.includes('slow rollout started') ? true : undefined), 90_000, 'the slow rollout to start');
  // The count can fail: the sandbox-like child is there before the signal.
  expect(sleepers(seconds)).toHaveLength(1);
  child.kill('SIGTERM');
  const { code, signal } = await exited;

  expect(signal).toBeNull();
  expect(code).toBe(143);
  expect(stderr).toContain('mixreward: SIGTERM received: stopping');
  expect(stderr).toContain(`mixreward: stopped by SIGTERM after 2 of 4 rollouts were scored; nothing was written to --output ${output} (no partial output)`);
  expect(readFileSync(output, 'utf8')).toBe('previous results\n');
  expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  // No orphan: the child was killed, not left to init.
  await until(() => (sleepers(seconds).length === 0 ? true : undefined), 10_000, 'the child process to end');
  expect(sleepers(seconds)).toEqual([]);
}, 180_000);

(existsSync('/dev/full') ? test : test.skip)('a full disk (/dev/full) is a clear error with exit code 74', async () => {
  const { code, stderr } = await run(['score', '--reward', 'format.tags', '--output', '/dev/full'], '{"completion": "<think>a</think><answer>b</answer>"}\n');
  expect(code).toBe(74);
  expect(stderr).toBe('mixreward: error: cannot write output /dev/full (ENOSPC: no space left on device); it may hold part of the output. The scores of this run are lost: fix the cause and run again\n');
});

test('an output path that is a directory fails clearly, leaves what was there and no temporary file', async () => {
  const target = join(dir, 'taken');
  mkdirSync(target);
  writeFileSync(join(target, 'keep.txt'), 'kept');
  const { code, stderr } = await run(['score', '--reward', 'format.tags', '--output', target], '{"completion": "x"}\n');
  expect(code).toBe(74);
  expect(stderr).toBe(`mixreward: error: cannot write output ${target} (EISDIR: is a directory); nothing was written. The scores of this run are lost: fix the cause and run again\n`);
  expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('kept');
  expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

test('a successful run replaces the previous output whole and leaves no temporary file', async () => {
  const output = join(dir, 'nested', 'out.jsonl');
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, 'x'.repeat(10_000));
  const input = ['{"completion": "<think>a</think><answer>b</answer>"}', '{"completion": "no"}'].join('\n');
  const { code } = await run(['score', '--reward', 'format.tags', '--output', output], input);
  expect(code).toBe(0);
  expect(readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line).reward)).toEqual([1, 0]);
  expect(readdirSync(dirname(output))).toEqual(['out.jsonl']);
});
