import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScorer, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import fc from 'fast-check';
import sharp from 'sharp';
import {
  createVisionCountReward,
  createVisionDetectionReward,
  createVisionIouReward,
  createVisionMatchReward,
  createVisionPointReward,
  plugins,
} from './index.js';
import { clearImageSizeCache, readImageSize } from './image-size.js';

fc.configureGlobal({ seed: 20261122, numRuns: 100 });

let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'mixreward-vision-'));
  await sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 255, g: 0, b: 0 } } })
    .png()
    .toFile(join(folder, 'wide.png'));
  await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 0, g: 0, b: 255 } } })
    .jpeg()
    .toFile(join(folder, 'photo.jpg'));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
  clearImageSizeCache();
});

async function score(scorer: Scorer | Promise<Scorer>, ...rollouts: Rollout[]): Promise<RewardResult[]> {
  return (await scorer).score(rollouts, { signal: new AbortController().signal });
}

async function one(scorer: Scorer | Promise<Scorer>, completion: string, reference: unknown, extra: Partial<Rollout> = {}): Promise<RewardResult> {
  const [result] = await score(scorer, { completion, reference, ...extra });
  return result as RewardResult;
}

describe('plugins', () => {
  test('every reward is exported with a description, the tool it follows and its reference shape', () => {
    expect(plugins.map((plugin) => plugin.name)).toEqual(['vision.iou', 'vision.point', 'vision.match', 'vision.detection', 'vision.count', 'vision.clip', 'vision.ocr']);
    for (const plugin of plugins) {
      expect(plugin.description.length).toBeGreaterThan(10);
      expect(plugin.follows).toBeTruthy();
      expect(plugin.reference).toBeTruthy();
    }
  });

  test('unknown options are rejected with their path', async () => {
    await expect(createScorer(plugins[0] as (typeof plugins)[number], { metirc: 'giou' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createVisionIouReward({ metric: 'dice' as 'iou' })).rejects.toThrow(/with\.metric/);
  });
});

describe('vision.iou', () => {
  const scorer = createVisionIouReward();

  test('pixel box against pixel reference: IoU of the answer block\'s first box', async () => {
    const result = await one(scorer, '<think>[0, 0, 1, 1]</think><answer>[0, 0, 10, 10] and [50, 50, 60, 60]</answer>', { boxes: [[0, 0, 10, 5]] });
    expect(result).toMatchObject({ status: 'ok', reward: 0.5, components: { iou: 0.5, predicted_boxes: 2 } });
  });

  test('Qwen-VL tokens are on the 0-1000 grid and are rescaled with the reference image size', async () => {
    const completion = '<|object_ref_start|>car<|object_ref_end|><|box_start|>(0,0),(500,500)<|box_end|>';
    const result = await one(scorer, completion, { boxes: [[0, 0, 100, 50]], image_size: [200, 100] });
    expect(result).toMatchObject({ status: 'ok', reward: 1 });
    expect(result.reason).toMatch(/pixel frame/);
    // Qwen2.5-VL writes absolute pixels in the same tokens: say so with tokenFrame
    const absolute = await one(createVisionIouReward({ token_frame: 'pixel' }), '<|box_start|>(0,0),(100,50)<|box_end|>', { boxes: [[0, 0, 100, 50]], image_size: [200, 100] });
    expect(absolute.reward).toBe(1);
  });

  test('norm1 and grid1000 meet without an image size', async () => {
    const result = await one(createVisionIouReward({ frame: 'norm1' }), '<answer>{"bbox_2d": [0.1, 0.2, 0.5, 0.6]}</answer>', { boxes: [[100, 200, 500, 600]], frame: 'grid1000' });
    expect(result.reward).toBeCloseTo(1, 12);
    expect(result.reason).toMatch(/norm1 frame/);
  });

  test('a frame mismatch without any image size is skipped with a reason that names the fix, never a silent 0', async () => {
    const result = await one(scorer, '<box>[[0, 0, 500, 500]]</box>', { boxes: [[0, 0, 100, 50]] });
    expect(result).toMatchObject({ status: 'skipped', reward: null });
    expect(result.reason).toMatch(/reference\.image_size/);
    expect(result.reason).toMatch(/media\.images/);
  });

  test('the image size is read from rollout.media.images with sharp', async () => {
    const reward = createVisionIouReward({ frame: 'norm1' }, { baseDir: folder });
    const result = await one(reward, '<answer>[0, 0, 0.5, 0.5]</answer>', { boxes: [[0, 0, 100, 50]] }, { media: { images: ['wide.png'] } });
    expect(result).toMatchObject({ status: 'ok', reward: 1 });
    await expect(readImageSize(join(folder, 'photo.jpg'))).resolves.toEqual({ width: 640, height: 480 });
    const missing = await one(reward, '<answer>[0, 0, 0.5, 0.5]</answer>', { boxes: [[0, 0, 100, 50]] }, { media: { images: ['nope.png'] } });
    expect(missing).toMatchObject({ status: 'error', error: { code: 'INVALID_ROLLOUT' } });
  });

  test('the resized frame: Qwen2.5-VL smart_resize of 640x480 is 644x476', async () => {
    const reward = createVisionIouReward({ frame: 'resized', smart_resize: true }, { baseDir: folder });
    const result = await one(reward, '<answer>[322, 238, 644, 476]</answer>', { boxes: [[320, 240, 640, 480]] }, { media: { images: ['photo.jpg'] } });
    expect(result.reward).toBeCloseTo(1, 12);
    const explicit = await one(createVisionIouReward({ frame: 'resized' }), '<answer>[0, 0, 322, 238]</answer>', {
      boxes: [[0, 0, 320, 240]],
      image_size: [640, 480],
      resized_size: [644, 476],
    });
    expect(explicit.reward).toBeCloseTo(1, 12);
    const unknown = await one(createVisionIouReward({ frame: 'resized' }), '<answer>[0, 0, 322, 238]</answer>', { boxes: [[0, 0, 320, 240]], image_size: [640, 480] });
    expect(unknown).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
    expect(unknown.reason).toMatch(/resized_size/);
  });

  test('formats: an xywh prediction against a cxcywh reference', async () => {
    const result = await one(createVisionIouReward({ format: 'xywh' }), '[10, 20, 30, 40]', { boxes: [[25, 40, 30, 40]], format: 'cxcywh' });
    expect(result.reward).toBe(1);
  });

  test('the degenerate-box rule: clipped to the image, rejected when inverted or outside', async () => {
    const reference = { boxes: [[0, 0, 10, 10]], image_size: [100, 100] };
    expect((await one(scorer, '[-10, -10, 10, 10]', reference)).reward).toBe(1);
    const inverted = await one(scorer, '[10, 10, 0, 0]', reference);
    expect(inverted).toMatchObject({ status: 'ok', reward: 0 });
    expect(inverted.reason).toMatch(/inverted/);
    const outside = await one(scorer, '[150, 150, 200, 200]', reference);
    expect(outside).toMatchObject({ status: 'ok', reward: 0 });
    expect(outside.reason).toMatch(/outside the image/);
    expect((await one(scorer, '[0, 0, 10, 10]', { boxes: [[0, 0, 10, 10]], image_size: [100, 100] })).reward).toBe(1);
  });

  test('a likely frame mix-up is named in the reason', async () => {
    const result = await one(scorer, '<answer>[0.1, 0.1, 0.5, 0.5]</answer>', { boxes: [[10, 10, 50, 50]] });
    expect(result.reward).toBe(0);
    expect(result.reason).toMatch(/frame: norm1/);
  });

  test('GIoU metric, its floor for a missing box, and threshold mode', async () => {
    const giou = createVisionIouReward({ metric: 'giou' });
    const result = await one(giou, '[3, 0, 5, 4]', { boxes: [[0, 0, 2, 2]] });
    expect(result.reward).toBeCloseTo(-0.4, 15);
    expect(result.components).toMatchObject({ iou: 0 });
    expect(result.components?.giou).toBeCloseTo(-0.4, 15);
    expect((await one(giou, 'no box', { boxes: [[0, 0, 2, 2]] })).reward).toBe(-1);
    expect((await one(createVisionIouReward(), 'no box', { boxes: [[0, 0, 2, 2]] })).reward).toBe(0);
    const threshold = createVisionIouReward({ threshold: 0.5 });
    expect((await one(threshold, '[0, 0, 10, 5]', { boxes: [[0, 0, 10, 10]] })).reward).toBe(1);
    expect((await one(threshold, '[0, 0, 10, 4]', { boxes: [[0, 0, 10, 10]] })).reward).toBe(0);
    expect((await one(createVisionIouReward({ mode: 'threshold' }), '[0, 0, 10, 4.9]', { boxes: [[0, 0, 10, 10]] })).reward).toBe(0);
  });

  test('several acceptable reference boxes: the best one counts', async () => {
    expect((await one(scorer, '[20, 20, 30, 30]', { boxes: [[0, 0, 10, 10], [20, 20, 30, 30]] })).reward).toBe(1);
  });

  test('references: missing or without boxes is skipped, malformed is an error for that rollout only', async () => {
    const results = await score(
      scorer,
      { completion: '[0, 0, 1, 1]' },
      { completion: '[0, 0, 1, 1]', reference: { boxes: [] } },
      { completion: '[0, 0, 1, 1]', reference: { boxes: [[0, 0, 1]] } },
      { completion: '[0, 0, 1, 1]', reference: { boxes: [[0, 0, 1, 1]], frame: 'percent' } },
      { completion: '[0, 0, 1, 1]', reference: '[[0, 0, 1, 1]]' },
    );
    expect(results.map((result) => result.status)).toEqual(['skipped', 'skipped', 'error', 'error', 'ok']);
    expect(results[2]?.reason).toMatch(/reference\.boxes\[0\]/);
    expect(results[3]?.reason).toMatch(/reference\.frame/);
    expect(results[4]?.reward).toBe(1);
  });
});

describe('vision.point', () => {
  const reference = { boxes: [[40, 40, 60, 60]], image_size: [100, 100] };

  test('a <point> on the 0-1000 grid inside the reference box', async () => {
    const inside = await one(createVisionPointReward(), '<point>(500, 500)</point>', reference);
    expect(inside).toMatchObject({ status: 'ok', reward: 1, components: { inside: 1 } });
    expect((await one(createVisionPointReward(), '(70, 50)', reference)).reward).toBe(0);
    // two points are two points here, not a box: the first counts
    expect((await one(createVisionPointReward(), '(50, 50), (90, 90)', reference)).reward).toBe(1);
    // a box answer is read as its centre
    expect((await one(createVisionPointReward(), '[45, 45, 55, 55]', reference)).reward).toBe(1);
  });

  test('distance-tiered reward: each tier closer doubles the reward', async () => {
    const tiered = createVisionPointReward({ mode: 'tiered' });
    // target (50, 50) in a 100 x 100 image; (53, 54) is 0.05 of the side away, 0.05 / sqrt(2) = 0.0354 of the diagonal
    const near = await one(tiered, '(53, 54)', { points: [[50, 50]], image_size: [100, 100] });
    expect(near.reward).toBe(0.5);
    expect(near.components?.distance).toBeCloseTo(0.05 / Math.SQRT2, 15);
    expect((await one(tiered, '(50, 51)', { points: [[50, 50]], image_size: [100, 100] })).reward).toBe(1);
    expect((await one(tiered, '(90, 90)', { points: [[50, 50]], image_size: [100, 100] })).reward).toBe(0);
    const custom = createVisionPointReward({ mode: 'tiered', tiers: [{ within: 0.5, reward: 0.3 }] });
    expect((await one(custom, '(90, 90)', { points: [[50, 50]], image_size: [100, 100] })).reward).toBe(0.3);
  });

  test('tiered distances need the image extent: pixels without a size are skipped, naming the field', async () => {
    const result = await one(createVisionPointReward({ mode: 'tiered' }), '(53, 54)', { points: [[50, 50]] });
    expect(result).toMatchObject({ status: 'skipped', reward: null });
    expect(result.reason).toBe(
      'vision.point needs reference.image_size (or the image in rollout.media.images[0]) to measure distances in the pixel frame (they are fractions of the image diagonal)',
    );
    expect((await one(createVisionPointReward({ mode: 'tiered' }), '(0.53, 0.54)', { points: [[0.5, 0.5]], frame: 'norm1' })).reward).toBe(0.5);
  });

  test('mode inside with only reference points is skipped, not zero', async () => {
    expect((await one(createVisionPointReward(), '(1, 1)', { points: [[1, 1]] })).status).toBe('skipped');
  });
});

describe('vision.match', () => {
  const reference = { boxes: [{ bbox: [0, 0, 10, 10], label: 'cat' }, { bbox: [20, 0, 30, 10], label: 'dog' }] };

  test('mean IoU over max(#predicted, #reference) with precision and recall in components', async () => {
    const result = await one(createVisionMatchReward(), '<answer>[{"bbox_2d": [20, 0, 30, 5]}, {"bbox_2d": [0, 0, 10, 10]}]</answer>', reference);
    expect(result.reward).toBeCloseTo(0.75, 15);
    expect(result.components).toMatchObject({ mean_iou: 0.75, precision: 1, recall: 1, f1: 1, matched: 2, predicted: 2, reference: 2 });
    const extra = await one(createVisionMatchReward(), '[[0, 0, 10, 10], [20, 0, 30, 10], [50, 50, 60, 60]]', reference);
    expect(extra.reward).toBeCloseTo(2 / 3, 15);
    expect(extra.components?.precision).toBeCloseTo(2 / 3, 15);
    const missing = await one(createVisionMatchReward({ threshold: 0.9 }), '[[0, 0, 10, 10]]', reference);
    expect(missing.components).toMatchObject({ mean_iou: 0.5, precision: 1, recall: 0.5 });
  });

  test('label-aware matching', async () => {
    const swapped = '[{"bbox_2d": [0, 0, 10, 10], "label": "dog"}, {"bbox_2d": [20, 0, 30, 10], "label": "cat"}]';
    expect((await one(createVisionMatchReward(), swapped, reference)).reward).toBe(1);
    expect((await one(createVisionMatchReward({ label_aware: true }), swapped, reference)).reward).toBe(0);
  });

  test("Visual-RFT's confidence reward: c when matched, 1 - c when not", async () => {
    const completion = "<answer>[{'Position': [0, 0, 10, 10], 'Confidence': 0.9}, {'Position': [50, 50, 60, 60], 'Confidence': 0.2}]</answer>";
    const result = await one(createVisionMatchReward({ confidence: true }), completion, reference);
    // mean IoU 1 / 2; confidence (0.9 + (1 - 0.2)) / 2 = 0.85
    expect(result.components?.confidence).toBeCloseTo(0.85, 15);
    expect(result.reward).toBeCloseTo(0.5 + 0.85, 15);
  });

  test('an empty reference: nothing predicted is 1, anything predicted is 0', async () => {
    expect((await one(createVisionMatchReward(), '<answer>None</answer>', { boxes: [] })).reward).toBe(1);
    expect((await one(createVisionMatchReward(), '<answer>[1, 1, 5, 5]</answer>', { boxes: [] })).reward).toBe(0);
  });
});

describe('vision.detection', () => {
  const reference = { boxes: [{ bbox: [0, 0, 10, 10], label: 'cat' }] };

  test('COCO AP, AP50 and the odLength variant', async () => {
    const perfect = await one(createVisionDetectionReward(), '<answer>[{"bbox_2d": [0, 0, 10, 10], "label": "cat"}]</answer>', reference);
    expect(perfect).toMatchObject({ status: 'ok', reward: 1, components: { ap: 1, ap50: 1, ap75: 1 } });
    const half = '<answer>[{"bbox_2d": [0, 0, 10, 5], "label": "cat"}, {"bbox_2d": [40, 40, 50, 50], "label": "cat"}]</answer>';
    expect((await one(createVisionDetectionReward(), half, reference)).reward).toBeCloseTo(0.1, 15);
    expect((await one(createVisionDetectionReward({ metric: 'ap50' }), half, reference)).reward).toBe(1);
    const penalised = await one(createVisionDetectionReward({ metric: 'ap50', od_length: true }), half, reference);
    expect(penalised.reward).toBe(0.5);
    expect(penalised.components).toMatchObject({ length_penalty: 0.5, predicted: 2, reference: 1 });
  });

  test('scores rank the boxes unless useScores is false', async () => {
    const completion = '[{"bbox_2d": [40, 40, 50, 50], "label": "cat", "score": 0.9}, {"bbox_2d": [0, 0, 10, 10], "label": "cat", "score": 0.1}]';
    expect((await one(createVisionDetectionReward(), completion, reference)).reward).toBeCloseTo(0.5, 15);
    const reversed = completion.replace('0.9', '0.05');
    expect((await one(createVisionDetectionReward(), reversed, reference)).reward).toBe(1);
    expect((await one(createVisionDetectionReward({ use_scores: false }), reversed, reference)).reward).toBeCloseTo(0.5, 15);
  });

  test("VLM-R1's string solutions are read as references", async () => {
    const solution = '<answer>```json\n[{"bbox_2d": [0, 0, 10, 10], "label": "cat"}, {"bbox_2d": [20, 20, 30, 30], "label": "dog"}]\n```</answer>';
    const result = await one(createVisionDetectionReward(), '[{"bbox_2d": [0, 0, 10, 10], "label": "cat"}, {"bbox_2d": [20, 20, 30, 30], "label": "dog"}]', solution);
    expect(result).toMatchObject({ status: 'ok', reward: 1, components: { reference: 2 } });
    expect((await one(createVisionIouReward(), '<answer>[0, 0, 10, 5]</answer>', '<answer>[0, 0, 10, 10]</answer>')).reward).toBe(0.5);
  });

  test('an empty reference: 1 when nothing is predicted, else 0', async () => {
    expect((await one(createVisionDetectionReward(), '<answer>None</answer>', { boxes: [] })).reward).toBe(1);
    const hallucinated = await one(createVisionDetectionReward(), '<answer>[1, 1, 5, 5]</answer>', { boxes: [] });
    expect(hallucinated).toMatchObject({ reward: 0, components: { ap: null } });
  });
});

describe('vision.count', () => {
  test('counting written boxes, or the number stated', async () => {
    const count = createVisionCountReward();
    expect((await one(count, '<answer>[[0,0,1,1],[2,2,3,3],[4,4,5,5]]</answer>', { count: 3 })).reward).toBe(1);
    expect((await one(count, '<think>2 or 3?</think><answer>There are five apples.</answer>', 5)).reward).toBe(1);
    expect((await one(count, '<answer>1,024</answer>', '1024')).reward).toBe(1);
    expect((await one(count, '<answer>7</answer>', { boxes: [[0, 0, 1, 1], [2, 2, 3, 3]] })).components).toMatchObject({ predicted_count: 7, reference_count: 2, abs_error: 5 });
    expect((await one(count, '<answer>none visible</answer>', 2)).reward).toBe(0);
  });

  test('relative mode and tolerance', async () => {
    expect((await one(createVisionCountReward({ mode: 'relative' }), '<answer>4</answer>', 5)).reward).toBeCloseTo(0.8, 15);
    expect((await one(createVisionCountReward({ mode: 'relative' }), '<answer>12</answer>', 5)).reward).toBe(0);
    expect((await one(createVisionCountReward({ tolerance: 1 }), '<answer>4</answer>', 5)).reward).toBe(1);
  });
});

describe('frames end to end', () => {
  test('the same box written in pixels, 0-1, or 0-1000 tokens gets the same reward', async () => {
    const size = fc.record({ width: fc.integer({ min: 10, max: 4000 }), height: fc.integer({ min: 10, max: 4000 }) });
    const unit = fc.tuple(fc.double({ min: 0, max: 0.45, noNaN: true }), fc.double({ min: 0.05, max: 0.5, noNaN: true }));
    const giou = createVisionIouReward({ metric: 'giou' });
    const asNorm1 = createVisionIouReward({ metric: 'giou', frame: 'norm1' });
    await fc.assert(
      fc.asyncProperty(size, unit, unit, unit, unit, async ({ width, height }, [px, pw], [py, ph], [rx, rw], [ry, rh]) => {
        const predicted = [px * width, py * height, (px + pw) * width, (py + ph) * height];
        const reference = { boxes: [[rx * width, ry * height, (rx + rw) * width, (ry + rh) * height]], image_size: [width, height] };
        const pixel = await one(giou, `<answer>${JSON.stringify(predicted)}</answer>`, reference);
        const norm = await one(asNorm1, `<answer>[${[px, py, px + pw, py + ph].join(', ')}]</answer>`, reference);
        const grid = (value: number) => value * 1000;
        const tokens = await one(giou, `<|box_start|>(${grid(px)},${grid(py)}),(${grid(px + pw)},${grid(py + ph)})<|box_end|>`, reference);
        return (
          pixel.status === 'ok' &&
          Math.abs((pixel.reward as number) - (norm.reward as number)) < 1e-9 &&
          Math.abs((pixel.reward as number) - (tokens.reward as number)) < 1e-9
        );
      }),
    );
  });
});

describe('hostile and odd input', () => {
  test('a completion that is not a string is an error for that rollout only', async () => {
    const results = await score(createVisionIouReward(), { completion: 42 as unknown as string, reference: { boxes: [[0, 0, 1, 1]] } }, { completion: '[0, 0, 1, 1]', reference: { boxes: [[0, 0, 1, 1]] } });
    expect(results.map((result) => result.status)).toEqual(['error', 'ok']);
    expect(results[0]?.error?.code).toBe('INVALID_ROLLOUT');
  });

  test('thousands of predicted boxes are matched within bounds and all count', async () => {
    const many = JSON.stringify(Array.from({ length: 3000 }, (_, index) => [index % 100, 0, (index % 100) + 1, 1]));
    const result = await one(createVisionMatchReward(), many, { boxes: Array.from({ length: 200 }, (_, index) => [index, 0, index + 1, 1]) });
    expect(result.components).toMatchObject({ predicted: 3000, reference: 200, matched: 100 });
    expect(result.reward).toBeCloseTo(100 / 3000, 12);
  });

  test('counting points written as pairs', async () => {
    const result = await one(createVisionCountReward(), '<answer>cats at (10, 20), (30, 40) and (50, 60)</answer>', 3);
    expect(result.reward).toBe(1);
  });
});

describe('conventions stated in words, end to end (vision.iou)', () => {
  // The target: pixels [210, 150, 550, 360] of a 1000 x 500 image = norm1 [0.21, 0.30, 0.55, 0.72]
  // = grid1000 [210, 300, 550, 720] = xywh [210, 150, 340, 210] = cxcywh [380, 255, 340, 210].
  const reference = { boxes: [[210, 150, 550, 360]], image_size: [1000, 500] };
  const scorer = createVisionIouReward();

  test.each([
    ['Normalised box: [0.21, 0.30, 0.55, 0.72]', /read as norm1 as the completion states \("Normalised"\)/],
    ['<answer>[0.21, 0.30, 0.55, 0.72] (normalized)</answer>', /read as norm1/],
    ['Box [210, 300, 550, 720] (coordinates scaled to 1000)', /read as grid1000 as the completion states \("scaled to 1000"\)/],
    ['format xywh: top-left corner plus width and height: [210, 150, 340, 210]', /read as xywh/],
    ['Box as [x, y, width, height]: [210, 150, 340, 210]', /read as xywh as the completion states \("x, y, width, height"\)/],
    ['Center format (cx, cy, w, h): [380, 255, 340, 210]', /read as cxcywh/],
    ['Normalized coordinates:\n- dog: [0.21, 0.30, 0.55, 0.72]', /read as norm1/],
    ['### Normalised coordinates\n\n[0.21, 0.30, 0.55, 0.72]', /read as norm1/],
    ['Normalized xywh box: [0.21, 0.30, 0.34, 0.42]', /read as norm1 xywh/],
    ['Normalized corners: (0.21, 0.30), (0.55, 0.72)', /read as norm1/],
    ['Normalised, from top-left (0.21, 0.30) to bottom-right (0.55, 0.72)', /read as norm1/],
    ['<answer>Normalized coordinates:\n```json\n[{"bbox_2d": [0.21, 0.30, 0.55, 0.72], "label": "dog"}]\n```</answer>', /read as norm1/],
  ])('%s scores IoU 1 and says how it was read', async (completion, reason) => {
    const result = await one(scorer, completion, reference);
    expect(result.status).toBe('ok');
    expect(result.reward).toBeCloseTo(1, 12);
    expect(result.reason).toMatch(reason);
  });

  test('a stated frame overrides the option frame: pixels stated, option norm1', async () => {
    const result = await one(createVisionIouReward({ frame: 'norm1' }), 'In pixel coordinates the box is [210, 150, 550, 360]', { boxes: [[0.21, 0.3, 0.55, 0.72]], frame: 'norm1', image_size: [1000, 500] });
    expect(result.reward).toBeCloseTo(1, 12);
  });

  test('a stated layout overrides the option format: [x1, y1, x2, y2] stated, option xywh', async () => {
    const result = await one(createVisionIouReward({ format: 'xywh' }), '[x1, y1, x2, y2]: [210, 150, 550, 360]', reference);
    expect(result.reward).toBeCloseTo(1, 12);
    expect(result.reason).toMatch(/read as xyxy/);
  });

  test('stated_conventions: false reads the box in the reference frame, as before', async () => {
    const result = await one(createVisionIouReward({ stated_conventions: false }), 'Normalised box: [0.21, 0.30, 0.55, 0.72]', reference);
    expect(result.reward).toBeLessThan(0.001);
    expect(result.reason).not.toMatch(/as the completion states/);
  });

  test('a stated frame the numbers cannot be in is not followed, and the reason says so', async () => {
    const result = await one(scorer, 'Normalised box: [210, 150, 550, 360]', reference);
    expect(result.reward).toBeCloseTo(1, 12);
    expect(result.reason).toMatch(/the stated frame norm1 \("Normalised"\) does not fit the numbers written; read in the pixel frame/);
    const fractions = await one(createVisionIouReward({ frame: 'norm1' }), 'Pixel box: [0.21, 0.30, 0.55, 0.72]', reference);
    expect(fractions.reward).toBeCloseTo(1, 12);
    expect(fractions.reason).toMatch(/does not fit/);
  });

  test.each([
    ['two frames named at once', 'Normalized or pixel? [0.21, 0.30, 0.55, 0.72]'],
    ['a negated statement', 'These are not pixel values: [0.21, 0.30, 0.55, 0.72]'],
    ['a heading cut off by a paragraph', 'Normalized coordinates:\nI looked at the image.\n[0.21, 0.30, 0.55, 0.72]'],
    ['the statement in the think block only', '<think>normalized coordinates</think><answer>[0.21, 0.30, 0.55, 0.72]</answer>'],
  ])('not followed (%s): read in the reference frame', async (_name, completion) => {
    const result = await one(scorer, completion, reference);
    expect(result.reward).toBeLessThan(0.001);
    expect(result.reason).not.toMatch(/as the completion states/);
  });

  test.each(['In pixel coordinates: <|box_start|>(210,300),(550,720)<|box_end|>', 'In pixel coordinates: <box>(210,300),(550,720)</box>', 'Normalized: <ref>dog</ref><box>[[210, 300, 550, 720]]</box>'])(
    'box tokens and tags keep the token frame whatever the text says: %s',
    async (completion) => {
      const result = await one(scorer, completion, reference);
      expect(result.reward).toBeCloseTo(1, 12);
      expect(result.reason).not.toMatch(/as the completion states/);
    },
  );

  test('vision.point: a normalised point inside the box; vision.match: a heading over two boxes', async () => {
    const point = await one(createVisionPointReward(), 'Normalized point: (0.38, 0.51)', reference);
    expect(point.reward).toBe(1);
    const match = await one(
      createVisionMatchReward(),
      'Normalized coordinates:\n1. [0.21, 0.30, 0.55, 0.72]\n2. [0.0, 0.0, 0.1, 0.2]',
      { boxes: [[210, 150, 550, 360], [0, 0, 100, 100]], image_size: [1000, 500] },
    );
    expect(match.components).toMatchObject({ mean_iou: 1, matched: 2 });
    expect(match.reason).toMatch(/2 shape\(s\) read as norm1/);
  });
});

describe('more box syntaxes, end to end', () => {
  const reference = { boxes: [[40, 12, 96, 70]], image_size: [200, 100] };
  const scorer = createVisionIouReward();

  test.each([
    'The dog spans from top-left (40, 12) to bottom-right (96, 70).',
    'top-right (96, 12) and bottom-left (40, 70)',
    '{"x": 40, "y": 12, "width": 56, "height": 58}',
    '{"x": 40, "y": 12, "w": 56, "h": 58}',
    '{"xmin": 40, "ymin": 12, "xmax": 96, "ymax": 70}',
    '{"left": 40, "top": 12, "right": 96, "bottom": 70}',
    '[{"label": "dog", "bbox": {"cx": 68, "cy": 41, "w": 56, "h": 58}}]',
    '<answer>{"top_left": [40, 12], "bottom_right": [96, 70]}</answer>',
  ])('%s: IoU 1 whatever the option format says', async (completion) => {
    expect((await one(scorer, completion, reference)).reward).toBeCloseTo(1, 12);
    expect((await one(createVisionIouReward({ format: 'cxcywh' }), completion, reference)).reward).toBeCloseTo(1, 12);
  });

  test('a keyed normalised box: keys give the layout, the words the frame', async () => {
    expect((await one(scorer, 'Normalized: {"x": 0.2, "y": 0.12, "width": 0.28, "height": 0.58}', reference)).reward).toBeCloseTo(1, 12);
  });

  test('inverted corners are a rejected box (the metric floor, with the reason)', async () => {
    const result = await one(scorer, 'top-left (96, 70) to bottom-right (40, 12)', reference);
    expect(result.reward).toBe(0);
    expect(result.reason).toMatch(/rejected/);
  });

  test('vision.detection reads labelled keyed objects per category', async () => {
    const result = await one(
      createVisionDetectionReward(),
      '[{"label": "dog", "xmin": 40, "ymin": 12, "xmax": 96, "ymax": 70}, {"label": "cat", "x": 0, "y": 0, "w": 10, "h": 10}]',
      { boxes: [{ bbox: [40, 12, 96, 70], label: 'dog' }, { bbox: [0, 0, 10, 10], label: 'cat' }], image_size: [200, 100] },
    );
    expect(result.reward).toBeCloseTo(1, 12);
  });

  test('rollout image paths resolve against the context mediaDir, not baseDir', async () => {
    const reward = createVisionIouReward({ frame: 'norm1' }, { baseDir: '/nonexistent-config-folder', mediaDir: folder });
    const result = await one(reward, '<answer>[0, 0, 0.5, 0.5]</answer>', { boxes: [[0, 0, 100, 50]] }, { media: { images: ['wide.png'] } });
    expect(result).toMatchObject({ status: 'ok', reward: 1 });
    const rooted = createVisionIouReward({ frame: 'norm1', image_root: folder }, { baseDir: '/nonexistent-config-folder', mediaDir: '/elsewhere' });
    expect((await one(rooted, '<answer>[0, 0, 0.5, 0.5]</answer>', { boxes: [[0, 0, 100, 50]] }, { media: { images: ['wide.png'] } })).reward).toBe(1);
  });

  test('a rollout without a reference is skipped with a reason naming rollout.reference', async () => {
    const result = await one(scorer, '[0, 0, 1, 1]', undefined);
    expect(result).toMatchObject({ status: 'skipped', reward: null });
    expect(result.reason).toMatch(/no reference: vision\.iou needs rollout\.reference/);
  });
});

describe('normalised predictions against a pixel reference with no image size', () => {
  // Qwen-VL box tokens are on the 0-1000 grid; the reference is in pixels and nobody gave the image
  // size, so no comparison is possible. That is a gap in one row of data: skipped (reward null, kept
  // out of the mix), not an error that fails a training step, and never a guessed 0.
  const tokens = '<|object_ref_start|>car<|object_ref_end|><|box_start|>(100,200),(500,600)<|box_end|>';
  const pixelReference = { boxes: [[10, 20, 50, 60]] };
  const expectedReason = (reward: string) =>
    `${reward} needs reference.image_size (or the image in rollout.media.images[0]) to compare 0-1000 (grid1000) coordinates with a pixel reference; ` +
    'if the model writes the reference\'s frame, set the reward option "frame" (or "token_frame" for box and point tokens) to "pixel"';

  test('every box reward skips the rollout with a reason naming the missing field', async () => {
    const results = await Promise.all([
      one(createVisionIouReward(), tokens, pixelReference),
      one(createVisionMatchReward(), tokens, pixelReference),
      one(createVisionDetectionReward(), tokens, pixelReference),
      one(createVisionPointReward(), tokens, pixelReference),
    ]);
    expect(results).toEqual([
      { reward: null, status: 'skipped', reason: expectedReason('vision.iou') },
      { reward: null, status: 'skipped', reason: expectedReason('vision.match') },
      { reward: null, status: 'skipped', reason: expectedReason('vision.detection') },
      { reward: null, status: 'skipped', reason: expectedReason('vision.point') },
    ]);
  });

  test('0-1 JSON boxes read in the norm1 frame are skipped the same way', async () => {
    const result = await one(createVisionIouReward({ frame: 'norm1' }), '<answer>[0.1, 0.2, 0.5, 0.6]</answer>', pixelReference);
    expect(result).toMatchObject({ status: 'skipped', reward: null });
    expect(result.reason).toContain('to compare 0-1 (norm1) coordinates with a pixel reference');
  });

  test('the same rollouts score once the size is known, from the reference or from the image', async () => {
    // (100,200),(500,600) on the 0-1000 grid of a 100x100 image is [10, 20, 50, 60]: IoU 1
    expect(await one(createVisionIouReward(), tokens, { ...pixelReference, image_size: [100, 100] })).toMatchObject({ status: 'ok', reward: 1 });
    // wide.png is 200x100: [20, 20, 100, 60] against [10, 20, 50, 60] overlaps [20, 20, 50, 60] = 1200 of 3200 + 1600 - 1200 = 3600
    const fromImage = await one(createVisionIouReward({}, { baseDir: folder }), tokens, pixelReference, { media: { images: ['wide.png'] } });
    expect(fromImage.status).toBe('ok');
    expect(fromImage.reward).toBeCloseTo(1200 / 3600, 12);
  });

  test('a resized frame with no way to know the resized size stays an INVALID_REFERENCE error (a configuration fault)', async () => {
    const result = await one(createVisionIouReward({ frame: 'resized' }), '<answer>[0, 0, 322, 238]</answer>', { boxes: [[0, 0, 320, 240]], image_size: [640, 480] });
    expect(result).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
  });
});
