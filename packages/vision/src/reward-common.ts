import { RewardError, parseOptions, silentLogger, type CreateContext, type RewardPlugin, type Rollout, type Scorer } from '@mixreward/core';
import type { z } from 'zod';
import { parseReference, type VisionReference } from './reference.js';
import type { ResolvedGeometry } from './resolve.js';

/** The reference of a rollout, or `undefined` when it has none (the reward is then skipped); checks the completion is a string. */
export function referenceOf(rollout: Rollout): VisionReference | undefined {
  if (typeof rollout?.completion !== 'string') throw new RewardError('INVALID_ROLLOUT', 'completion: expected a string', { path: 'completion' });
  const raw = rollout.reference;
  if (raw === undefined || raw === null) return undefined;
  return parseReference(raw);
}

/** A number for a reason string: at most 4 decimals. */
export function show(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  return String(Math.round(value * 10000) / 10000);
}

/** The reason's tail: where the prediction was read, and any frame warnings. */
export function geometryNote(geometry: ResolvedGeometry): string {
  const parts = [`compared in the ${geometry.frame} frame`];
  if (geometry.region === 'none') parts.push('no answer block found');
  parts.push(...geometry.notes);
  return ` (${parts.join('; ')})`;
}

/** Make a scorer from a plugin and raw options, synchronously (the vision plugins create synchronously). */
export function createFromPlugin<Schema extends z.ZodType>(plugin: RewardPlugin<Schema>, options: unknown, context: Partial<CreateContext> = {}): Scorer {
  const parsed = parseOptions(plugin, options ?? {});
  return plugin.create(parsed, { baseDir: context.baseDir ?? process.cwd(), logger: context.logger ?? silentLogger }) as Scorer;
}
