// Plugins for composer tests: a constant, a value read from the rollout, and a counter of calls.
import { z } from 'zod';
import { RewardError } from '../errors.js';
import { definePlugin, perRollout } from '../plugin.js';
import { ok, skipped } from '../results.js';
import { createRegistry } from '../registry.js';
import { plugins } from '../generic-plugins.js';

export const calls: Record<string, number> = {};

/** `test.field`: the reward is `meta[field]`; "skip" skips, "error" throws, a missing field skips. */
export const fieldPlugin = definePlugin({
  name: 'test.field',
  description: 'reads a number from meta',
  options: z.object({ field: z.string(), label: z.string().optional() }).strict(),
  create(options) {
    return perRollout((rollout) => {
      const label = options.label ?? options.field;
      calls[label] = (calls[label] ?? 0) + 1;
      const value = rollout.meta?.[options.field];
      if (value === 'skip' || value === undefined) return skipped(`no ${options.field}`);
      if (value === 'error') throw new RewardError('MODEL_UNAVAILABLE', `model for ${options.field} missing`);
      return ok(Number(value), { components: { raw: Number(value) }, reason: `${options.field}=${String(value)}` });
    });
  },
});

/** `test.broken`: cannot be created. */
export const brokenPlugin = definePlugin({
  name: 'test.broken',
  description: 'cannot be created',
  options: z.object({}).strict(),
  create() {
    throw new RewardError('MODEL_UNAVAILABLE', 'model folder ./nope does not exist; set with.model');
  },
});

export const registry = createRegistry([...plugins, fieldPlugin, brokenPlugin] as never[]);
