import { definePlugin, ok, perRollout, skipped, type CreateContext, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { answerRegion } from './answer-region.js';
import { boxIou, boxProblem, type Box } from './box-iou.js';
import { completionOf, createFromPlugin, invalidReference, show } from './reward-common.js';

const tubeOptions = z
  .object({
    extract: z
      .enum(['answer', 'anywhere'])
      .default('answer')
      .describe('answer (default): read the last <answer> block when there is one, else the whole completion; anywhere: the whole completion. <think> blocks never count.'),
    answer_tag: z.string().min(1).default('answer').describe('Name of the answer tag, without brackets. Default answer.'),
  })
  .strict();

/** Options of `video.tube` as a user writes them (every key optional). */
export type VideoTubeOptions = z.input<(typeof videoTubePlugin)['options']>;

/** A tube: one box per frame index (>= 0). */
export type Tube = Map<number, number[]>;

/**
 * vIoU of a predicted tube against a reference tube: the sum over frames that both have of the
 * box IoU, divided by the number of frames that either has (the temporal union), as in HC-STVG /
 * VidSTG. A predicted box that cannot be scored counts 0 on its frame.
 * @returns vIoU in [0, 1]; 0 when both tubes are empty
 */
export function tubeIou(predicted: Tube, reference: Tube): number {
  const union = new Set([...predicted.keys(), ...reference.keys()]);
  if (union.size === 0) return 0;
  let total = 0;
  for (const [frame, truth] of reference) {
    const box = predicted.get(frame);
    if (box !== undefined && box.length === 4) total += boxIou(box as unknown as Box, truth as unknown as Box);
  }
  return total / union.size;
}

const MAX_CHARS = 200_000;
const BOX_KEYS = ['bbox', 'bbox_2d', 'box', 'box_2d', 'position'];
const FRAME_KEYS = ['frame', 'frame_id', 'frame_index', 'index', 't'];
const LINE = /(?:frame|f|t)?\s*#?\s*(\d{1,7})\s*[:=]\s*[[(]\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*[\])]/i;

function frameIndex(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
}

function numbersOf(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.length === 4 && value.every((item) => typeof item === 'number') ? (value as number[]) : undefined;
}

/** A tube from JSON: `{"12": [x1,y1,x2,y2]}`, `{"frames": {…}}`, or `[{"frame": 12, "bbox": […]}]`. */
function tubeFromJson(value: unknown, referenceFrames: readonly number[]): Tube | undefined {
  const tube: Tube = new Map();
  if (Array.isArray(value)) {
    // A bare list of boxes maps onto the reference frames in order when the counts agree (VideoChat-R1's tracking answers).
    if (value.length > 0 && value.every((item) => numbersOf(item) !== undefined)) {
      if (value.length !== referenceFrames.length) return undefined;
      value.forEach((item, index) => tube.set(referenceFrames[index] as number, item as number[]));
      return tube;
    }
    for (const item of value) {
      if (typeof item !== 'object' || item === null) continue;
      const record = item as Record<string, unknown>;
      const frameKey = FRAME_KEYS.find((key) => record[key] !== undefined);
      const boxKey = BOX_KEYS.find((key) => record[key] !== undefined);
      const frame = frameKey === undefined ? undefined : frameIndex(record[frameKey]);
      const box = boxKey === undefined ? undefined : numbersOf(record[boxKey]);
      if (frame !== undefined && box !== undefined) tube.set(frame, box);
    }
    return tube.size > 0 ? tube : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.frames === 'object' && record.frames !== null) return tubeFromJson(record.frames, referenceFrames);
  for (const [key, box] of Object.entries(record)) {
    const frame = frameIndex(key);
    const numbers = numbersOf(box);
    if (frame !== undefined && numbers !== undefined) tube.set(frame, numbers);
  }
  return tube.size > 0 ? tube : undefined;
}

/**
 * Read a predicted tube from a completion's answer: JSON (`{"12": [x1,y1,x2,y2], …}`,
 * `{"frames": {…}}`, `[{"frame": 12, "bbox": […]}, …]`, or a bare list of boxes, one per reference
 * frame in order) or lines such as `frame 12: [x1, y1, x2, y2]`. A later box for the same frame
 * replaces an earlier one.
 * @param referenceFrames the reference's frame indices in ascending order (for bare lists)
 */
export function parseTube(text: string, referenceFrames: readonly number[]): Tube {
  const limited = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const open = limited.search(/[[{]/);
  if (open >= 0) {
    const close = Math.max(limited.lastIndexOf('}'), limited.lastIndexOf(']'));
    if (close > open) {
      try {
        const tube = tubeFromJson(JSON.parse(limited.slice(open, close + 1).replace(/'/g, '"')), referenceFrames);
        if (tube !== undefined) return tube;
      } catch {
        // Not JSON: read lines below.
      }
    }
  }
  const tube: Tube = new Map();
  for (const line of limited.split('\n')) {
    if (line.length > 400) continue;
    const match = LINE.exec(line);
    if (match === null) continue;
    tube.set(Number(match[1]), [Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5])]);
  }
  return tube;
}

function parseTubeReference(raw: unknown): Tube {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw invalidReference('', 'expected {"frames": {"12": [x1, y1, x2, y2]}} or JSON of it');
    }
  }
  const frames = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { frames?: unknown }).frames : undefined;
  if (typeof frames !== 'object' || frames === null || Array.isArray(frames)) throw invalidReference('.frames', 'expected an object of frame index -> [x1, y1, x2, y2]');
  const tube: Tube = new Map();
  for (const [key, box] of Object.entries(frames)) {
    const frame = frameIndex(key);
    if (frame === undefined) throw invalidReference(`.frames.${key}`, 'frame keys must be whole numbers >= 0');
    const numbers = numbersOf(box);
    const problem = numbers === undefined ? 'expected [x1, y1, x2, y2]' : boxProblem(numbers);
    if (problem !== undefined) throw invalidReference(`.frames.${key}`, problem);
    tube.set(frame, numbers as number[]);
  }
  if (tube.size === 0) throw invalidReference('.frames', 'is empty (a reference tube needs at least one frame)');
  return tube;
}

/**
 * `video.tube`: spatio-temporal grounding. The predicted per-frame boxes against the reference
 * tube by vIoU = Σ over frames both have of IoU / |frames either has|, so a tube that is too long,
 * too short or in the wrong place loses both ways. Boxes share the reference's coordinates.
 */
export const videoTubePlugin = definePlugin({
  name: 'video.tube',
  description: 'vIoU of predicted per-frame boxes against a reference tube (spatio-temporal grounding)',
  follows: 'HC-STVG / VidSTG vIoU; VideoChat-R1 tracking reward (mean IoU over frame boxes)',
  reference: '{"frames": {"12": [x1, y1, x2, y2], …}} (frame index -> box, same coordinates as the answer)',
  options: tubeOptions,
  create(options) {
    return perRollout((rollout) => scoreTube(rollout, options));
  },
});

function scoreTube(rollout: Rollout, options: z.output<typeof tubeOptions>): RewardResult {
  const completion = completionOf(rollout, 'video.tube');
  if (rollout.reference === undefined) return skipped('no reference: video.tube needs rollout.reference ({"frames": {"12": [x1, y1, x2, y2]}})');
  const reference = parseTubeReference(rollout.reference);
  const frames = [...reference.keys()].sort((a, b) => a - b);
  const region = answerRegion(completion, options.extract, options.answer_tag);
  const predicted = parseTube(region.text, frames);
  const both = [...predicted.keys()].filter((frame) => reference.has(frame));
  const viou = tubeIou(predicted, reference);
  let sum = 0;
  for (const frame of both) sum += boxIou(predicted.get(frame) as unknown as Box, reference.get(frame) as unknown as Box);
  const components: Record<string, number | null> = {
    viou,
    mean_iou: both.length > 0 ? sum / both.length : 0,
    predicted_frames: predicted.size,
    matched_frames: both.length,
  };
  if (predicted.size === 0) return ok(0, { components, reason: `no per-frame box found ${region.where}` });
  const union = new Set([...predicted.keys(), ...reference.keys()]).size;
  return ok(viou, {
    components,
    reason: `viou ${show(viou)}: ${predicted.size} predicted frame(s), ${reference.size} reference frame(s), ${both.length} in common of ${union}; mean IoU on common frames ${show(components.mean_iou)}`,
  });
}

/**
 * A `video.tube` scorer for library use.
 * @param options the reward's options (all optional)
 * @param context base and media folders, and a logger
 */
export function createVideoTubeReward(options: VideoTubeOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createFromPlugin(videoTubePlugin, options, context);
}
