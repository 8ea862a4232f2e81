// Properties of the config loader (fast-check): parsing and validating anything never throws but a
// RewardError and ends within a bound; a valid config survives a YAML or JSON round trip.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseConfigText, validateConfig } from './config.js';
import { plugins } from './generic-plugins.js';
import { createRegistry } from './registry.js';
import { outcome } from './__fixtures__/property-outcome.js';

const registry = createRegistry(plugins);


const componentName = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((value) => !['if', 'min', 'max', 'abs', 'and', 'or', 'not', 'exp', 'log', 'sqrt', 'floor', 'ceil', 'clamp', 'default', 'true', 'false'].includes(value));
// Valid configs over rewards whose options all have defaults (no option names used, so renames do not matter).
const validConfig = fc
  .uniqueArray(componentName, { minLength: 1, maxLength: 5 })
  .chain((names) =>
    fc.record({
      rewards: fc.tuple(...names.map(() => fc.constantFrom('format.tags', 'match.exact', 'match.choice', 'length.overlong', 'repetition.ngram'))).map((uses) =>
        Object.fromEntries(names.map((name, index) => [name, { use: uses[index] as string }])),
      ),
      mix: fc.oneof(
        fc.constantFrom(...names),
        fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 4 }).map((used) => used.map((name, index) => `${index + 1}*${name}`).join(' + ')),
        fc.record({ sum: fc.dictionary(fc.constantFrom(...names), fc.double({ min: 0, max: 10, noNaN: true })).filter((sum) => Object.keys(sum).length > 0) }),
      ),
    }),
  );

describe('config loader properties', () => {
  test('parseConfigText on any text (YAML and JSON): a value or a RewardError, within the bound', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('config.yaml', 'config.json'), (text, file) => {
      outcome(() => parseConfigText(text, file));
    }), { numRuns: 500 });
  });

  test('YAML-looking text (indicators, anchors, aliases, tags, deep nesting): a value or a RewardError', () => {
    const pieces = ['- ', '? ', ': ', '[', ']', '{', '}', ',', '&a ', '*a', '!!str ', '!!binary ', '<<: *a', '|', '>', '"', "'", '#', '\n', '  ', 'key', '1', 'null', '%YAML 1.2\n', '---\n', '...\n'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 120 }), (parts) => {
      outcome(() => parseConfigText(parts.join(''), 'config.yaml'));
    }), { numRuns: 1_000 });
  });

  test('deep nesting of YAML flow and block collections is a RewardError, never a stack overflow', () => {
    fc.assert(fc.property(fc.integer({ min: 101, max: 50_000 }), fc.constantFrom('flow', 'block', 'map'), (depth, kind) => {
      const text = kind === 'flow' ? '['.repeat(depth) : kind === 'block' ? `${'- '.repeat(depth)}a` : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
      expect(outcome(() => parseConfigText(text, 'config.yaml'))).toBe('reward-error');
    }), { numRuns: 30 });
  });

  test('validateConfig on any JSON value: a config or a RewardError, within the bound', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      outcome(() => validateConfig(value, registry));
    }), { numRuns: 500 });
  });

  test('validateConfig on near-valid configs (random keys, uses, options, nodes): a config or a RewardError', () => {
    const near = fc.record({
      rewards: fc.dictionary(fc.oneof(componentName, fc.string()), fc.record({ use: fc.oneof(fc.constantFrom(...registry.list().map((plugin) => plugin.name)), fc.string()), with: fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))), on_error: fc.option(fc.constantFrom('fail', 'skip', 'zero', 'other')) }, { requiredKeys: ['use'] })),
      mix: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 3 })),
      settings: fc.option(fc.dictionary(fc.constantFrom('timeout_ms', 'concurrency', 'x'), fc.jsonValue({ maxDepth: 1 }))),
    }, { requiredKeys: ['rewards', 'mix'] });
    fc.assert(fc.property(near, (value) => {
      outcome(() => validateConfig(value, registry));
    }), { numRuns: 500 });
  });

  test('round trip: a valid config written as YAML or JSON parses back equal and validates', () => {
    fc.assert(fc.property(validConfig, (config) => {
      expect(parseConfigText(stringify(config), 'config.yaml')).toEqual(config);
      expect(parseConfigText(JSON.stringify(config, null, 2), 'config.json')).toEqual(config);
      const validated = validateConfig(parseConfigText(stringify(config), 'config.yaml'), registry);
      expect([...validated.components.keys()].sort()).toEqual(Object.keys(config.rewards).sort());
    }), { numRuns: 200 });
  });
});
