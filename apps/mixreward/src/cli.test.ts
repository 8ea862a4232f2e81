import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main, demoFiles, renderSummary } from './cli.js';
import type { OutputRecord } from './score.js';
import { defaultRegistry } from './registry.js';

const registry = defaultRegistry();

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

const dir = mkdtempSync(join(tmpdir(), 'mixreward-cli-'));

describe('mixreward score', () => {
  test('--reward with --with scores stdin JSONL, keeping order and input fields', async () => {
    const input = [
      JSON.stringify({ id: 'a', completion: '<answer>Paris</answer>', reference: 'paris' }),
      '',
      JSON.stringify({ id: 'b', completion: '<answer>Rome</answer>', reference: 'paris' }),
    ].join('\n');
    const { code, stdout } = await run(['score', '--reward', 'match.exact', '--with', '{"case_sensitive": false}'], input);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((row) => [row.id, row.reward, row.status])).toEqual([
      ['a', 1, 'ok'],
      ['b', 0, 'ok'],
    ]);
    expect(rows[0].components).toEqual({ match_exact: 1 });
  });

  test('a component that skipped every rollout is named on stderr with its reason (a field-mapping mistake)', async () => {
    // The trainer wrote `answer`, not `reference`: match.exact has nothing to compare against.
    const input = [JSON.stringify({ completion: '<answer>4</answer>', answer: '4' }), JSON.stringify({ completion: '<answer>5</answer>', answer: '4' })].join('\n');
    const { code, stdout, stderr } = await run(['score', '--reward', 'match.exact'], input);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((line) => JSON.parse(line).status)).toEqual(['skipped', 'skipped']);
    expect(stderr).toContain('warning: component "match_exact" skipped or failed all 2 rollouts it ran on (first reason: no reference: match.exact needs rollout.reference');
  });

  test('no warning when a component scored at least one rollout', async () => {
    const input = [JSON.stringify({ completion: '<answer>4</answer>', reference: '4' }), JSON.stringify({ completion: '<answer>5</answer>' })].join('\n');
    const { stderr } = await run(['score', '--reward', 'match.exact'], input);
    expect(stderr).not.toContain('warning');
  });

  test('a non-JSON line and a line without completion get error rows naming the line; the rest are scored', async () => {
    const input = ['{"completion": "<think>a</think><answer>b</answer>"}', '{not json', '{"prompt": "x"}', '[1]', '{"completion": "plain"}'].join('\n');
    const { code, stdout } = await run(['score', '--reward', 'format.tags'], input);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((row) => row.status)).toEqual(['ok', 'error', 'error', 'error', 'ok']);
    expect(rows[1].reason).toMatch(/^line 2: not valid JSON/);
    expect(rows[2]).toMatchObject({ error: { code: 'INVALID_ROLLOUT' }, reason: 'the rollout has no "completion" field' });
    expect(rows[3].reason).toBe('line 4: expected a JSON object, got a list');
    expect(rows.map((row) => row.reward)).toEqual([1, null, null, null, 0]);
  });

  test('a 10 MB completion is scored, not a crash', async () => {
    const input = JSON.stringify({ completion: `<think>${'x'.repeat(10_000_000)}</think><answer>1</answer>` });
    const { code, stdout } = await run(['score', '--reward', 'format.tags'], input);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).reward).toBe(1);
  });

  test('a config file with a route; unknown task with no default is a per-rollout error', async () => {
    const config = join(dir, 'route.yaml');
    writeFileSync(config, 'rewards:\n  format: { use: format.tags }\n  exact: { use: match.exact }\nmix:\n  route:\n    qa: "0.2*format + 0.8*exact"\n');
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, [JSON.stringify({ task: 'qa', completion: '<think>t</think><answer>4</answer>', reference: '4' }), JSON.stringify({ task: 'other', completion: 'x', reference: '1' })].join('\n'));
    const output = join(dir, 'out.jsonl');
    const { code } = await run(['score', '--config', config, '--input', input, '--output', output]);
    expect(code).toBe(0);
    const rows = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(rows[0]).toMatchObject({ reward: 1, status: 'ok', components: { format: 1, exact: 1 } });
    expect(rows[1]).toMatchObject({ reward: null, status: 'error', error: { code: 'UNKNOWN_TASK' } });
  });

  test.each([
    [['score', '--reward', 'nope.reward'], /unknown reward "nope.reward"/],
    [['score', '--reward', 'match.exact', '--with', '{bad'], /--with must be a JSON object/],
    [['score', '--reward', 'format.tags', '--with', '{"order": "yes"}'], /rewards\.format_tags\.with\.order: Invalid input: expected boolean/],
    [['score'], /score needs --config FILE or --reward NAME/],
    [['score', '--reward', 'format.tags', '--input', '/nonexistent/file.jsonl'], /cannot read input \/nonexistent\/file\.jsonl: ENOENT/],
    [['score', '--reward', 'format.tags', '--concurrency', '0'], /--concurrency must be a positive integer/],
  ])('%j fails with a clear message', async (argv, message) => {
    const { code, stderr } = await run(argv as string[]);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});

