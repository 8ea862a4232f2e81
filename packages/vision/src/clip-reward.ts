import { resolve as resolvePath } from 'node:path';
import {
  RewardError,
  concurrentPerRollout,
  createScorer,
  promptText,
  resolveMediaPath,
  skipped,
  definePlugin,
  ok,
  type CreateContext,
  type RewardResult,
  type Rollout,
  type Scorer,
} from '@mixreward/core';
import { cosineSimilarity, modelOptionFields, openRewardModel } from '@mixreward/inference';
import { z } from 'zod';

/** Options of `vision.clip`. */
const clipOptions = z
  .object({
    model: z.string().min(1).describe('CLIP-style model folder (manifest kind "clip": text and image towers), relative to the config file. Required, no default.'),
    ...modelOptionFields,
    text: z
      .enum(['completion', 'prompt', 'reference'])
      .default('completion')
      .describe('Which text to compare with the image: the completion (captions, default), the prompt (generated images), or the reference (a string). Default completion.'),
    image: z.number().int().min(0).default(0).describe('Which of rollout.media.images to score. Default 0.'),
    image_root: z.string().optional().describe("Folder that relative rollout image paths resolve against (itself relative to the config folder). Default: the input file's folder (the context's mediaDir)."),
    extract: z
      .enum(['auto', 'answer', 'anywhere'])
      .default('auto')
      .describe('For text "completion": the last answer block when present (auto), only it, or the whole completion. Default auto.'),
    answer_tag: z.string().min(1).default('answer').describe('Name of the answer tag, without brackets. Default answer.'),
    score: z
      .enum(['cosine', 'clipscore'])
      .default('cosine')
      .describe('cosine: the cosine similarity in [-1, 1]; clipscore: 2.5 * max(cosine, 0) in [0, 2.5] (Hessel et al., 2021). Default cosine.'),
  })
  .strict();

/** Options of `vision.clip` as a user writes them (defaults optional). */
export type VisionClipOptions = z.input<(typeof visionClipPlugin)['options']>;


function answerText(completion: string, extract: 'auto' | 'answer' | 'anywhere', tag: string): string | undefined {
  if (extract === 'anywhere') return completion;
  const lower = completion.toLowerCase();
  const open = `<${tag.toLowerCase()}>`;
  const start = lower.lastIndexOf(open);
  if (start < 0) return extract === 'answer' ? undefined : completion;
  const from = start + open.length;
  const close = lower.indexOf(`</${tag.toLowerCase()}>`, from);
  return completion.slice(from, close >= 0 ? close : completion.length);
}

/**
 * `vision.clip`: image-text similarity from a CLIP-style two-tower model through
 * @mixreward/inference: the cosine between the image embedding of `rollout.media.images[image]`
 * and the text embedding of the completion (captioning) or of the prompt (generated images).
 * Beware the known failure of naive CLIP rewards (see the README): optimised alone, captions
 * drift into ungrammatical lists of salient words; mix it with a fluency or format reward.
 */
export const visionClipPlugin = definePlugin({
  name: 'vision.clip',
  description: 'CLIP image-text cosine similarity (captions against their image, or generated images against their prompt)',
  follows: 'CLIPScore (Hessel et al., 2021); CLIP reward for captioning (Cho et al., 2022)',
  reference: 'none needed: the image is rollout.media.images[image]; the text is the completion, the prompt or a string reference',
  options: clipOptions,
  async create(options, context) {
    const model = await openRewardModel('vision.clip', options, context, ['clip']);
    const mediaDir = options.image_root === undefined ? (context.mediaDir ?? context.baseDir) : resolvePath(context.baseDir, options.image_root);
    const scoreOne = async (rollout: Rollout): Promise<RewardResult> => {
      const images = rollout.media?.images;
      const path = Array.isArray(images) ? images[options.image] : undefined;
      if (typeof path !== 'string' || path.length === 0) {
        throw new RewardError('INVALID_ROLLOUT', `vision.clip needs an image: rollout.media.images[${options.image}] is missing`, { path: `media.images[${options.image}]` });
      }
      let text: string | undefined;
      if (options.text === 'prompt') text = promptText(rollout.prompt, { messages: 'lastUser' });
      else if (options.text === 'reference') {
        if (rollout.reference === undefined || rollout.reference === null) {
          return skipped('no reference: vision.clip with text: reference needs rollout.reference (the text to compare with the image, a string)');
        }
        text = typeof rollout.reference === 'string' ? rollout.reference : undefined;
      }
      else text = answerText(rollout.completion, options.extract, options.answer_tag);
      if (text === undefined || text.trim().length === 0) {
        if (options.text === 'completion') return ok(0, { components: { cosine: null }, reason: 'empty completion (no text to compare with the image)' });
        throw new RewardError(options.text === 'reference' ? 'INVALID_REFERENCE' : 'INVALID_ROLLOUT', `vision.clip: the ${options.text} has no text to compare with the image`, {
          path: options.text,
        });
      }
      const [imageVector, textVector] = await Promise.all([model.embedImage(resolveMediaPath(path, { mediaDir })), model.embed(text)]);
      const cosine = cosineSimilarity(imageVector, textVector);
      const reward = options.score === 'clipscore' ? 2.5 * Math.max(cosine, 0) : cosine;
      return ok(reward, { components: { cosine }, reason: `${options.score} ${Math.round(reward * 10000) / 10000} between ${path} and the ${options.text}` });
    };
    return concurrentPerRollout((rollout) => scoreOne(rollout), () => model.dispose());
  },
});

/**
 * A `vision.clip` scorer for library use (loads the model; dispose it when done).
 * @param options the reward's options; `model` is required
 * @param context `baseDir` for the model folder and `image_root`, `mediaDir` for rollout image paths (default `baseDir`), and a logger
 */
export async function createVisionClipReward(options: VisionClipOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createScorer(visionClipPlugin, options, context);
}
