import { RewardError, type CreateContext } from '@mixreward/core';
import { z } from 'zod';
import type { ModelKind } from './manifest.js';
import { loadModel, type Model } from './model.js';

/**
 * The options every model-backed reward shares (spread them into a reward's zod schema next to its
 * own `model` option): the device and the dynamic-batching and thread settings of `loadModel`.
 */
export const modelOptionFields = {
  device: z.enum(['auto', 'cpu', 'cuda']).default('auto').describe('auto: CUDA when installed and working, else CPU; cpu; cuda. Default auto'),
  device_id: z.number().int().min(0).default(0).describe('CUDA device index, an integer >= 0; default 0'),
  max_batch_size: z.number().int().min(1).default(32).describe('most requests per session call (dynamic batching), an integer >= 1; default 32'),
  max_wait_ms: z.number().min(0).default(2).describe('longest a request waits for a batch to fill, in milliseconds >= 0; default 2'),
  call_cost_tokens: z
    .number()
    .min(0)
    .optional()
    .describe('what one session call costs in padded tokens: length-sorted requests are cut into the batches that cost least, >= 0; default 64 on CPU, 4096 on CUDA'),
  intra_op_threads: z.number().int().min(1).optional().describe('ONNX Runtime intra-op threads, an integer >= 1; default min(4, cores / 2)'),
  inter_op_threads: z.number().int().min(1).optional().describe('ONNX Runtime inter-op threads, an integer >= 1; default 1'),
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
    deviceId: options.device_id,
    batching: {
      maxBatchSize: options.max_batch_size,
      maxWaitMs: options.max_wait_ms,
      ...(options.call_cost_tokens === undefined ? {} : { callCostTokens: options.call_cost_tokens }),
    },
    threads: {
      ...(options.intra_op_threads === undefined ? {} : { intraOp: options.intra_op_threads }),
      ...(options.inter_op_threads === undefined ? {} : { interOp: options.inter_op_threads }),
    },
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
