/**
 * Video rewards for mixreward: temporal IoU of spans read from completions, event order, spatio-temporal
 * tubes, frames decoded by ffmpeg, and video-text / video reward-model scores through @mixreward/inference.
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { videoClipPlugin } from './clip-reward.js';
import { videoOrderPlugin } from './order-reward.js';
import { videoScorePlugin } from './score-reward.js';
import { videoTiouPlugin } from './tiou-reward.js';
import { videoTubePlugin } from './tube-reward.js';

export { videoTiouPlugin, createVideoTiouReward, type VideoTiouOptions } from './tiou-reward.js';
export { videoOrderPlugin, createVideoOrderReward, parseOrder, kendallTau, type VideoOrderOptions, type ParsedOrder } from './order-reward.js';
export { videoTubePlugin, createVideoTubeReward, parseTube, tubeIou, type VideoTubeOptions, type Tube } from './tube-reward.js';
export { videoClipPlugin, createVideoClipReward, type VideoClipOptions } from './clip-reward.js';
export { videoScorePlugin, createVideoScoreReward, videoScoreManifestSchema, type VideoScoreOptions, type VideoScoreManifest } from './score-reward.js';
export { resolveFfmpeg, type FfmpegBinary, type FfmpegSource, type ResolveFfmpegOptions } from './ffmpeg/binary.js';
export { probeVideo, decodeFrames, uniformTimes, fpsTimes, type VideoInfo, type VideoFrame, type FrameSize, type FfmpegCallOptions, type DecodeFramesOptions } from './ffmpeg/frames.js';
export { boxIou, boxProblem, type Box } from './box-iou.js';
export { parseSpans, type ParsedSpan, type ParsedSpans, type ParseSpansOptions, type SpanExtract } from './span-parse.js';
export { temporalIou, boundaryAwareIou, unionOfIntervals, type Interval } from './intervals.js';
export { parseTemporalReference, type TemporalReference } from './temporal-reference.js';

/** Every reward of this package, for a registry: `video.tiou`, `video.order`, `video.tube`, `video.clip`, `video.score`. */
export const plugins: RewardPlugin[] = [videoTiouPlugin, videoOrderPlugin, videoTubePlugin, videoClipPlugin, videoScorePlugin];
