import { RewardError, parseOptions, silentLogger, type CreateContext, type RewardPlugin, type Rollout, type Scorer } from '@mixreward/core';
import type { z } from 'zod';

/** The completion of a rollout, checked to be a string. @internal */
export function completionOf(rollout: Rollout, reward: string): string {
  const completion = (rollout as { completion?: unknown } | null | undefined)?.completion;
  if (typeof completion !== 'string') {
    throw new RewardError('INVALID_ROLLOUT', `${reward}: rollout.completion must be a string, got ${completion === null ? 'null' : typeof completion}`, { path: 'completion' });
  }
  return completion;
}

/** A number for a reason string: at most 4 decimals. @internal */
export function show(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return String(Math.round(value * 10000) / 10000);
}

/** Spans for a reason: `[12.5, 15] s, [20, 22] s`, at most 8 of them. @internal */
export function showSpans(spans: ReadonlyArray<readonly [number, number]>): string {
  const shown = spans.slice(0, 8).map(([start, end]) => `[${show(start)}, ${show(end)}] s`);
  if (spans.length > 8) shown.push(`… ${spans.length - 8} more`);
  return shown.join(', ');
}

/** Parse options with the plugin's schema, then create the scorer with a full context (house rule 4). @internal */
export async function createFromPlugin<Schema extends z.ZodType>(plugin: RewardPlugin<Schema>, options: unknown, context: Partial<CreateContext> = {}): Promise<Scorer> {
  const parsed = parseOptions(plugin, options ?? {});
  const baseDir = context.baseDir ?? process.cwd();
  return plugin.create(parsed, { baseDir, mediaDir: context.mediaDir ?? baseDir, logger: context.logger ?? silentLogger });
}

/** A `RewardError('INVALID_REFERENCE')` naming the field. @internal */
export function invalidReference(path: string, message: string): RewardError {
  return new RewardError('INVALID_REFERENCE', `reference${path}: ${message}`, { path: `reference${path}` });
}
