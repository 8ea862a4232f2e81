/**
 * The `math.verify` reward: final-answer equivalence, run in worker threads with a hard time limit.
 * @module
 */
import { availableParallelism } from 'node:os';
import { RewardError, createScorer, createWorkerPool, definePlugin, failed, ok, promptText, runInBatches, skipped, type CreateContext, type RewardResult, type Rollout, type Scorer, type WorkerPool } from '@mixreward/core';
import { z } from 'zod';
import { verifyAnswer, type VerifyInput, type VerifyOutcome, type VerifySettings } from './verify.js';

/** Options of `math.verify` (every one has a default). */
const verifyOptionsSchema = z
  .object({
    boxed: z.enum(['last', 'first']).default('last').describe('Which \\boxed{} answer is final when several agree (or when conflicting_answers is "select"): "last" (default) or "first".'),
    conflicting_answers: z
      .enum(['reject', 'select'])
      .default('reject')
      .describe('"reject" (default): several different final answers (different \\boxed{} values, several <answer> tags) score 0. "select": use the one `boxed` selects.'),
    last_number_fallback: z.boolean().default(true).describe('When no answer is marked (boxed, tags, "the answer is", bold, LaTeX), use the last number of the completion. Default true.'),
    percent: z
      .enum(['strip', 'math-verify', 'either'])
      .default('strip')
      .describe('"strip" (default): the % sign may be omitted or added, the number must match (35\\% equals 35; 0.35 does not equal 35\\%). "math-verify": 25\\% is 0.25 (equals 0.25, not 25). "either": both readings are accepted.'),
    relative_tolerance: z.number().min(0).max(1).default(1e-9).describe('Relative tolerance for values that are not both exact rationals, in [0, 1]. Default 1e-9.'),
    float_rounding: z.number().int().min(0).max(15).default(6).describe('Decimal places (0 to 15) both sides are rounded to when a decimal is involved (Math-Verify float_rounding). Default 6.'),
    reference_precision: z.boolean().default(true).describe('Accept a more precise answer that rounds to a decimal reference at the decimals the reference shows (3.14 vs 3.14159). Default true.'),
    partial_credit: z.boolean().default(false).describe('For set, tuple and matrix references: reward the share of elements matched (in [0, 1]) instead of 0. Default false.'),
    choice_letters: z.string().regex(/^[A-Za-z]*$/).default('ABCDEFGHIJ').describe('A reference that is one of these letters is a multiple-choice answer. Default "ABCDEFGHIJ".'),
    cas: z.boolean().default(true).describe('Ask the CAS (compute-engine) about pairs the fast path cannot decide. Default true.'),
    isolation: z
      .enum(['worker', 'inline'])
      .default('worker')
      .describe('"worker" (default): each pair runs in a worker thread that is killed at the time limit. "inline": in the calling thread (fastest; no hard time limit).'),
    workers: z.number().int().min(1).max(256).optional().describe('Worker threads, 1 to 256. Default: one per core (the main thread only parses and hands batches over, so it mostly waits).'),
    timeout_ms: z.number().int().positive().default(5_000).describe("Time limit per rollout in milliseconds (the runner's own limit wins when given). Default 5000."),
  })
  .strict();

/** Options of `math.verify` as a caller writes them (every one optional; see the plugin's schema for defaults). */
export type MathVerifyOptions = z.input<typeof verifyOptionsSchema>;
type MathVerifySettings = z.output<typeof verifyOptionsSchema>;

/**
 * The reference of a rollout as the verifier reads it: `undefined` when the rollout has none (the
 * result is then `skipped`); throws INVALID_REFERENCE for one of the wrong type.
 */
function verifyReference(rollout: Rollout): string | number | (string | number)[] | undefined {
  const reference = rollout.reference;
  if (reference === undefined) return undefined;
  const scalar = (value: unknown): value is string | number => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  if (scalar(reference)) return reference;
  if (Array.isArray(reference) && reference.length > 0 && reference.every(scalar)) return reference;
  throw new RewardError(
    'INVALID_REFERENCE',
    `math.verify needs \`reference\`: the final answer as a string (LaTeX or plain) or a number, or a list of accepted answers; got ${Array.isArray(reference) ? 'a list with other values' : reference === null ? 'null' : typeof reference}`,
    { path: 'reference' },
  );
}

