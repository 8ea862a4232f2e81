import { RewardError, type CreateContext } from '@mixreward/core';
import { z } from 'zod';
import type { ModelKind } from './manifest.js';
import { loadModel, type Model } from './model.js';

/**
 * The options every model-backed reward shares (spread them into a reward's zod schema next to its
 * own `model` option): the device and the dynamic-batching and thread settings of `loadModel`.
 */
export const modelOptionFields = {
  device: z.enum(['auto', 'cpu', 'cuda']).default('auto').describe('auto: CUDA when installed and working, else CPU'),
  deviceId: z.number().int().min(0).default(0).describe('CUDA device index'),
  maxBatchSize: z.number().int().min(1).default(32).describe('most requests per session call (dynamic batching)'),
  maxWaitMs: z.number().min(0).default(2).describe('longest a request waits for a batch to fill, in ms'),
  callCostTokens: z
    .number()
    .min(0)
    .optional()
    .describe('split a length-sorted batch where padding would exceed this many tokens (default 64 on CPU, 4096 on CUDA)'),
  intraOpThreads: z.number().int().min(1).optional().describe('ONNX Runtime intra-op threads (default min(4, cores / 2))'),
  interOpThreads: z.number().int().min(1).optional().describe('ONNX Runtime inter-op threads (default 1)'),
};

/** Parsed {@link modelOptionFields} plus the reward's `model` folder. */
export type ModelOptions = { model: string } & z.output<z.ZodObject<typeof modelOptionFields>>;

/**
 * Load the model a reward's options name, and check its manifest kind: a model of another kind is
 * disposed and rejected with `INVALID_OPTIONS` naming the reward and `with.model`.
 * @param reward the reward's name, for messages (`math.prm`)
 * @param kinds the manifest kinds the reward can use
 */
export async function openRewardModel(reward: string, options: ModelOptions, context: Pick<CreateContext, 'baseDir' | 'logger'>, kinds: readonly ModelKind[]): Promise<Model> {
  const model = await loadModel({
    path: options.model,
    baseDir: context.baseDir,
    device: options.device,
    deviceId: options.deviceId,
    batching: { maxBatchSize: options.maxBatchSize, maxWaitMs: options.maxWaitMs, ...(options.callCostTokens === undefined ? {} : { callCostTokens: options.callCostTokens }) },
    threads: { ...(options.intraOpThreads === undefined ? {} : { intraOp: options.intraOpThreads }), ...(options.interOpThreads === undefined ? {} : { interOp: options.interOpThreads }) },
    logger: context.logger,
  });
  if (!kinds.includes(model.manifest.kind)) {
    await model.dispose();
    throw new RewardError('INVALID_OPTIONS', `${reward} needs a model of kind ${kinds.map((kind) => `"${kind}"`).join(' or ')}; ${model.path} is "${model.manifest.kind}" (manifest.json kind)`, {
      path: 'with.model',
    });
  }
  return model;
}
