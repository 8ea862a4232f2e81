/**
 * The `math.verify` reward: final-answer equivalence, run in worker threads with a hard time limit.
 * @module
 */
import { availableParallelism } from 'node:os';
import { RewardError, createScorer, errorMessage, createWorkerPool, definePlugin, failed, ok, promptText, runInBatches, skipped, type CreateContext, type RewardResult, type Rollout, type Scorer, type WorkerPool } from '@mixreward/core';
import { z } from 'zod';
import { verifyAnswer, type NeedsCas, type VerifyInput, type VerifyOutcome, type VerifySettings } from './verify.js';

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
    workers: z.number().int().min(1).max(256).optional().describe('Worker threads, 1 to 256. Default: one per core but one, at least 1 (the main thread parses, merges and writes about 20 µs per rollout, and V8 compiles each worker\'s code on background threads: on 2 cores a second worker costs more than it gives). Pairs only the CAS can decide go to one more thread, started when the first such pair comes.'),
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
  // A batch is split over the workers, one message each: with 256 a message carries about 128
  // pairs (ms of work), so the hand-off and the wait for the next message are a small share.
  batchSize: 256,
  create(options) {
    const settings = settingsOf(options);
    const size = options.workers ?? Math.max(1, availableParallelism() - 1);
    // Two pools over the same module: `fast` workers never load compute-engine (about 0.5 s of CPU
    // and a large compile per thread) while the pairs the fast path cannot decide are rare; those
    // go to one `cas` worker, started when the first comes. Once they are common (over 1 in 64
    // pairs, past the first few), every worker verifies whole pairs and loads the CAS itself, so the
    // CAS work spreads over all the workers.
    let fast: WorkerPool | undefined;
    let cas: WorkerPool | undefined;
    let ready: Promise<unknown> | undefined;
    let checked = 0;
    let neededCas = 0;
    let casCommon = false;
    const casIsCommon = () => (casCommon ||= neededCas > 8 && neededCas * 64 > checked);
    // Workers boot before the first timed task, so a rollout's time limit
    // measures its own work, not thread start-up.
    const getPool = async (): Promise<WorkerPool> => {
      if (!fast) {
        const started = createWorkerPool({ module: taskModule, size, timeoutMs: options.timeout_ms, name: 'math.verify' });
        fast = started;
        ready = Promise.all(Array.from({ length: started.size }, () => started.run('warmUp', false, { timeoutMs: 120_000 })));
      }
      await ready;
      return fast;
    };
    // The pairs only the CAS can decide, each with what is left of its time limit.
    const withCas = async (inputs: VerifyInput[], marks: NeedsCas[], limitMs: number, signal: AbortSignal): Promise<(VerifyOutcome | RewardError)[]> => {
      cas ??= createWorkerPool({ module: taskModule, size: 1, timeoutMs: options.timeout_ms, name: 'math.verify (CAS)' });
      const pool = cas;
      return Promise.all(
        inputs.map((input, position) =>
          pool.run<VerifyOutcome>('verifyAnswer', input, { timeoutMs: Math.max(1, Math.floor(limitMs - (marks[position] as NeedsCas).elapsedMs)), signal }).catch((error: unknown) =>
            RewardError.isInstance(error) ? error : new RewardError('INTERNAL', errorMessage(error)),
          ),
        ),
      );
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
            const limitMs = context.timeoutMs ?? options.timeout_ms;
            const outcomes = await runInBatches<VerifyInput, VerifyOutcome | NeedsCas>(
              await getPool(),
              casIsCommon() ? { batchTask: 'verifyAnswers', singleTask: 'verifyAnswer' } : { batchTask: 'verifyBatchWithoutCas', singleTask: 'verifyWithoutCas' },
              pending.map((entry) => entry.input),
              { timeoutMs: limitMs, signal: context.signal },
            );
            const undecided: number[] = [];
            outcomes.forEach((outcome, position) => {
              const { index } = pending[position] as { index: number };
              if (RewardError.isInstance(outcome)) results[index] = failed(outcome);
              else if ('needsCas' in outcome) undecided.push(position);
              else results[index] = outcomeToResult(outcome);
            });
            checked += pending.length;
            neededCas += undecided.length;
            if (undecided.length > 0) {
              const decided = await withCas(
                undecided.map((position) => (pending[position] as { input: VerifyInput }).input),
                undecided.map((position) => outcomes[position] as NeedsCas),
                limitMs,
                context.signal,
              );
              decided.forEach((outcome, at) => {
                const { index } = pending[undecided[at] as number] as { index: number };
                results[index] = RewardError.isInstance(outcome) ? failed(outcome) : outcomeToResult(outcome);
              });
            }
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
        const current = [fast, cas];
        fast = undefined;
        cas = undefined;
        ready = undefined;
        await Promise.all(current.map((pool) => pool?.close()));
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
