// Every plugin of every package in the app's registry follows the house rules (CONTRIBUTING.md).
// A new package joins by its line in `rewardPackages` (apps/mixreward/src/registry.ts).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScorer, type RewardPlugin, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { rewardPackages } from '../../../apps/mixreward/src/registry.js';
import { buildModel } from '@mixreward/model-builder';
import { notCreated, sampleOptions, tinyModels } from './exemptions.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const NAME = /^[a-z]+\.[a-z][a-z0-9_]*$/;
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** Durations are milliseconds with `_ms`: no `_s`, `_sec`, `_seconds`, and a `timeout` key ends in `_ms`. */
const NOT_MS = /(_s|_sec|_secs|_seconds)$|(^|_)timeout$/;
/** A `reference` text that says the reward reads no reference. */
const NO_REFERENCE = /^(none|not used|optional)\b/i;
const STATUSES = new Set(['ok', 'skipped', 'error', 'timeout']);

/** The registry name in camelCase: `math.verify` -> `mathVerify`, `length.cosine` -> `lengthCosine`. */
function camelName(name: string): string {
  return name.replace(/[._]([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** A zod schema seen through its public fields only (no zod import: each package has its own copy). */
interface SchemaView {
  def: { type: string; innerType?: SchemaView; in?: SchemaView; out?: SchemaView; shape?: Record<string, SchemaView> };
  description?: string;
  shape?: Record<string, SchemaView>;
  safeParse(value: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } };
}

/** The schema and the wrappers under it (default, optional, nullable, pipe…). */
function layers(schema: SchemaView): SchemaView[] {
  const out: SchemaView[] = [];
  let current: SchemaView | undefined = schema;
  while (current && out.length < 10) {
    out.push(current);
    current = current.def.innerType ?? (current.def.type === 'pipe' ? current.def.in : undefined);
  }
  return out;
}
const descriptionOf = (schema: SchemaView) => layers(schema).find((layer) => typeof layer.description === 'string')?.description;
const hasDefault = (schema: SchemaView) => layers(schema).some((layer) => layer.def.type === 'default' || layer.def.type === 'prefault');

function snakeKeys(value: unknown, path: string, bad: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) if (!SNAKE.test(key)) bad.push(`${path}.${key}`);
}

function checkResults(results: RewardResult[], count: number): void {
  expect(Array.isArray(results)).toBe(true);
  expect(results).toHaveLength(count);
  for (const result of results) {
    expect(STATUSES.has(result.status)).toBe(true);
    if (result.status === 'ok') expect(Number.isFinite(result.reward)).toBe(true);
    else expect(result.reward).toBeNull();
  }
}

const entries = rewardPackages.flatMap((entry) => entry.plugins.map((plugin) => ({ packageName: entry.name, plugin: plugin as RewardPlugin })));

test('the registry lists packages and every plugin name once', () => {
  expect(rewardPackages.length).toBeGreaterThan(0);
  const names = entries.map((entry) => entry.plugin.name);
  expect(new Set(names).size).toBe(names.length);
  for (const name of [...Object.keys(notCreated), ...Object.keys(sampleOptions), ...Object.keys(tinyModels)]) expect(names).toContain(name);
});

describe.each(rewardPackages.map((entry) => [entry.name]))('%s', (packageName) => {
  const folder = join(repoRoot, 'packages', packageName.replace('@mixreward/', ''));

  test('src/index.ts lists its public names explicitly (no `export *`)', () => {
    const index = readFileSync(join(folder, 'src', 'index.ts'), 'utf8');
    expect(index.match(/^export \*.*$/gm) ?? []).toEqual([]);
  });

  test('tsconfig.build.json extends tooling/tsconfig/build.json', () => {
    const config = JSON.parse(readFileSync(join(folder, 'tsconfig.build.json'), 'utf8')) as { extends?: string };
    expect(config.extends).toBe('@mixreward/tsconfig/build.json');
  });
});

describe.each(entries.map((entry) => [entry.plugin.name, entry]))('%s', (_name, { packageName, plugin }) => {
  const schema = plugin.options as unknown as SchemaView;
  const shape = schema.shape ?? schema.def.shape ?? {};

  test('metadata: name pattern, one-line description, follows, reference', () => {
    expect(plugin.name).toMatch(NAME);
    for (const field of ['description', 'follows', 'reference'] as const) {
      const text = plugin[field];
      expect({ field, text: typeof text === 'string' && text.trim().length > 0 && !text.includes('\n') ? 'one line' : text }).toEqual({ field, text: 'one line' });
    }
  });

  test('exports <domain><Name>Plugin and an async create<Domain><Name>Reward', async () => {
    const module = (await import(packageName)) as Record<string, unknown>;
    const camel = camelName(plugin.name);
    const factoryName = `create${camel[0]!.toUpperCase()}${camel.slice(1)}Reward`;
    expect({ [`${camel}Plugin`]: module[`${camel}Plugin`] === plugin }).toEqual({ [`${camel}Plugin`]: true });
    expect({ [factoryName]: typeof module[factoryName] }).toEqual({ [factoryName]: 'function' });
    // Async: it returns a promise (never a scorer, never a synchronous throw), even for bad options.
    const factory = module[factoryName] as (options?: unknown, context?: unknown) => unknown;
    let made: unknown;
    try {
      const runnable = notCreated[plugin.name] === undefined && tinyModels[plugin.name] === undefined;
      made = factory(runnable ? (sampleOptions[plugin.name] ?? {}) : { not_an_option_key: 1 }, { baseDir: repoRoot });
    } catch (error) {
      made = error;
    }
    expect({ [factoryName]: made instanceof Promise ? 'a promise' : made }).toEqual({ [factoryName]: 'a promise' });
    const scorer = await (made as Promise<Scorer>).catch(() => undefined);
    await scorer?.dispose?.();
  });

  test('options: a strict zod object, snake_case keys, each described (default or "required" stated), durations in _ms', () => {
    expect(schema.def.type).toBe('object');
    expect(schema.safeParse({ ...(sampleOptions[plugin.name] ?? {}), not_an_option_key: 1 }).success).toBe(false);
    const problems: string[] = [];
    for (const [key, field] of Object.entries(shape)) {
      if (!SNAKE.test(key)) problems.push(`${key}: not snake_case`);
      if (NOT_MS.test(key)) problems.push(`${key}: a duration is milliseconds with a _ms suffix`);
      const description = descriptionOf(field);
      if (!description?.trim()) problems.push(`${key}: no .describe() text`);
      else if (hasDefault(field) && !/default/i.test(description)) problems.push(`${key}: has a default that its description does not state`);
    }
    const empty = schema.safeParse({});
    if (!empty.success) {
      for (const issue of empty.error?.issues ?? []) {
        const key = String(issue.path[0] ?? '');
        const description = shape[key] ? descriptionOf(shape[key]) : undefined;
        if (!description || !/required/i.test(description)) problems.push(`${key || '(root)'}: parse({}) fails on it but its description does not say "required"`);
      }
    }
    expect(problems).toEqual([]);
  });

  const reason = notCreated[plugin.name];
  if (reason !== undefined) {
    // Not a skipped test: under CI=true any skipped test fails the run, and this exemption is deliberate.
    test(`runtime checks exempt (src/exemptions.ts): ${reason}`, () => expect(reason).toMatch(/needs/));
    return;
  }

  describe('scorer', () => {
    let scorer: Scorer | undefined;
    const signal = new AbortController().signal;

    let options: Record<string, unknown> = sampleOptions[plugin.name] ?? {};

    beforeAll(async () => {
      const kind = tinyModels[plugin.name];
      if (kind !== undefined) {
        const dir = mkdtempSync(join(tmpdir(), 'mixreward-conformance-'));
        await buildModel(kind, { dir });
        options = { ...options, model: dir };
      }
      scorer = await createScorer(plugin, options, { baseDir: repoRoot });
    });
    afterAll(async () => {
      await scorer?.dispose?.();
    });

    test('a rollout without `reference` is skipped (reason names the reference) unless the reward reads none', async () => {
      const results = await scorer!.score([{ id: 'r', prompt: 'What is 6 * 7?', completion: '<think>6*7=42</think><answer>42</answer>' }], { signal });
      checkResults(results, 1);
      if (!NO_REFERENCE.test(plugin.reference ?? '')) {
        expect(results[0]!.status).toBe('skipped');
        expect(results[0]!.reason).toMatch(/reference/);
      }
    });

    test('component and sub-score keys are snake_case', async () => {
      const rollouts: Rollout[] = [
        { id: 'a', prompt: 'What is 6 * 7?', completion: '<think>6*7=42</think><answer>42</answer>', reference: '42' },
        { id: 'b', prompt: 'What is 6 * 7?', completion: '<think>6*7=42</think><answer>42</answer>', reference: 42 },
      ];
      const results = await scorer!.score(rollouts, { signal });
      checkResults(results, rollouts.length);
      const bad: string[] = [];
      for (const result of results) snakeKeys(result.components, 'components', bad);
      expect(bad).toEqual([]);
    });

    test('garbage input gives one result per rollout, never a throw', async () => {
      const garbage = [
        { id: 'number', completion: 42 },
        { id: 'null', completion: null },
        { id: 'object', completion: { text: 'x' } },
        { id: 'huge', completion: `${'lorem ipsum dolor sit amet '.repeat(40_000)}<answer>42</answer>`, reference: '42' },
        { id: 'control', completion: '\u0000\u0007\u001b[31m\ud800<answer>\u0000</answer>\uffff', reference: '42' },
        { id: 'empty', completion: '', reference: '42' },
        { id: 'odd-reference', completion: '<answer>42</answer>', reference: { nested: [null] } },
      ] as unknown as Rollout[];
      let results: RewardResult[] | undefined;
      let thrown: unknown;
      try {
        results = await scorer!.score(garbage, { signal });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeUndefined();
      checkResults(results!, garbage.length);
    });

    test('dispose is idempotent', async () => {
      const own = await createScorer(plugin, options, { baseDir: repoRoot });
      await own.dispose?.();
      await expect(Promise.resolve(own.dispose?.())).resolves.toBeUndefined();
    });
  });
});
