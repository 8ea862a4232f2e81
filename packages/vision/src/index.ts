/**
 * Grounding and detection rewards for mixreward: boxes and points parsed from completions in every
 * common syntax, explicit coordinate frames (pixel, 0-1, Qwen's 0-1000 grid, resized model input),
 * the IoU family, Hungarian matching, per-image COCO AP, counting, CLIP image-text similarity, and
 * text-in-image (PP-OCR) rewards.
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { visionClipPlugin } from './clip-reward.js';
import { visionCountPlugin } from './count-reward.js';
import { visionDetectionPlugin } from './detection-reward.js';
import { visionIouPlugin } from './iou-reward.js';
import { visionMatchPlugin } from './match-reward.js';
import { visionOcrPlugin } from './ocr-reward.js';
import { visionPointPlugin } from './point-reward.js';

export { visionIouPlugin, createVisionIouReward, type VisionIouOptions } from './iou-reward.js';
export { visionPointPlugin, createVisionPointReward, type VisionPointOptions, type PointTier } from './point-reward.js';
export { visionMatchPlugin, createVisionMatchReward, type VisionMatchOptions } from './match-reward.js';
export { visionDetectionPlugin, createVisionDetectionReward, type VisionDetectionOptions } from './detection-reward.js';
export { visionCountPlugin, createVisionCountReward, type VisionCountOptions } from './count-reward.js';
export { visionClipPlugin, createVisionClipReward, type VisionClipOptions } from './clip-reward.js';
export { visionOcrPlugin, createVisionOcrReward, type VisionOcrOptions } from './ocr-reward.js';

export { toXyxy, fromXyxy, type Box, type Point, type BoxFormat, type ImageSize } from './geometry.js';
export { convertBox, convertPoint, frameScale, qwenSmartResize, type Frame, type FrameSizes, type SmartResizeOptions } from './frame.js';
export { iou, giou, diou, ciou, boxMetric, pairwiseIou, type IouMetric } from './iou.js';
export { parseShapes, type ParsedShape, type ParsedShapes, type ParseShapesOptions, type ShapeSyntax, type ExtractMode, type StatedConvention } from './box-parse.js';
export { parseReference, type VisionReference, type ReferenceBox, type ReferencePoint, type ReferenceFrame } from './reference.js';
export { matchBoxes, type MatchBoxesOptions, type BoxMatching, type MatchedPair, type LabeledBox } from './box-match.js';
export { cocoAveragePrecision, type Detection, type GroundTruthBox, type CocoApOptions, type CocoApResult } from './detection-ap.js';

/** Every reward of this package, for a registry: `vision.iou`, `vision.point`, `vision.match`, `vision.detection`, `vision.count`, `vision.clip`, `vision.ocr`. */
export const plugins: RewardPlugin[] = [visionIouPlugin, visionPointPlugin, visionMatchPlugin, visionDetectionPlugin, visionCountPlugin, visionClipPlugin, visionOcrPlugin];
