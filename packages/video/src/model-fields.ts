import type { ModelOptions } from '@mixreward/inference';
import { z } from 'zod';

/**
 * The device and batching options of the model-backed video rewards, snake_case like every option
 * key; they map onto @mixreward/inference's `openRewardModel` settings.
 * @internal
 */
export const modelFields = {
  device: z.enum(['auto', 'cpu', 'cuda']).default('auto').describe('auto (default): CUDA when installed and working, else CPU; cpu; cuda.'),
  device_id: z.number().int().min(0).default(0).describe('CUDA device index, >= 0. Default 0.'),
  max_batch_size: z.number().int().min(1).default(32).describe('Most frames or texts per model call (dynamic batching), >= 1. Default 32.'),
  max_wait_ms: z.number().min(0).default(2).describe('Longest a request waits for a batch to fill, in ms (>= 0). Default 2.'),
};

/** The inference settings for parsed {@link modelFields} and a model folder. @internal */
export function modelOptionsOf(options: { model: string } & z.output<z.ZodObject<typeof modelFields>>): ModelOptions {
  return { model: options.model, device: options.device, deviceId: options.device_id, maxBatchSize: options.max_batch_size, maxWaitMs: options.max_wait_ms };
}
