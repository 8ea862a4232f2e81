import { RewardError } from './errors.js';
import { configJsonSchema, loadConfig, parseConfigText, validateConfig } from './config.js';
import { registry } from './__fixtures__/test-plugins.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = {
  rewards: {
    format: { use: 'format.tags', with: { tags: ['think', 'answer'] } },
    accuracy: { use: 'test.field', with: { field: 'acc' } },
  },
};

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(RewardError.isInstance(error)).toBe(true);
    expect((error as RewardError).code).toBe('INVALID_CONFIG');
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

describe('validateConfig', () => {
  test('accepts every node kind of the documented syntax', () => {
    const validated = validateConfig(
      {
        ...base,
        mix: {
          route: {
            math: '0.1*format + 0.9*accuracy',
            grounding: { sum: { format: 0.1, accuracy: 0.9 }, renormalize: true },
            gated: { gate: { when: 'format == 1', then: 'accuracy', else: 0 } },
            chain: { cascade: ['accuracy', 'format'] },
            ranked: { transform: 'accuracy', group: 'zscore', clamp: [-3, 3], scale: 1, shift: 0, threshold: 0.5 },
            default: 'accuracy',
          },
        },
      },
      registry,
    );
    expect(validated.mix.kind).toBe('route');
    expect([...validated.components.keys()]).toEqual(['format', 'accuracy']);
  });

  test.each([
    [{ rewards: {} }, 'rewards: needs at least one component'],
    [{ rewards: { a: { use: 'nope.reward' } }, mix: 'a' }, 'rewards.a.use: unknown reward "nope.reward".'],
    [{ rewards: { a: { use: 'format.tags', wth: {} } }, mix: 'a' }, 'rewards.a.wth: unknown key "wth" (did you mean with?)'],
    [{ rewards: { a: { use: 'format.tags', timeoutMs: 5 } }, mix: 'a' }, 'rewards.a.timeoutMs: unknown key "timeoutMs" (did you mean timeout_ms?)'],
    [{ rewards: { a: { use: 'format.tags', onError: 'skip' } }, mix: 'a' }, 'rewards.a.onError: unknown key "onError" (did you mean on_error?)'],
    [{ rewards: { a: { use: 'format.tags', with: { nonEmpty: false } } }, mix: 'a' }, 'rewards.a.with.nonEmpty: unknown option "nonEmpty" (did you mean non_empty?)'],
    [{ rewards: { a: { use: 'format.tags', with: { NON_EMPTY: false } } }, mix: 'a' }, 'rewards.a.with.NON_EMPTY: unknown option "NON_EMPTY" (did you mean non_empty?)'],
    [{ rewards: { a: { use: 'format.tags', with: { ordr: false } } }, mix: 'a' }, 'rewards.a.with.ordr: unknown option "ordr" (did you mean order?)'],
    [{ rewards: { a: { use: 'format.tags', with: { colour: 'red' } } }, mix: 'a' }, 'rewards.a.with.colour: unknown option "colour" (allowed: tags, order, outside, non_empty, prefix, partial)'],
    [{ rewards: { a: { use: 'format.tags' } }, mix: 'a', setings: {} }, 'setings: unknown key "setings" (did you mean settings?)'],
    [{ rewards: { a: { use: 'format.tags' } }, mix: 'a', settings: { timeoutMs: 5 } }, 'settings.timeoutMs: unknown key "timeoutMs" (did you mean timeout_ms?)'],
    [{ ...base, mix: { sum: { format: 1 }, renormalise: true } }, 'mix.renormalise: unknown key "renormalise" (did you mean renormalize?) for a sum node'],
    [{ rewards: { a: { use: 'format.tags', with: { tags: 'think' } } }, mix: 'a' }, 'rewards.a.with.tags: Invalid input: expected array, received string'],
    [{ rewards: { a: { use: 'format.tags', timeout_ms: -1 } }, mix: 'a' }, 'rewards.a.timeout_ms: Too small'],
    [{ ...base, mix: '0.1*format + 0.9*acuracy' }, 'mix: formula "0.1*format + 0.9*acuracy": unknown name "acuracy" (components: accuracy, format) at column 18'],
    [{ ...base, mix: 'format +' }, 'mix: formula "format +": expected a number, a name or "(" but the formula ended at column 9'],
    [{ ...base, mix: { sum: { format: 'x' } } }, 'mix.sum.format: expected a number, got string "x"'],
    [{ ...base, mix: { sum: { fmt: 1 } } }, 'mix.sum.fmt: unknown component "fmt"'],
    [{ ...base, mix: { route: { math: { cascade: ['accuracy', 'model'] } } } }, 'mix.route.math.cascade.1: unknown component "model"'],
    [{ ...base, mix: { gate: { when: 'format', then: 'accuracy' } } }, 'mix.gate.else: is required'],
    [{ ...base, mix: { transform: 'accuracy', group: 'median' } }, 'mix.group: expected "rank" or "zscore", got string "median"'],
    [{ ...base, mix: { transform: 'accuracy', clamp: [1, 0] } }, 'mix.clamp: expected [lo, hi] with lo <= hi, got [1,0]'],
    [{ ...base, mix: { sum: { format: 1 }, route: {} } }, 'mix: has several node kinds (sum, route); use one per node'],
    [{ ...base }, 'mix: is required when there is more than one component'],
    [{ ...base, mix: 'accuracy', extra: 1 }, 'extra: unknown key'],
    [{ rewards: { 'bad-name': { use: 'format.tags' } } }, 'rewards.bad-name: "bad-name" is not a usable component name'],
    [{ ...base, mix: 'accuracy', settings: { concurrency: 0 } }, 'settings.concurrency: Too small'],
    [[], '(root): expected an object with "rewards" and "mix", got a list'],
  ])('rejects %j with a path-precise message', (config, expected) => {
    expect(messageOf(() => validateConfig(config, registry))).toContain(expected);
  });

  test('a single component needs no mix', () => {
    const validated = validateConfig({ rewards: { only: { use: 'format.tags' } } }, registry);
    expect(validated.mix).toMatchObject({ kind: 'formula', source: 'only' });
  });
});

