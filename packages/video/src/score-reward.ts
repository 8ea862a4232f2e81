import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { RewardError, concurrentPerRollout, definePlugin, errorMessage, ok, promptText, type CreateContext, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { CLIP_MEAN, CLIP_STD, TextTokenizer, applyActivation, loadSession, type RawSession, type RawTensorInput } from '@mixreward/inference';
import { z } from 'zod';
import { answerRegion } from './answer-region.js';
import { FrameSampler, frameOptionFields } from './frame-sampling.js';
import type { VideoFrame } from './ffmpeg/frames.js';
import { modelFields } from './model-fields.js';
import { completionOf, createFromPlugin, show } from './reward-common.js';

/**
 * `manifest.json` of a video reward model (kind `video-score`): an ONNX graph that takes
 * `pixel_values` float32 `[batch, frames, 3, size, size]` (or `[batch, 3, frames, size, size]` with
 * layout `ncfhw`) and, optionally, `input_ids` / `attention_mask` int64 `[batch, tokens]` of a text,
 * and returns scores `[batch, labels]`.
 */
export const videoScoreManifestSchema = z
  .object({
    kind: z.literal('video-score').describe('what the model is'),
    name: z.string().optional().describe('a display name'),
    source: z.string().optional().describe('where the weights came from, informational'),
    model: z.string().min(1).default('model.onnx').describe('ONNX file, relative to the folder'),
    frames: z.number().int().min(1).max(1024).default(8).describe('frames the graph takes per video (1-1024); the reward samples exactly this many'),
    image: z
      .object({
        size: z.number().int().min(1).default(224).describe('frame side in pixels (frames are scaled to cover, then centre-cropped, by ffmpeg)'),
        mean: z.tuple([z.number(), z.number(), z.number()]).default([...CLIP_MEAN] as [number, number, number]).describe('per-channel mean after scaling to [0, 1]'),
        std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([...CLIP_STD] as [number, number, number]).describe('per-channel standard deviation'),
        layout: z.enum(['nfchw', 'ncfhw']).default('nfchw').describe('nfchw: [batch, frames, 3, H, W] (VideoMAE, TimeSformer); ncfhw: [batch, 3, frames, H, W] (3D CNNs)'),
      })
      .strict()
      .default({ size: 224, mean: [...CLIP_MEAN] as [number, number, number], std: [...CLIP_STD] as [number, number, number], layout: 'nfchw' }),
    inputs: z
      .object({
        pixelValues: z.string().min(1).default('pixel_values'),
        inputIds: z.string().min(1).default('input_ids'),
        attentionMask: z.string().min(1).default('attention_mask'),
      })
      .strict()
      .default({ pixelValues: 'pixel_values', inputIds: 'input_ids', attentionMask: 'attention_mask' })
      .describe('graph input names; the text inputs are fed only when the graph has them'),
    tokenizer: z.string().min(1).default('tokenizer.json').describe('tokenizer.json for the text inputs, relative to the folder'),
    maxLength: z.number().int().min(2).default(77).describe('most text tokens, special tokens included'),
    output: z.string().min(1).optional().describe('output to read (default: the first)'),
    labels: z.array(z.string().min(1)).min(1).optional().describe('one name per output column (default label_0, …); each becomes a component'),
    activation: z.enum(['none', 'sigmoid', 'softmax']).default('none').describe('applied to the output row'),
    reward: z.string().min(1).optional().describe('the label that is the reward (default: the first)'),
  })
  .strict();

/** A parsed `video-score` manifest. */
export type VideoScoreManifest = z.output<typeof videoScoreManifestSchema>;

const scoreOptions = z
  .object({
    model: z.string().min(1).describe('Video reward model folder (manifest kind "video-score", see the README), relative to the config file. Required.'),
    device: modelFields.device,
    device_id: modelFields.device_id,
    max_frames: frameOptionFields.max_frames,
    ffmpeg_path: frameOptionFields.ffmpeg_path,
    media_root: frameOptionFields.media_root,
    timeout_ms: frameOptionFields.timeout_ms,
    concurrency: frameOptionFields.concurrency,
    text: z
      .enum(['prompt', 'completion', 'none'])
      .default('prompt')
      .describe('The text fed to a text-conditioned model: the prompt (default, e.g. the generation prompt), the completion\'s answer, or none.'),
    extract: z.enum(['answer', 'anywhere']).default('answer').describe('For text completion: its last <answer> block when there is one (answer, default), or all of it.'),
    answer_tag: z.string().min(1).default('answer').describe('Name of the answer tag, without brackets. Default answer.'),
  })
  .strict();

/** Options of `video.score` as a user writes them (`model` required). */
export type VideoScoreOptions = z.input<(typeof videoScorePlugin)['options']>;

async function readVideoManifest(folder: string): Promise<VideoScoreManifest> {
  const file = join(folder, 'manifest.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) throw new RewardError('MODEL_UNAVAILABLE', `manifest.json not found in ${folder}: write one with {"kind": "video-score", "frames": 8} (see @mixreward/video's README)`, { path: 'with.model' });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RewardError('INVALID_OPTIONS', `${file} is not JSON: ${errorMessage(error)}`, { path: 'with.model' });
  }
  const parsed = videoScoreManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RewardError('INVALID_OPTIONS', `${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'kind'}: ${issue.message}`).join('; ')} (video.score needs a model of kind "video-score")`, { path: 'with.model' });
  }
  return parsed.data;
}