describe('mixreward validate, list, schema', () => {
  test('validate reports ok or the path of the problem', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'rewards:\n  format: { use: format.tags }\n');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'rewards:\n  format: { use: format.tags }\n  exact: { use: match.exact }\nmix: "format + exat"\n');
    expect(await run(['validate', good])).toMatchObject({ code: 0, stdout: `${good}: ok (1 component: format)\n` });
    const failing = await run(['validate', bad]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('mix: formula "format + exat": unknown name "exat" (components: exact, format) at column 10');
  });

  test('list shows every registered reward with its options', async () => {
    const { code, stdout } = await run(['list', '--json']);
    expect(code).toBe(0);
    const rewards = JSON.parse(stdout) as { name: string; options: { name: string }[] }[];
    expect(rewards.map((reward) => reward.name)).toEqual(registry.list().map((plugin) => plugin.name));
    expect(rewards.find((reward) => reward.name === 'format.tags')?.options.map((option) => option.name)).toEqual(['tags', 'order', 'outside', 'non_empty', 'prefix', 'partial']);
    const text = await run(['list']);
    expect(text.stdout).toContain('length.overlong  DAPO soft overlong punishment');
  });

  test('schema prints a JSON Schema naming every reward', async () => {
    const { stdout } = await run(['schema']);
    const schema = JSON.parse(stdout);
    expect(schema.$defs.component.properties.use.enum).toEqual(registry.list().map((plugin) => plugin.name));
  });

  test('unknown command prints usage', async () => {
    const { code, stderr } = await run(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
  });
});

describe('score with a group transform', () => {
  // A = [1, 0, 0] interleaved with B = [1, 1, 0]; rank: A -> 1, 0.25, 0.25; B -> 0.75, 0.75, 0.
  const rows = [['a1', 'A', 'x'], ['b1', 'B', 'x'], ['b2', 'B', 'x'], ['a2', 'A', 'y'], ['b3', 'B', 'y'], ['a3', 'A', 'y']];
  const input = rows.map(([id, group, answer]) => JSON.stringify({ id, group, completion: `<answer>${answer}</answer>`, reference: 'x' })).join('\n');
  const expected = { a1: 1, b1: 0.75, b2: 0.75, a2: 0.25, b3: 0, a3: 0.25 };
  const configPath = join(dir, 'rank.yaml');
  writeFileSync(configPath, 'rewards:\n  exact: { use: match.exact }\nmix: { transform: exact, group: rank }\n');

  test('stdin: open groups are held to the end, reported on stderr, output in input order', async () => {
    const { code, stdout, stderr } = await run(['score', '--config', configPath], input);
    expect(code).toBe(0);
    const out = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(out.map((row) => row.id)).toEqual(['a1', 'b1', 'b2', 'a2', 'b3', 'a3']);
    expect(Object.fromEntries(out.map((row) => [row.id, row.reward]))).toEqual(expected);
    expect(stderr).toContain('up to 2 open groups and 6 records were held');
  });

  test('a file: read twice, same values, nothing to report', async () => {
    const file = join(dir, 'grouped.jsonl');
    writeFileSync(file, `${input}\n`);
    const { code, stdout, stderr } = await run(['score', '--config', configPath, '--input', file]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(Object.fromEntries(stdout.trim().split('\n').map((line) => JSON.parse(line)).map((row) => [row.id, row.reward]))).toEqual(expected);
  });
});

describe('demo', () => {
  test('the bundled config is valid and scores every bundled rollout without errors', async () => {
    const output = join(dir, 'demo.jsonl');
    const { code, stdout, stderr } = await run(['demo', '--output', output]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const input = readFileSync(demoFiles.input, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(input.length);
    // Only code may fail, and only when bubblewrap cannot run here (it fails closed).
    const failed = rows.filter((row) => row.status === 'error' || row.status === 'timeout');
    for (const row of failed) expect({ task: row.task, code: row.error?.code }).toEqual({ task: 'code', code: 'SANDBOX_UNAVAILABLE' });
    if (failed.length > 0) expect(stdout).toContain('first error/timeout:   [SANDBOX_UNAVAILABLE]');
    expect(stdout).toMatch(/mean reward/);
    for (const task of ['math', 'code', 'grounding', 'video', 'translation', 'finance', 'medical']) expect(stdout).toContain(`\n${task}: `);
  }, 60_000);
});

describe('renderSummary', () => {
  test('a task whose rollouts failed names the first error with its code (e.g. no sandbox for code)', () => {
    const text = renderSummary([
      { task: 'code', reward: null, status: 'error', reason: 'component tests failed: bubblewrap cannot run here', error: { code: 'SANDBOX_UNAVAILABLE' } },
      { task: 'math', reward: 1, status: 'ok', components: { math: 1 } },
    ] as OutputRecord[]);
    expect(text).toContain('code: 1 rollout, mean reward n/a (error 1)');
    expect(text).toContain('first error/timeout:   [SANDBOX_UNAVAILABLE] component tests failed: bubblewrap cannot run here');
    expect(text).toContain('math: 1 rollout, mean reward 1.000 (ok 1)');
  });
});
