/**
 * Grounding and detection rewards for mixreward: boxes and points parsed from completions in every
 * common syntax, explicit coordinate frames (pixel, 0-1, Qwen's 0-1000 grid, resized model input),
 * the IoU family, Hungarian matching, per-image COCO AP, counting, CLIP image-text similarity, and text-in-image (PP-OCR) rewards.
 * @packageDocumentation
 */
import type { RewardPlugin } from '@mixreward/core';
import { clipPlugin } from './clip-reward.js';
import { countPlugin } from './count-reward.js';
import { detectionPlugin } from './detection-reward.js';
import { iouPlugin } from './iou-reward.js';
import { matchPlugin } from './match-reward.js';
import { ocrPlugin } from './ocr-reward.js';
import { pointPlugin } from './point-reward.js';

export * from './geometry.js';
export * from './frame.js';
export * from './iou.js';
export * from './json-repair.js';
export * from './box-parse.js';
export * from './image-size.js';
export * from './reference.js';
export * from './resolve.js';
export * from './hungarian.js';
export * from './box-match.js';
export * from './detection-ap.js';
export * from './iou-reward.js';
export * from './point-reward.js';
export * from './match-reward.js';
export * from './detection-reward.js';
export * from './count-reward.js';
export * from './clip-reward.js';
export * from './db-postprocess.js';
export * from './cv-warp.js';
export * from './ocr-text.js';
export * from './ocr-engine.js';
export * from './ocr-reward.js';

/** Every reward of this package, for a registry: `vision.iou`, `vision.point`, `vision.match`, `vision.detection`, `vision.count`, `vision.clip`, `vision.ocr`. */
export const plugins: RewardPlugin[] = [iouPlugin, pointPlugin, matchPlugin, detectionPlugin, countPlugin, clipPlugin, ocrPlugin] as unknown as RewardPlugin[];
