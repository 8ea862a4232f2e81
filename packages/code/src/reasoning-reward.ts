import { type CreateContext, type RewardResult, type Rollout, type Scorer, RewardError, definePlugin, failed, ok, parseOptions, silentLogger } from '@mixreward/core';
import { createModelScoreReward, modelOptionFields } from '@mixreward/inference';
import { z } from 'zod';

const codeReasoningSchema = z
  .object({
    model: z
      .string()
      .min(1)
      .describe('reasoning reward model folder (kind sequence-score: manifest.json, model.onnx, tokenizer.json), relative to the config file. Required'),
    ...modelOptionFields,
    label: z
      .union([z.string().min(1), z.number().int().min(0)])
      .optional()
      .describe("which output label is the score (a manifest label name, or an index >= 0). Default: the last label"),
    text: z
      .enum(['explanation', 'completion'])
      .default('explanation')
      .describe('explanation: the completion with its fenced code blocks removed; completion: all of it. Default explanation'),
    input: z
      .enum(['pair', 'text'])
      .default('pair')
      .describe('pair: (prompt, text) as a text pair when there is a prompt; text: the text alone. Default pair'),
  })
  .strict();

/** Options of `code.reasoning` as written in a config's `with:` (`model` required). */
export type CodeReasoningOptions = z.input<typeof codeReasoningSchema>;

/**
 * The explanation of a code completion: the text outside its fenced code blocks (``` or ~~~, an
 * unclosed fence runs to the end), runs of blank lines collapsed to one, trimmed.
 */
export function explanationText(completion: string): string {
  const lines = completion.split(/\r?\n/);
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const trimmed = line.trim();
    if (fence === undefined) {
      const open = /^[ \t]{0,3}(`{3,}|~{3,})/.exec(line);
      if (open) {
        fence = open[1] as string;
        continue;
      }
      kept.push(line);
    } else if (trimmed.length >= fence.length && trimmed === (fence[0] as string).repeat(trimmed.length)) {
      fence = undefined;
    }
  }
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * `code.reasoning`: `model.score` (from @mixreward/inference: the model, the label choice and the
 * activation are its) applied to the completion's explanation instead of the whole completion.
 * Meant to be gated by `code.tests` in a config, as Posterior-GRPO does: the process reward counts
 * only for rollouts whose tests pass (see `examples/posterior-grpo.yaml`).
 */
export const codeReasoningPlugin = definePlugin({
  name: 'code.reasoning',
  description: 'scores the reasoning of a code completion (its text outside the code) with a reward model; gate it on code.tests',
  follows: 'Posterior-GRPO (process reward applied only to rollouts whose tests pass)',
  reference: 'none (the prompt and completion are read)',
  options: codeReasoningSchema,
  batchSize: 64,
  async create(options, context): Promise<Scorer> {
    const { text, input, ...modelOptions } = options;
    let model: Scorer;
    try {
      model = await createModelScoreReward({ ...modelOptions, input: input === 'text' ? 'completion' : 'pair' }, context);
    } catch (error) {
      if (RewardError.isInstance(error)) {
        throw new RewardError(error.code, `code.reasoning: ${error.message}`, { cause: error, ...(error.path !== undefined ? { path: error.path } : {}) });
      }
      throw error;
    }
    let disposed = false;
    return {
      async score(rollouts, scoreContext) {
        const texts = rollouts.map((rollout) => {
          const completion = typeof rollout?.completion === 'string' ? rollout.completion : '';
          return text === 'completion' ? completion.trim() : explanationText(completion);
        });
        const scoredAt = texts.flatMap((value, index) => (value === '' ? [] : [index]));
        const scored = await model.score(
          scoredAt.map((index) => ({ ...(rollouts[index] as Rollout), completion: texts[index] as string })),
          scoreContext,
        );
        const results: RewardResult[] = texts.map(() => ok(0, { components: { reasoning: 0 }, reason: 'no explanation outside the code to score' }));
        scoredAt.forEach((index, position) => {
          const result = scored[position];
          if (result === undefined) results[index] = failed(new RewardError('INTERNAL', 'model.score returned fewer results than rollouts'));
          else if (result.status !== 'ok' || result.reward === null) results[index] = result;
          else results[index] = ok(result.reward, { components: { reasoning: result.reward }, reason: `reasoning ${result.reason ?? ''}`.trim() });
        });
        return results;
      },
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        await model.dispose?.();
      },
    };
  },
});

/**
 * A `code.reasoning` scorer for library use.
 * @param options the reward's options (`model` is required)
 * @param context `baseDir` that a relative model path resolves against, and a logger
 * @throws RewardError `INVALID_OPTIONS` / `MODEL_UNAVAILABLE` naming the setting
 */
export async function createCodeReasoningReward(options: CodeReasoningOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  const parsed = parseOptions(codeReasoningPlugin, options);
  const baseDir = context.baseDir ?? process.cwd();
  return codeReasoningPlugin.create(parsed, { baseDir, mediaDir: context.mediaDir ?? baseDir, logger: context.logger ?? silentLogger });
}
