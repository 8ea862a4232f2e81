import { type CreateContext, type RewardPlugin, type Scorer, RewardError, concurrentPerRollout, createScorer, definePlugin, ok, promptText } from '@mixreward/core';
import { modelOptionFields, openRewardModel } from '@mixreward/inference';
import { z } from 'zod';

/** Options of `code.reasoning` (config `with:`), with their defaults. */
export const codeReasoningOptions = z
  .object({
    model: z.string().min(1).describe('reasoning reward model folder (kind sequence-score: manifest.json, model.onnx, tokenizer.json), relative to the config file'),
    ...modelOptionFields,
    label: z.union([z.string().min(1), z.number().int().min(0)]).optional().describe('which output label is the score (name or index); default the last'),
    text: z
      .enum(['explanation', 'completion'])
      .default('explanation')
      .describe('explanation: the completion with its fenced code blocks removed; completion: all of it'),
    input: z.enum(['pair', 'text']).default('pair').describe('pair: (prompt, text) as a text pair when there is a prompt; text: the text alone'),
  })
  .strict();

/** Options of `code.reasoning` as written in a config (defaults optional). */
export type CodeReasoningOptions = z.input<typeof codeReasoningOptions>;

/** The explanation of a code completion: the text outside its fenced code blocks, blank runs collapsed. */
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
 * `code.reasoning`: a reasoning-quality score of the completion's explanation by a sequence-score
 * model (through @mixreward/inference). Meant to be gated by `code.tests` in a config, as
 * Posterior-GRPO does: the process reward counts only for rollouts whose tests pass (see
 * `examples/posterior-grpo.yaml`).
 */
export const codeReasoningPlugin = definePlugin({
  name: 'code.reasoning',
  description: "scores the reasoning of a code completion (its text outside the code) with a reward model; gate it on code.tests",
  follows: 'Posterior-GRPO (process reward applied only to rollouts whose tests pass)',
  reference: 'none (the prompt and completion are read)',
  options: codeReasoningOptions,
  batchSize: 64,
  async create(options, context): Promise<Scorer> {
    const model = await openRewardModel('code.reasoning', options, context, ['sequence-score']);
    const labels = model.manifest.labels;
    return concurrentPerRollout(async (rollout) => {
      const completion = typeof rollout.completion === 'string' ? rollout.completion : '';
      const text = options.text === 'completion' ? completion.trim() : explanationText(completion);
      if (text === '') return ok(0, { components: { reasoning: 0 }, reason: 'no explanation outside the code to score' });
      const prompt = promptText(rollout.prompt);
      const scores = options.input === 'pair' && prompt !== undefined && prompt.trim() !== '' ? await model.score(prompt, text) : await model.score(text);
      const names = labels ?? scores.map((_, index) => `label_${index}`);
      const index = options.label === undefined ? scores.length - 1 : typeof options.label === 'number' ? options.label : names.indexOf(options.label);
      if (index < 0 || index >= scores.length) {
        throw new RewardError('INVALID_OPTIONS', `with.label: ${JSON.stringify(options.label)} is not one of the model's ${scores.length} outputs (${names.join(', ')})`, {
          path: 'with.label',
        });
      }
      const value = scores[index] as number;
      return ok(value, { components: { reasoning: value }, reason: `reasoning model ${names[index]} = ${value.toFixed(4)}` });
    }, () => model.dispose());
  },
});

/**
 * A `code.reasoning` scorer for library use.
 * @param options the reward's options (`model` is required)
 * @param context `baseDir` that a relative model path resolves against, and a logger
 */
export function createCodeReasoningReward(options: CodeReasoningOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(codeReasoningPlugin as unknown as RewardPlugin, options, context);
}
