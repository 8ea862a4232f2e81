import { definePlugin, ok, perRollout, skipped, type CreateContext, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { boundaryAwareIou, temporalIou, unionOfIntervals } from './intervals.js';
import { completionOf, createFromPlugin, invalidReference, show, showSpans } from './reward-common.js';
import { parseSpans } from './span-parse.js';
import { clipInterval, parseTemporalReference } from './temporal-reference.js';

const tiouOptions = z
  .object({
    metric: z
      .enum(['tiou', 'boundary'])
      .default('tiou')
      .describe('tiou (default): |pred ∩ ref| / |pred ∪ ref| over the unions of spans, in [0, 1]; boundary: Time-R1\'s boundary-aware tIoU × (1 − |Δstart|/duration) × (1 − |Δend|/duration), in [0, 1], needs reference.duration.'),
    mode: z
      .enum(['continuous', 'threshold'])
      .optional()
      .describe('continuous: the metric is the reward; threshold: 1 when the metric >= threshold, else 0. Default: threshold when `threshold` is set, else continuous.'),
    threshold: z.number().min(0).max(1).optional().describe('Threshold for threshold mode, in [0, 1]. Default 0.5.'),
    extract: z
      .enum(['answer', 'anywhere'])
      .default('answer')
      .describe('answer (default): read the last <answer> block when there is one, else the whole completion; anywhere: the whole completion. <think> blocks never count.'),
    answer_tag: z.string().min(1).default('answer').describe('Name of the answer tag, without brackets. Default answer.'),
    fps: z.number().positive().optional().describe('Frames per second (> 0) for frame-number answers ("frame 30 to frame 45"); reference.fps wins when given. Default: none (frame spans are ignored).'),
    bare_unit: z.enum(['seconds', 'frames']).default('seconds').describe('What a number without a unit means: seconds (default) or frames (needs fps).'),
    reversed: z
      .enum(['reject', 'swap'])
      .default('reject')
      .describe('A span written end-first ("from 15 to 12"): reject (default: it counts as read but covers nothing) or swap its ends.'),
  })
  .strict();

/** Options of `video.tiou` as a user writes them (every key optional). */
export type VideoTiouOptions = z.input<(typeof videoTiouPlugin)['options']>;

/**
 * `video.tiou`: temporal grounding. Spans read from the completion in every common syntax
 * ({@link parseSpans}) and the reference spans are each merged into a union; the reward is
 * |pred ∩ ref| / |pred ∪ ref| (Time-R1, VideoChat-R1), or Time-R1's boundary-aware variant, or 1/0
 * at a threshold. Spans are clipped to `[0, duration]`. Nothing readable scores 0 with a reason.
 */
export const videoTiouPlugin = definePlugin({
  name: 'video.tiou',
  description: 'Temporal IoU between the spans a completion writes and the reference spans (unions of intervals)',
  follows: 'Time-R1 (tIoU and boundary-aware iou_v2), VideoChat-R1 multi-interval tIoU',
  reference: '{"spans": [[start_s, end_s], …], "duration"?: seconds, "fps"?: n}, or [[s, e], …], or [s, e]',
  options: tiouOptions,
  create(options) {
    const mode = options.mode ?? (options.threshold !== undefined ? 'threshold' : 'continuous');
    const threshold = options.threshold ?? 0.5;
    return perRollout((rollout) => scoreTiou(rollout, options, mode, threshold));
  },
});

function scoreTiou(rollout: Rollout, options: z.output<typeof tiouOptions>, mode: 'continuous' | 'threshold', threshold: number): RewardResult {
  const completion = completionOf(rollout, 'video.tiou');
  if (rollout.reference === undefined) return skipped('no reference: video.tiou needs rollout.reference ({"spans": [[start_s, end_s]], "duration"?: seconds})');
  const reference = parseTemporalReference(rollout.reference);
  if (options.metric === 'boundary' && reference.duration === undefined) {
    throw invalidReference('.duration', 'video.tiou with metric "boundary" needs the video length in seconds');
  }
  const fps = reference.fps ?? options.fps;
  const parsed = parseSpans(completion, {
    extract: options.extract,
    answerTag: options.answer_tag,
    bareUnit: options.bare_unit,
    ...(fps === undefined ? {} : { fps }),
  });
  const where = parsed.region === 'answer' ? 'in the answer block' : 'in the completion';
  const notes = parsed.notes.length > 0 ? ` (${parsed.notes.join('; ')})` : '';
  if (parsed.spans.length === 0) {
    const components: Record<string, number | null> = { tiou: 0, predicted_spans: 0 };
    if (options.metric === 'boundary') components.boundary = 0;
    return ok(0, { components, reason: `no time span found ${where}${notes}` });
  }
  const read: Array<[number, number]> = [];
  const rejected: string[] = [];
  for (const span of parsed.spans) {
    let { start, end } = span;
    if (end < start) {
      if (options.reversed === 'reject') {
        rejected.push(`[${show(start)}, ${show(end)}] s is end-first`);
        continue;
      }
      [start, end] = [end, start];
    }
    read.push(clipInterval([start, end], reference.duration));
  }
  const predicted = unionOfIntervals(read);
  const tiou = temporalIou(predicted, reference.spans);
  const components: Record<string, number | null> = { tiou, predicted_spans: parsed.spans.length };
  let value = tiou;
  if (options.metric === 'boundary') {
    value = boundaryAwareIou(predicted, reference.spans, reference.duration as number);
    components.boundary = value;
  }
  const reward = mode === 'threshold' ? (value >= threshold ? 1 : 0) : value;
  const verdict = mode === 'threshold' ? ` ${value >= threshold ? '>=' : '<'} threshold ${threshold}` : '';
  const clipped = reference.duration === undefined ? '' : ` clipped to [0, ${show(reference.duration)}] s`;
  const readText = read.length > 0 ? `read ${showSpans(read)}${clipped}` : 'no usable span';
  const rejectedText = rejected.length > 0 ? `; rejected ${rejected.join(', ')}` : '';
  const zero = read.length > 0 && predicted.length === 0 ? ' (zero length)' : '';
  return ok(reward, {
    components,
    reason: `${readText}${zero}${rejectedText} ${where}; ${options.metric === 'boundary' ? `boundary-aware tiou ${show(value)} (tiou ${show(tiou)})` : `tiou ${show(tiou)}`}${verdict} against ${showSpans(reference.spans)}${notes}`,
  });
}

/**
 * A `video.tiou` scorer for library use.
 * @param options the reward's options (all optional)
 * @param context base and media folders, and a logger
 */
export function createVideoTiouReward(options: VideoTiouOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createFromPlugin(videoTiouPlugin, options, context);
}
