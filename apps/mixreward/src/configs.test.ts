// Every example config in configs/ and examples/ loads against the app's registry and scores its
// committed sample rollouts (data/<name>-rollouts.jsonl): every status ok or skipped, except code
// when bubblewrap cannot run on this machine (SANDBOX_UNAVAILABLE: it fails closed, documented).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@mixreward/core';
import { buildDemoModels } from '../scripts/build-demo-models.js';
import { main } from './cli.js';
import { defaultRegistry } from './registry.js';

/** The fields of an output line these tests read. */
type Row = { id?: string; task?: string; reward?: number | null; status?: string; error?: { code?: string } };

const registry = defaultRegistry();
const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'mixreward-configs-'));
const configs = [
  ...readdirSync(join(appRoot, 'configs')).filter((name) => name.endsWith('.yaml')).map((name) => join('configs', name)),
  ...readdirSync(join(appRoot, 'examples')).filter((name) => name.endsWith('.yaml')).map((name) => join('examples', name)),
];

async function score(config: string): Promise<{ code: number; stderr: string; rows: Row[] }> {
  const name = config.replace(/^.*\//, '').replace(/\.yaml$/, '');
  const output = join(out, `${name}.jsonl`);
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk) => (err += chunk));
  const code = await main(['score', '--config', join(appRoot, config), '--input', join(appRoot, 'data', `${name}-rollouts.jsonl`), '--output', output], { stdin: Readable.from(['']), stdout: new PassThrough(), stderr }, registry);
  const rows = code === 0 ? readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];
  return { code, stderr: err, rows };
}

beforeAll(async () => {
  await buildDemoModels();
}, 120_000);

test('there is a config per domain and a multi-task one', () => {
  expect(configs.map((config) => config.replace(/^.*\//, '')).sort()).toEqual(
    expect.arrayContaining(['code.yaml', 'finance.yaml', 'math.yaml', 'medical.yaml', 'multi-task.yaml', 'translation.yaml', 'video.yaml', 'vision.yaml']),
  );
});

test.each(configs)('%s is valid and scores its sample rollouts', async (config) => {
  await expect(loadConfig(join(appRoot, config), registry)).resolves.toBeDefined();
  const { code, stderr, rows } = await score(config);
  expect(code).toBe(0);
  expect(stderr).not.toMatch(/warning: component/);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    if (row.status === 'ok' || row.status === 'skipped') continue;
    expect({ id: row.id, task: row.task, code: row.error?.code }).toEqual({ id: row.id, task: 'code', code: 'SANDBOX_UNAVAILABLE' });
  }
}, 120_000);

test('multi-task: hand-derived rewards of the shared-format mix', async () => {
  const { rows } = await score('configs/multi-task.yaml');
  const reward = Object.fromEntries(rows.map((row) => [row.id, row.reward]));
  // math-1: format 1, right answer, short: 0.1 + 0.9 = 1; math-2: wrong answer: 0.1.
  expect(reward['math-1']).toBeCloseTo(1, 12);
  expect(reward['math-2']).toBeCloseTo(0.1, 12);
  // grounding-2: [300,300,400,400] vs [350,300,450,400]: 5,000 / 15,000 = 1/3 -> 0.1 + 0.9/3 = 0.4.
  expect(reward['grounding-2']).toBeCloseTo(0.4, 12);
  // video-1: [12, 18.5] vs [12, 18]: 6 / 6.5 -> 0.1 + 0.9 * 12/13.
  expect(reward['video-1']).toBeCloseTo(0.1 + (0.9 * 12) / 13, 12);
  // finance-2: $120 answered, $100 expected (20% off, over 1%): 0.1; medical-1: B is right: 1.
  expect(reward['finance-2']).toBeCloseTo(0.1, 12);
  expect(reward['medical-1']).toBeCloseTo(1, 12);
  expect(new Set(rows.map((row) => row.task))).toEqual(new Set(['math', 'code', 'grounding', 'video', 'translation', 'finance', 'medical']));
}, 120_000);
