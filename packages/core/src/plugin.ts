import type { z } from 'zod';
import { RewardError, errorMessage } from './errors.js';
import { schemaKeys, unknownKeyMessage } from './key-suggestion.js';
import { failed } from './results.js';
import type { RewardResult, Rollout } from './types.js';

/** A logger; the CLI prints to stderr, libraries default to silence. */
export interface Logger {
  /** Something the user should know (a fallback taken, a device chosen). */
  info(message: string): void;
  /** Something that is probably wrong. */
  warn(message: string): void;
}

/** A logger that prints nothing. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

/** What a scorer receives with each batch. */
export interface ScoreContext {
  /** Aborted when the batch's time limit passes or the run is cancelled: stop work and return. */
  signal: AbortSignal;
  /** The per-rollout time limit in ms (> 0), for scorers that run each rollout in a worker or sandbox. */
  timeoutMs?: number;
}

/** A batch scorer: one result per rollout, in order. A wrong answer is a result, not an exception. */
export interface Scorer {
  /**
   * Score a batch. Must return exactly `rollouts.length` results in the same order. May throw only
   * for a fault that concerns the whole batch; the runner then turns it into `error` results.
   */
  score(rollouts: readonly Rollout[], context: ScoreContext): Promise<RewardResult[]>;
  /** Free sessions, workers, sandboxes. Safe to call twice. */
  dispose?(): void | Promise<void>;
}

/** What a plugin factory receives besides its options. */
export interface CreateContext {
  /** Directory that relative paths in options (models, files) resolve against; the config file's folder. Default: cwd. */
  baseDir: string;
  /**
   * Directory that relative media paths in rollouts (`media.images`, `media.video`) resolve against:
   * the input file's folder for `mixreward score`, the working directory otherwise. Default: `baseDir`.
   * Resolve with {@link resolveMediaPath}.
   */
  mediaDir?: string;
  /** Where to report fallbacks and choices. */
  logger: Logger;
}

/**
 * A reward plugin: a plain object that names a reward, validates its options with zod and makes a
 * scorer (the plugin contract: see the core README).
 */
export interface RewardPlugin<Schema extends z.ZodType = z.ZodType> {
  /** Registry name, `domain.reward` (e.g. `math.verify`). */
  name: string;
  /** One line: what it checks. */
  description: string;
  /** Options schema; its JSON Schema goes into the config schema. */
  options: Schema;
  /** The paper or tool whose behaviour it follows (shown by `mixreward list`). */
  follows?: string;
  /** The reference shape it reads, in one line (shown by `mixreward list`). */
  reference?: string;
  /** `group`: the scorer must see every rollout of a group in one batch. Default `rollout`. */
  scope?: 'rollout' | 'group';
  /** Preferred batch size (rollouts per `score` call), >= 1. Default 32. */
  batchSize?: number;
  /** Make a scorer. Options arrive already parsed by `options`. */
  create(options: z.output<Schema>, context: CreateContext): Scorer | Promise<Scorer>;
}

/** Identity helper that infers the options type from the schema. */
export function definePlugin<Schema extends z.ZodType>(plugin: RewardPlugin<Schema>): RewardPlugin<Schema> {
  return plugin;
}

/**
 * Make a scorer from a function that scores one rollout. Each rollout is isolated: a throw becomes
 * that rollout's `error` result and the others are still scored.
 */
export function perRollout(
  scoreOne: (rollout: Rollout, context: ScoreContext) => RewardResult | Promise<RewardResult>,
  dispose?: () => void | Promise<void>,
): Scorer {
  return {
    async score(rollouts, context) {
      const results: RewardResult[] = new Array(rollouts.length);
      for (let index = 0; index < rollouts.length; index++) {
        if (context.signal.aborted) {
          results[index] = failed(new RewardError('ABORTED', 'scoring was cancelled'));
          continue;
        }
        try {
          const value = scoreOne(rollouts[index] as Rollout, context);
          results[index] = value instanceof Promise ? await value : value;
        } catch (error) {
          results[index] = failed(error);
        }
      }
      return results;
    },
    ...(dispose ? { dispose } : {}),
  };
}

/**
 * Make a scorer that scores every rollout of a batch at once, for work that waits (a model whose
 * dynamic batcher gathers concurrent requests, an HTTP service). Each rollout is isolated like
 * {@link perRollout}: a throw becomes that rollout's `error` result.
 */
export function concurrentPerRollout(
  scoreOne: (rollout: Rollout, context: ScoreContext) => Promise<RewardResult>,
  dispose?: () => void | Promise<void>,
): Scorer {
  return {
    score(rollouts, context) {
      return Promise.all(
        rollouts.map(async (rollout) => {
          if (context.signal.aborted) return failed(new RewardError('ABORTED', 'scoring was cancelled'));
          try {
            return await scoreOne(rollout, context);
          } catch (error) {
            return failed(error);
          }
        }),
      );
    },
    ...(dispose ? { dispose } : {}),
  };
}

/** Parse options with a plugin's schema, as a `RewardError('INVALID_OPTIONS')` naming each path on failure. */
export function parseOptions<Schema extends z.ZodType>(plugin: RewardPlugin<Schema>, raw: unknown, pathPrefix = 'with'): z.output<Schema> {
  const parsed = plugin.options.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const known = schemaKeys(plugin.options);
  const issues = parsed.error.issues
    .flatMap((issue) => {
      if (issue.code === 'unrecognized_keys' && known.length > 0) {
        return issue.keys.map((key) => `${[pathPrefix, ...issue.path.map(String), key].join('.')}: ${unknownKeyMessage(key, known, 'option')}`);
      }
      return [`${[pathPrefix, ...issue.path.map(String)].join('.')}: ${issue.message}`];
    })
    .join('; ');
  throw new RewardError('INVALID_OPTIONS', `invalid options for ${plugin.name}: ${issues}`, { cause: parsed.error });
}

/** Create a scorer for a plugin from raw options: validates, then calls the factory. */
export async function createScorer(plugin: RewardPlugin, rawOptions: unknown, context: Partial<CreateContext> = {}): Promise<Scorer> {
  const options = parseOptions(plugin, rawOptions);
  try {
    const baseDir = context.baseDir ?? process.cwd();
    return await plugin.create(options, { baseDir, mediaDir: context.mediaDir ?? baseDir, logger: context.logger ?? silentLogger });
  } catch (error) {
    if (RewardError.isInstance(error)) throw error;
    throw new RewardError('INTERNAL', `could not create ${plugin.name}: ${errorMessage(error)}`, { cause: error });
  }
}