describe('config files', () => {
  test('YAML and JSON load the same; YAML errors give the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixreward-config-'));
    const yamlFile = join(dir, 'c.yaml');
    writeFileSync(yamlFile, 'rewards:\n  format: { use: format.tags }\n  accuracy: { use: test.field, with: { field: acc } }\nmix: "0.5*format + 0.5*accuracy"\n');
    const jsonFile = join(dir, 'c.json');
    writeFileSync(jsonFile, JSON.stringify({ rewards: { format: { use: 'format.tags' }, accuracy: { use: 'test.field', with: { field: 'acc' } } }, mix: '0.5*format + 0.5*accuracy' }));
    const fromYaml = await loadConfig(yamlFile, registry);
    const fromJson = await loadConfig(jsonFile, registry);
    expect(fromYaml.config).toEqual(fromJson.config);
    expect(fromYaml.baseDir).toBe(dir);
    expect(() => parseConfigText('rewards:\n  a: [1,\n', 'bad.yaml')).toThrow(/bad\.yaml: not valid YAML at line \d+, column \d+/);
    await expect(loadConfig(join(dir, 'missing.yaml'), registry)).rejects.toThrow(/cannot read config file .*missing\.yaml: ENOENT/);
    writeFileSync(join(dir, 'bad.yaml'), 'rewards:\n  a: { use: format.tags, with: { order: maybe } }\n');
    await expect(loadConfig(join(dir, 'bad.yaml'), registry)).rejects.toThrow(/bad\.yaml: rewards\.a\.with\.order: Invalid input: expected boolean/);
  });

  test('the JSON Schema names every reward and attaches its options', () => {
    const schema = configJsonSchema(registry) as { $defs: { component: { properties: { use: { enum: string[] } }; allOf: { if: unknown; then: { properties: { with: { properties: Record<string, unknown> } } } }[] } } };
    expect(schema.$defs.component.properties.use.enum).toContain('format.tags');
    const tags = schema.$defs.component.allOf.find((entry) => JSON.stringify(entry.if).includes('format.tags'));
    expect(Object.keys(tags?.then.properties.with.properties ?? {})).toEqual(expect.arrayContaining(['tags', 'order', 'outside']));
  });
});
