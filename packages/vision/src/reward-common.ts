import { RewardError, skipped, type CreateContext, type RewardResult, type Rollout } from '@mixreward/core';
import { parseReference, type VisionReference } from './reference.js';
import type { ResolveContext, ResolvedGeometry } from './resolve.js';

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

/** The `skipped` result of a rollout without a reference, naming the field and its shape. */
export function noReference(reward: string, shape: string): RewardResult {
  return skipped(`no reference: ${reward} needs rollout.reference (${shape})`);
}

/** The folders {@link resolveGeometry} resolves paths against, from a plugin's create context. */
export function geometryContext(context: CreateContext): ResolveContext {
  return { baseDir: context.baseDir, mediaDir: context.mediaDir ?? context.baseDir };
}
