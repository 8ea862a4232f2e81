import { RewardError, concurrentPerRollout, definePlugin, ok, promptText, type CreateContext, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { cosineSimilarity, openRewardModel } from '@mixreward/inference';
import { z } from 'zod';
import { answerRegion } from './answer-region.js';
import { FrameSampler, frameOptionFields } from './frame-sampling.js';
import type { Interval } from './intervals.js';
import { modelFields, modelOptionsOf } from './model-fields.js';
import { completionOf, createFromPlugin, show } from './reward-common.js';
import { parseSpans } from './span-parse.js';
import { parseTemporalReference } from './temporal-reference.js';
import { rgbToTiff } from './tiff.js';

const clipOptions = z
  .object({
    model: z.string().min(1).describe('CLIP-style model folder (manifest kind "clip": text and image towers), relative to the config file. Required.'),
    ...modelFields,
    ...frameOptionFields,
    within: z
      .enum(['video', 'reference', 'prediction'])
      .default('video')
      .describe('Where frames are sampled: the whole video (default), inside the reference spans (reference.spans), or inside the spans the completion writes (a completion without a span scores the floor).'),
    text: z
      .enum(['completion', 'prompt', 'reference'])
      .default('completion')
      .describe('The text compared with the frames: the completion\'s answer (captions, default), the prompt (the query, for within: prediction), or the reference (a string, or reference.text).'),
    extract: z.enum(['answer', 'anywhere']).default('answer').describe('For the completion: its last <answer> block when there is one (answer, default), or all of it; <think> never counts.'),
    answer_tag: z.string().min(1).default('answer').describe('Name of the answer tag, without brackets. Default answer.'),
    score: z.enum(['cosine', 'clipscore']).default('cosine').describe('Per frame: the cosine in [-1, 1] (default), or CLIPScore 2.5 * max(cosine, 0) in [0, 2.5].'),
    segments: z.number().int().min(1).optional().describe('Consecutive groups of frames scored apart (DenseDPO\'s segment view), >= 1; steps hold one score per segment. Default: one segment per frame.'),
    aggregate: z.enum(['mean', 'max', 'min']).default('mean').describe('How segment scores become the reward: mean (default), max or min.'),
  })
  .strict();

/** Options of `video.clip` as a user writes them (`model` required). */
export type VideoClipOptions = z.input<(typeof videoClipPlugin)['options']>;

function textFor(rollout: Rollout, completion: string, options: z.output<typeof clipOptions>): string | undefined {
  if (options.text === 'prompt') return promptText(rollout.prompt, { messages: 'lastUser' });
  if (options.text === 'reference') {
    const reference = rollout.reference;
    if (typeof reference === 'string') return reference;
    const text = typeof reference === 'object' && reference !== null ? (reference as { text?: unknown }).text : undefined;
    return typeof text === 'string' ? text : undefined;
  }
  return answerRegion(completion, options.extract, options.answer_tag).text;
}

/** Mean of each of `count` consecutive, near-equal groups of values. @internal */
export function segmentMeans(values: readonly number[], count: number): number[] {
  const groups = Math.max(1, Math.min(count, values.length));
  return Array.from({ length: groups }, (_, group) => {
    const from = Math.floor((group * values.length) / groups);
    const to = Math.floor(((group + 1) * values.length) / groups);
    let total = 0;
    for (let index = from; index < to; index++) total += values[index] as number;
    return total / (to - from);
  });
}

/**
 * `video.clip`: video-text similarity from real frames. Frames of `rollout.media.video` are sampled
 * by ffmpeg (uniform N, an fps, or inside the reference or predicted spans), resized on ffmpeg's
 * side to the model's input, embedded by a CLIP-style model through @mixreward/inference and
 * compared with the text embedding; frames are grouped into segments whose scores go to `steps`
 * (DenseDPO's segment view), and aggregated (mean, max, min) into the reward.
 */
export const videoClipPlugin = definePlugin({
  name: 'video.clip',
  description: 'CLIP similarity between sampled video frames and a text (caption, query), per segment and aggregated',
  follows: 'CLIPScore (Hessel et al., 2021) over sampled frames; DenseDPO segment-level scores',
  reference: 'none for text completion/prompt; a string or {"text": …} for text reference; {"spans": [[s, e]]} for within reference',
  options: clipOptions,
  batchSize: 8,
  async create(options, context) {
    const model = await openRewardModel('video.clip', modelOptionsOf(options), context, ['clip']);
    const size = model.manifest.image?.size ?? 224;
    const sampler = new FrameSampler(options, context);
    const floor = options.score === 'clipscore' ? 0 : -1;
    const scoreOne = async (rollout: Rollout, signal: AbortSignal): Promise<RewardResult> => {
      const completion = completionOf(rollout, 'video.clip');
      const path = sampler.videoPath(rollout, 'video.clip');
      const text = textFor(rollout, completion, options);
      if (text === undefined || text.trim().length === 0) {
        if (options.text === 'completion') return ok(floor, { components: { cosine_mean: null, frames: 0 }, reason: 'empty answer: no text to compare with the video' });
        throw new RewardError(options.text === 'reference' ? 'INVALID_REFERENCE' : 'INVALID_ROLLOUT', `video.clip: the ${options.text} has no text to compare with the video`, { path: options.text });
      }
      let within: Interval[] | undefined;
      if (options.within === 'reference') {
        if (rollout.reference === undefined) throw new RewardError('INVALID_REFERENCE', 'video.clip with within: reference needs rollout.reference.spans', { path: 'reference.spans' });
        within = parseTemporalReference(rollout.reference).spans;
      } else if (options.within === 'prediction') {
        within = parseSpans(completion, { extract: options.extract, answerTag: options.answer_tag }).spans.filter((span) => span.end > span.start).map((span): Interval => [span.start, span.end]);
        if (within.length === 0) return ok(floor, { components: { cosine_mean: null, frames: 0 }, reason: 'no time span found in the answer: nothing to sample' });
      }
      const [video, textVector] = await Promise.all([sampler.sample(path, { signal, size: { width: size, height: size, fit: 'cover' }, within }), model.embed(text)]);
      const imageVectors = await Promise.all(video.frames.map((frame) => model.embedImage(rgbToTiff(frame.width, frame.height, frame.data))));
      const cosines = imageVectors.map((vector) => cosineSimilarity(vector, textVector));
      const perFrame = options.score === 'clipscore' ? cosines.map((value) => 2.5 * Math.max(value, 0)) : cosines;
      const steps = segmentMeans(perFrame, options.segments ?? perFrame.length);
      const reward = options.aggregate === 'max' ? Math.max(...steps) : options.aggregate === 'min' ? Math.min(...steps) : steps.reduce((sum, value) => sum + value, 0) / steps.length;
      const mean = cosines.reduce((sum, value) => sum + value, 0) / cosines.length;
      return ok(reward, {
        components: { cosine_mean: mean, cosine_max: Math.max(...cosines), cosine_min: Math.min(...cosines), frames: cosines.length },
        steps,
        reason: `${options.aggregate} ${options.score} ${show(reward)} over ${steps.length} segment(s) of ${cosines.length} frame(s) at ${video.frames.map((frame) => show(frame.time)).join(', ')} s of ${rollout.media?.video} against the ${options.text}`,
      });
    };
    const internal = new AbortController();
    const scorer = concurrentPerRollout(
      (rollout, scoreContext) => scoreOne(rollout, AbortSignal.any([scoreContext.signal, internal.signal])),
      async () => {
        internal.abort();
        await model.dispose();
      },
    );
    return scorer;
  },
});

/**
 * A `video.clip` scorer for library use (loads the model; dispose it when done).
 * @param options the reward's options; `model` is required
 * @param context `baseDir` for the model and ffmpeg paths, `mediaDir` for video paths, and a logger
 */
export function createVideoClipReward(options: VideoClipOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createFromPlugin(videoClipPlugin, options, context);
}
