// A template reward file. Copy it to `packages/<domain>/src/<short-name>-reward.ts`, rename
// `example`/`Example` to your domain and `contains`/`Contains` to your reward's short name, and
// delete what your reward does not need. Every rule it follows is in CONTRIBUTING.md; the
// conformance test in tooling/conformance checks them for every registered plugin.
//
// The registry name is `example.contains` -> the plugin object is `exampleContainsPlugin`, the
// factory `createExampleContainsReward`, the option type `ExampleContainsOptions`, the file
// `contains-reward.ts`, its tests `contains-reward.test.ts`, fixtures in `src/__fixtures__/`.
import {
  RewardError,
  createScorer,
  definePlugin,
  ok,
  perRollout,
  skipped,
  type CreateContext,
  type Scorer,
} from '@mixreward/core';
import { z } from 'zod';

// Options: snake_case keys (like the config's own `on_error`, `timeout_ms`), durations in ms with a
// `_ms` suffix, every option with `.describe()` text that states its unit/range and its default,
// a `.default()` where it has one, `.strict()` so a misspelt key is rejected (the config validator
// then suggests the right spelling). A required option (no default) says "required" in its text.
// The schema is NOT exported: the plugin carries it as `.options` (name it in the package's
// typedoc.json `intentionallyNotExported`, since the exported option type refers to it).
const exampleContainsOptions = z
  .object({
    case_sensitive: z
      .boolean()
      .default(false)
      .describe('Compare letters with their case (true) or case-folded (false). Default false.'),
    max_length: z
      .number()
      .int()
      .min(1)
      .default(100_000)
      .describe('Characters of the completion read, from its end, >= 1. Default 100000.'),
  })
  .strict();

/** Options of `example.contains` as a caller writes them (every key optional where it has a default). */
export type ExampleContainsOptions = z.input<typeof exampleContainsOptions>;

/**
 * `example.contains`: 1 when the completion contains the reference text, else 0.
 * Rewards are in {0, 1}.
 */
export const exampleContainsPlugin = definePlugin({
  // `domain.reward`, matching /^[a-z]+\.[a-z][a-z0-9_]*$/.
  name: 'example.contains',
  // One line: what it checks.
  description: 'The completion contains the reference text (1) or not (0).',
  // The paper or tool whose behaviour it follows (shown by `mixreward list`).
  follows: 'substring match as in TRL reward examples',
  // The reference shape, one line (shown by `mixreward list`).
  reference: 'string (the text the completion must contain)',
  options: exampleContainsOptions,
  batchSize: 1024,
  create(options) {
    // `options` is z.output: defaults applied. Open models, sandboxes, pools here, not per rollout.
    return perRollout((rollout) => {
      // No reference at all: the reward does not apply -> skipped (never 0, never error), with a
      // reason naming the missing field and its shape.
      if (rollout.reference === undefined) {
        return skipped('no reference: example.contains needs rollout.reference (the text to find, a string)');
      }
      // A reference of the wrong shape is a fault of the input: an error with INVALID_REFERENCE.
      if (typeof rollout.reference !== 'string') {
        throw new RewardError('INVALID_REFERENCE', `reference must be a string, got ${typeof rollout.reference}`, { path: 'reference' });
      }
      // Garbage input gives a result, never an escaping throw: perRollout turns this throw into
      // this rollout's `error` result and scores the rest of the batch.
      if (typeof rollout.completion !== 'string') {
        throw new RewardError('INVALID_ROLLOUT', 'completion: expected a string', { path: 'completion' });
      }
      // Bound the work on huge inputs (a 1 MB completion must not take seconds).
      const text = rollout.completion.slice(-options.max_length);
      const found = options.case_sensitive
        ? text.includes(rollout.reference)
        : text.toLowerCase().includes(rollout.reference.toLowerCase());
      // A wrong answer is `ok` with a low reward and a reason.
      return ok(found ? 1 : 0, { reason: found ? 'the completion contains the reference' : 'the reference does not occur in the completion' });
    });
    // A scorer that holds resources adds `dispose` (safe to call twice), e.g.
    //   perRollout(scoreOne, () => pool.close())
  },
});

/**
 * An `example.contains` scorer for library use: validates the options with the plugin's schema,
 * then calls the plugin's `create`.
 * @param options the reward's options, as in a config's `with:`
 * @param context `baseDir` (relative option paths), `mediaDir` (relative media paths), `logger`
 */
export function createExampleContainsReward(options: ExampleContainsOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(exampleContainsPlugin, options, context);
}

// In `src/index.ts` (explicit names, no `export *`):
//   export { exampleContainsPlugin, createExampleContainsReward, type ExampleContainsOptions } from './contains-reward.js';
//   export { plugins } from './plugins.js';   // every plugin of the package, for the app's registry
// and in `apps/mixreward/src/registry.ts`, one line in `rewardPackages`:
//   { name: '@mixreward/example', plugins: examplePlugins },
