/**
 * The `math.verify` reward: final-answer equivalence, run in worker threads with a hard time limit.
 * @module
 */
import { RewardError, createWorkerPool, definePlugin, failed, ok, parseOptions, silentLogger, skipped, type CreateContext, type RewardResult, type Rollout, type Scorer, type WorkerPool } from '@mixreward/core';
import { z } from 'zod';
import { defaultVerifySettings, verifyAnswer, type VerifyInput, type VerifyOutcome, type VerifySettings } from './verify.js';

/** Options of `math.verify` (every one has a default). */
export const verifyOptionsSchema = z
  .object({
    boxed: z.enum(['last', 'first']).default('last').describe('Which \\boxed{} answer is final when several agree (or when conflictingAnswers is "select"): last (default) or first.'),
    conflictingAnswers: z
      .enum(['reject', 'select'])
      .default('reject')
      .describe('"reject" (default): several different final answers (different \\boxed{} values, several <answer> tags) score 0. "select": use the one `boxed` selects.'),
    lastNumberFallback: z.boolean().default(true).describe('When no answer is marked (boxed, tags, "the answer is", bold, LaTeX), use the last number of the completion.'),
    percent: z
      .enum(['math-verify', 'strip', 'either'])
      .default('math-verify')
      .describe('"math-verify" (default): 25\\% is 0.25 (equals 0.25, not 25). "strip": the % sign is ignored (25\\% equals 25). "either": both readings are accepted.'),
    relativeTolerance: z.number().min(0).max(1).default(1e-9).describe('Relative tolerance for values that are not both exact rationals.'),
    floatRounding: z.number().int().min(0).max(15).default(6).describe('Decimal places both sides are rounded to when a decimal is involved (Math-Verify float_rounding).'),
    referencePrecision: z.boolean().default(true).describe('Accept a more precise answer that rounds to a decimal reference at the decimals the reference shows (3.14 vs 3.14159).'),
    partialCredit: z.boolean().default(false).describe('For set, tuple and matrix references: reward the share of elements matched instead of 0.'),
    choiceLetters: z.string().regex(/^[A-Za-z]*$/).default('ABCDEFGHIJ').describe('A reference that is one of these letters is a multiple-choice answer.'),
    cas: z.boolean().default(true).describe('Ask the CAS (compute-engine) about pairs the fast path cannot decide.'),
    isolation: z
      .enum(['worker', 'inline'])
      .default('worker')
      .describe('"worker" (default): each pair runs in a worker thread that is killed at the time limit. "inline": in the calling thread (fastest; no hard time limit).'),
    workers: z.number().int().min(1).max(256).optional().describe('Worker threads (default: cores minus one).'),
    timeoutMs: z.number().int().positive().default(5_000).describe('Time limit per rollout in ms (the runner\'s own limit wins when given).'),
  })
  .strict();

/** Options of {@link createVerifyReward}, as written in a config (defaults filled in by the schema). */
export type VerifyRewardOptions = z.input<typeof verifyOptionsSchema>;
/** Options of `math.verify` after parsing. */
export type VerifyRewardSettings = z.output<typeof verifyOptionsSchema>;

/** The reference of a rollout as the verifier reads it; throws INVALID_REFERENCE for a missing or non-scalar one. */
export function verifyReference(rollout: Rollout): string | number | (string | number)[] {
  const reference = rollout.reference;
  const scalar = (value: unknown): value is string | number => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  if (scalar(reference)) return reference;
  if (Array.isArray(reference) && reference.length > 0 && reference.every(scalar)) return reference;
  throw new RewardError(
    'INVALID_REFERENCE',
    `math.verify needs \`reference\`: the final answer as a string (LaTeX or plain) or a number, or a list of accepted answers; got ${reference === undefined ? 'nothing' : Array.isArray(reference) ? 'a list with other values' : typeof reference}`,
    { path: 'reference' },
  );
}

function settingsOf(options: VerifyRewardSettings): VerifySettings {
  const settings: VerifySettings = { ...defaultVerifySettings };
  for (const key of Object.keys(defaultVerifySettings) as (keyof VerifySettings)[]) {
    (settings as unknown as Record<string, unknown>)[key] = options[key];
  }
  return settings;
}

/** Turn a verdict into a result. */
export function outcomeToResult(outcome: VerifyOutcome): RewardResult {
  if (outcome.status === 'skipped') return skipped(outcome.reason);
  return ok(outcome.reward ?? 0, { reason: outcome.reason, components: { answer_found: outcome.answer === null ? 0 : 1 } });
}

const taskModule = new URL('./verify.js', import.meta.url);

/** `math.verify`: the final answer of the completion against the reference (1 equivalent, 0 not; skipped for an unusable reference). */
export const verifyPlugin = definePlugin({
  name: 'math.verify',
  description: 'Extracts the final answer and decides equivalence with the reference (numbers, fractions, expressions, sets, intervals, relations, matrices, choices).',
  follows: 'Math-Verify (Hugging Face)',
  reference: 'string or number: the final answer (LaTeX or plain; a solution with \\boxed{} also works); or a list of accepted answers',
  options: verifyOptionsSchema,
  create(options) {
    const settings = settingsOf(options);
    let pool: WorkerPool | undefined;
    let ready: Promise<unknown> | undefined;
    // Workers boot before the first timed task, so a rollout's time limit
    // measures its own work, not thread start-up.
    const getPool = async (): Promise<WorkerPool> => {
      if (!pool) {
        const started = createWorkerPool({ module: taskModule, ...(options.workers === undefined ? {} : { size: options.workers }), timeoutMs: options.timeoutMs, name: 'math.verify' });
        pool = started;
        ready = Promise.all(Array.from({ length: started.size }, () => started.run('warmUp', false, { timeoutMs: 120_000 })));
      }
      await ready;
      return pool;
    };
    const scorer: Scorer = {
      async score(rollouts, context) {
        return Promise.all(
          rollouts.map(async (rollout): Promise<RewardResult> => {
            try {
              if (context.signal.aborted) throw new RewardError('ABORTED', 'scoring was cancelled');
              const input: VerifyInput = { completion: typeof rollout.completion === 'string' ? rollout.completion : '', reference: verifyReference(rollout), settings };
              const outcome =
                options.isolation === 'worker'
                  ? await (await getPool()).run<VerifyOutcome>('verifyAnswer', input, { timeoutMs: context.timeoutMs ?? options.timeoutMs, signal: context.signal })
                  : await verifyAnswer(input);
              return outcomeToResult(outcome);
            } catch (error) {
              return failed(error);
            }
          }),
        );
      },
      async dispose() {
        const current = pool;
        pool = undefined;
        ready = undefined;
        await current?.close();
      },
    };
    return scorer;
  },
});

/**
 * A `math.verify` scorer for library use.
 * @param options the reward's options (validated; INVALID_OPTIONS names the field)
 * @param context base directory and logger (defaults: cwd, silent)
 */
export function createVerifyReward(options: VerifyRewardOptions = {}, context: Partial<CreateContext> = {}): Scorer {
  return verifyPlugin.create(parseOptions(verifyPlugin, options), { baseDir: context.baseDir ?? process.cwd(), logger: context.logger ?? silentLogger }) as Scorer;
}