/** Frames (packed RGB, `size` x `size`) into one normalised float32 video tensor. @internal */
export function framesToTensor(frames: readonly VideoFrame[], image: VideoScoreManifest['image']): Float32Array {
  const size = image.size;
  const plane = size * size;
  const count = frames.length;
  const data = new Float32Array(count * 3 * plane);
  frames.forEach((frame, f) => {
    for (let channel = 0; channel < 3; channel++) {
      const std = image.std[channel] as number;
      const scale = 1 / (255 * std);
      const shift = (image.mean[channel] as number) / std;
      const base = image.layout === 'nfchw' ? (f * 3 + channel) * plane : (channel * count + f) * plane;
      for (let pixel = 0; pixel < plane; pixel++) data[base + pixel] = (frame.data[pixel * 3 + channel] as number) * scale - shift;
    }
  });
  return data;
}

/**
 * `video.score`: a video reward model (VR-Thinker / MJ-VIDEO-style judges exported to ONNX) given
 * exactly the number of frames its manifest asks for, sampled uniformly by ffmpeg, and optionally
 * the prompt's tokens. Every output label becomes a component (per-dimension scores); the
 * manifest's `reward` label is the reward.
 */
export const videoScorePlugin = definePlugin({
  name: 'video.score',
  description: 'A video reward model (ONNX, manifest kind "video-score") scoring N sampled frames, optionally with the prompt',
  follows: 'VR-Thinker and MJ-VIDEO video reward models (frames sampled under a budget, per-dimension scores)',
  reference: 'none: the video is rollout.media.video; the text is the prompt or the completion',
  options: scoreOptions,
  batchSize: 4,
  async create(options, context) {
    const folder = isAbsolute(options.model) ? options.model : resolvePath(context.baseDir, options.model);
    if (!(await stat(folder).catch(() => undefined))?.isDirectory()) throw new RewardError('MODEL_UNAVAILABLE', `video.score: model folder not found: ${folder} (option model)`, { path: 'with.model' });
    const manifest = await readVideoManifest(folder);
    const session: RawSession = await loadSession({ path: join(folder, manifest.model), device: options.device, deviceId: options.device_id, logger: context.logger });
    let tokenizer: TextTokenizer | undefined;
    try {
      const pixelInput = session.inputs.find((input) => input.name === manifest.inputs.pixelValues);
      if (pixelInput === undefined) throw new RewardError('INVALID_OPTIONS', `video.score: the graph ${session.path} has no input "${manifest.inputs.pixelValues}" (manifest inputs.pixelValues); it has ${session.inputNames.join(', ')}`, { path: 'with.model' });
      const wantsText = session.inputNames.includes(manifest.inputs.inputIds);
      if (wantsText) tokenizer = await TextTokenizer.load(join(folder, manifest.tokenizer));
      const unknown = session.inputNames.filter((name) => name !== manifest.inputs.pixelValues && name !== manifest.inputs.inputIds && name !== manifest.inputs.attentionMask);
      if (unknown.length > 0) throw new RewardError('INVALID_OPTIONS', `video.score: the graph ${session.path} has inputs the manifest does not name: ${unknown.join(', ')}`, { path: 'with.model' });
    } catch (error) {
      await session.dispose();
      throw error;
    }
    const output = manifest.output ?? session.outputNames[0];
    if (output === undefined) throw new RewardError('INVALID_OPTIONS', `video.score: the graph ${session.path} has no output`, { path: 'with.model' });
    if (manifest.frames > options.max_frames) {
      await session.dispose();
      throw new RewardError('INVALID_OPTIONS', `video.score: the model takes ${manifest.frames} frames (manifest.frames) but max_frames is ${options.max_frames}; raise max_frames`, { path: 'with.max_frames' });
    }
    const sampler = new FrameSampler({ ...options, frames: manifest.frames }, context);
    const size = manifest.image.size;
    const internal = new AbortController();

    const scoreOne = async (rollout: Rollout, signal: AbortSignal): Promise<RewardResult> => {
      const completion = completionOf(rollout, 'video.score');
      const path = sampler.videoPath(rollout, 'video.score');
      const video = await sampler.sample(path, { signal, size: { width: size, height: size, fit: 'cover' } });
      const count = video.frames.length;
      const dims = manifest.image.layout === 'nfchw' ? [1, count, 3, size, size] : [1, 3, count, size, size];
      const feeds: Record<string, RawTensorInput> = { [manifest.inputs.pixelValues]: { type: 'float32', data: framesToTensor(video.frames, manifest.image), dims } };
      if (tokenizer !== undefined) {
        const text = options.text === 'prompt' ? (promptText(rollout.prompt, { messages: 'lastUser' }) ?? '') : options.text === 'completion' ? answerRegion(completion, options.extract, options.answer_tag).text : '';
        const encoded = tokenizer.encode(text, undefined, { maxLength: manifest.maxLength, side: 'right' });
        feeds[manifest.inputs.inputIds] = { type: 'int64', data: BigInt64Array.from(encoded.ids.map(BigInt)), dims: [1, encoded.ids.length] };
        if (session.inputNames.includes(manifest.inputs.attentionMask)) feeds[manifest.inputs.attentionMask] = { type: 'int64', data: new BigInt64Array(encoded.ids.length).fill(1n), dims: [1, encoded.ids.length] };
      }
      const result = await session.run(feeds, { outputs: [output] });
      const tensor = result[output];
      if (tensor === undefined) throw new RewardError('INTERNAL', `video.score: the model returned no "${output}"`);
      const row = Array.from(tensor.data as ArrayLike<number>, Number);
      const scores = applyActivation(row, manifest.activation);
      const labels = manifest.labels ?? scores.map((_, index) => `label_${index}`);
      if (labels.length !== scores.length) throw new RewardError('INVALID_OPTIONS', `video.score: the manifest names ${labels.length} labels but the model returns ${scores.length} scores`, { path: 'with.model' });
      const rewardIndex = manifest.reward === undefined ? 0 : labels.indexOf(manifest.reward);
      if (rewardIndex < 0) throw new RewardError('INVALID_OPTIONS', `video.score: manifest reward "${manifest.reward}" is not one of the labels ${labels.join(', ')}`, { path: 'with.model' });
      const components: Record<string, number | null> = { frames: count };
      labels.forEach((label, index) => (components[label] = scores[index] as number));
      return ok(scores[rewardIndex] as number, {
        components,
        reason: `${labels[rewardIndex]} ${show(scores[rewardIndex])} from ${count} frame(s) at ${video.frames.map((frame) => show(frame.time)).join(', ')} s of ${rollout.media?.video}`,
      });
    };
    return concurrentPerRollout(
      (rollout, scoreContext) => scoreOne(rollout, AbortSignal.any([scoreContext.signal, internal.signal])),
      async () => {
        internal.abort();
        await session.dispose();
      },
    );
  },
});

/**
 * A `video.score` scorer for library use (loads the model; dispose it when done).
 * @param options the reward's options; `model` is required
 * @param context `baseDir` for the model and ffmpeg paths, `mediaDir` for video paths, and a logger
 */
export function createVideoScoreReward(options: VideoScoreOptions, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createFromPlugin(videoScorePlugin, options, context);
}
