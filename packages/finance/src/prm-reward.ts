/**
 * `finance.prm`: step scores from a process reward model (Fin-PRM's step and trajectory views)
 * through @mixreward/inference.
 */
import { z } from 'zod';
import { concurrentPerRollout, createScorer, definePlugin, ok, promptText, skipped, type CreateContext, type Scorer } from '@mixreward/core';
import { modelOptionFields, openRewardModel } from '@mixreward/inference';

const prmOptionsSchema = z
  .object({
    model: z.string().min(1).describe('Process reward model folder (manifest kind "step-score": manifest.json, model.onnx, tokenizer.json), relative to the config file. Required.'),
    ...modelOptionFields,
    aggregate: z.enum(['min', 'mean', 'last', 'product']).default('min').describe('How step scores become the step view: "min" (default: the weakest step), "mean", "last", "product".'),
    view: z.enum(['step', 'trajectory', 'both']).default('both').describe('"step": the aggregated step scores; "trajectory": the model\'s score of the whole reasoning as one step; "both" (default): their mean (Fin-PRM).'),
    split: z.enum(['auto', 'lines', 'paragraphs']).default('auto').describe('Step boundaries: "auto" (default: "Step N:" markers when present, else paragraphs, else lines), "lines", "paragraphs".'),
    max_steps: z.number().int().min(1).max(256).default(64).describe('Most steps scored, 1-256 (default 64); later steps are merged into the last.'),
  })
  .strict();

/** Options of `finance.prm`, as written in a config. */
export type FinancePrmOptions = z.input<typeof prmOptionsSchema>;
type Settings = z.output<typeof prmOptionsSchema>;

/**
 * Split reasoning into steps: `Step 1:` markers when present, else blank-line paragraphs, else lines.
 * Empty steps are dropped; past `maxSteps` the rest is merged into the last step.
 */
export function splitSteps(reasoning: string, split: Settings['split'], maxSteps: number): string[] {
  let steps: string[];
  const marked = reasoning.split(/\n?(?=\b(?:Step|步骤)\s*\d+\s*[:：.])/i).map((step) => step.trim()).filter(Boolean);
  if ((split === 'auto' && marked.length > 1)) steps = marked;
  else if (split === 'paragraphs' || (split === 'auto' && /\n\s*\n/.test(reasoning))) steps = reasoning.split(/\n\s*\n/);
  else steps = reasoning.split('\n');
  steps = steps.map((step) => step.trim()).filter((step) => step.length > 0);
  if (steps.length > maxSteps) steps = [...steps.slice(0, maxSteps - 1), steps.slice(maxSteps - 1).join('\n')];
  return steps;
}

function aggregateSteps(scores: readonly number[], how: Settings['aggregate']): number {
  if (how === 'min') return Math.min(...scores);
  if (how === 'last') return scores[scores.length - 1] as number;
  if (how === 'product') return scores.reduce((product, value) => product * value, 1);
  return scores.reduce((sum, value) => sum + value, 0) / scores.length;
}

/** `finance.prm`: process reward model step scores, aggregated (step view), whole-trajectory (trajectory view) or both. */
export const financePrmPlugin = definePlugin({
  name: 'finance.prm',
  description: 'Step scores of the reasoning from a process reward model (ONNX, kind step-score): the step view (min/mean/last/product), the trajectory view, or both (Fin-PRM).',
  follows: 'Fin-PRM (step-level and trajectory-level process rewards for financial reasoning)',
  reference: 'none (the model judges the reasoning; the prompt is given to it when present)',
  options: prmOptionsSchema,
  batchSize: 32,
  async create(settings: Settings, context): Promise<Scorer> {
    const model = await openRewardModel('finance.prm', settings, context, ['step-score']);
    return concurrentPerRollout(
      async (rollout) => {
        if (typeof rollout.completion !== 'string') return skipped('the completion is not text');
        const think = /<think>([\s\S]*?)<\/think>/.exec(rollout.completion)?.[1];
        const reasoning = (think ?? rollout.completion.replace(/<answer>[\s\S]*?<\/answer>/g, '')).trim();
        const steps = splitSteps(reasoning, settings.split, settings.max_steps);
        if (steps.length === 0) return ok(0, { components: { step: 0, trajectory: 0 }, reason: 'no reasoning steps to score', steps: [] });
        const question = promptText(rollout.prompt) ?? '';
        const [stepScores, trajectory] = await Promise.all([
          settings.view === 'trajectory' ? Promise.resolve([] as number[]) : model.scoreSteps(question, steps),
          settings.view === 'step' ? Promise.resolve([] as number[]) : model.scoreSteps(question, [steps.join('\n')]),
        ]);
        const stepView = stepScores.length > 0 ? aggregateSteps(stepScores, settings.aggregate) : null;
        const trajectoryView = trajectory.length > 0 ? (trajectory[0] as number) : null;
        const reward = settings.view === 'step' ? (stepView as number) : settings.view === 'trajectory' ? (trajectoryView as number) : ((stepView as number) + (trajectoryView as number)) / 2;
        return ok(reward, {
          components: { step: stepView, trajectory: trajectoryView },
          ...(stepScores.length > 0 ? { steps: stepScores } : {}),
          reason: `${steps.length} steps; ${stepView === null ? '' : `step view (${settings.aggregate}) ${stepView.toFixed(4)}`}${stepView !== null && trajectoryView !== null ? ', ' : ''}${trajectoryView === null ? '' : `trajectory ${trajectoryView.toFixed(4)}`}`,
        });
      },
      () => model.dispose(),
    );
  },
});

/**
 * Make a `finance.prm` scorer.
 * @param options the reward's options (`model` is required)
 * @param context `baseDir` that a relative model path resolves against, and a logger
 */
export function createFinancePrmReward(options: FinancePrmOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(financePrmPlugin, options, context);
}
