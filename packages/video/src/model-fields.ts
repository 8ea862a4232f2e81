import { modelOptionFields, type ModelOptions } from '@mixreward/inference';
import type { z } from 'zod';

/**
 * The device and batching options of the model-backed video rewards: @mixreward/inference's
 * shared model options (snake_case, like every option key).
 * @internal
 */
export const modelFields = modelOptionFields;

/** The inference settings for parsed {@link modelFields} and a model folder. @internal */
export function modelOptionsOf(options: { model: string } & z.output<z.ZodObject<typeof modelFields>>): ModelOptions {
  return options;
}