function settingsOf(options: MathVerifySettings): VerifySettings {
  return {
    boxed: options.boxed,
    conflicting_answers: options.conflicting_answers,
    last_number_fallback: options.last_number_fallback,
    percent: options.percent,
    relative_tolerance: options.relative_tolerance,
    float_rounding: options.float_rounding,
    reference_precision: options.reference_precision,
    partial_credit: options.partial_credit,
    choice_letters: options.choice_letters,
    cas: options.cas,
  };
}

function outcomeToResult(outcome: VerifyOutcome): RewardResult {
  if (outcome.status === 'skipped') return skipped(outcome.reason);
  return ok(outcome.reward ?? 0, { reason: outcome.reason, components: { answer_found: outcome.answer === null ? 0 : 1 } });
}

const taskModule = new URL('./verify.js', import.meta.url);

const MISSING_REFERENCE = 'no reference: math.verify needs rollout.reference (the final answer, a string or number, or a list of them)';

/** `math.verify`: the final answer of the completion against the reference (1 equivalent, 0 not; skipped for an unusable reference). */
export const mathVerifyPlugin = definePlugin({
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
        const started = createWorkerPool({ module: taskModule, size: options.workers ?? availableParallelism(), timeoutMs: options.timeout_ms, name: 'math.verify' });
        pool = started;
        ready = Promise.all(Array.from({ length: started.size }, () => started.run('warmUp', false, { timeoutMs: 120_000 })));
      }
      await ready;
      return pool;
    };
    const scorer: Scorer = {
      async score(rollouts, context) {
        const results: RewardResult[] = new Array(rollouts.length);
        const pending: { index: number; input: VerifyInput }[] = [];
        rollouts.forEach((rollout, index) => {
          try {
            if (context.signal.aborted) throw new RewardError('ABORTED', 'scoring was cancelled');
            const reference = verifyReference(rollout);
            if (reference === undefined) {
              results[index] = skipped(MISSING_REFERENCE);
              return;
            }
            const prompt = promptText(rollout.prompt, { messages: 'lastUser' });
            pending.push({ index, input: { completion: typeof rollout.completion === 'string' ? rollout.completion : '', reference, settings, ...(prompt === undefined ? {} : { prompt }) } });
          } catch (error) {
            results[index] = failed(error);
          }
        });
        if (options.isolation === 'worker' && pending.length > 0) {
          // One message per batch of rollouts, each with its own hard time limit (a batch that
          // overruns is re-run rollout by rollout): the worker hand-off costs as much as a check.
          try {
            const outcomes = await runInBatches<VerifyInput, VerifyOutcome>(
              await getPool(),
              { batchTask: 'verifyAnswers', singleTask: 'verifyAnswer' },
              pending.map((entry) => entry.input),
              { timeoutMs: context.timeoutMs ?? options.timeout_ms, signal: context.signal },
            );
            outcomes.forEach((outcome, position) => {
              const { index } = pending[position] as { index: number };
              results[index] = RewardError.isInstance(outcome) ? failed(outcome) : outcomeToResult(outcome);
            });
          } catch (error) {
            for (const { index } of pending) results[index] = failed(error);
          }
        } else {
          await Promise.all(
            pending.map(async ({ index, input }) => {
              try {
                results[index] = outcomeToResult(await verifyAnswer(input));
              } catch (error) {
                results[index] = failed(error);
              }
            }),
          );
        }
        return results;
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
 * @param context base directory, media directory and logger (defaults: cwd, cwd, silent)
 * @returns a scorer; `dispose()` it to stop its worker threads
 */
export async function createMathVerifyReward(options: MathVerifyOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(mathVerifyPlugin, options, context);
}
