import fc from 'fast-check';
import { convertBox, convertPoint, frameScale, qwenSmartResize } from './frame.js';
import { boxProblem, clipBox, fromXyxy, pointInBox, toXyxy, type Box } from './geometry.js';

fc.configureGlobal({ seed: 20261122, numRuns: 300 });

describe('frames', () => {
  const sizes = { imageSize: { width: 640, height: 480 }, resizedSize: { width: 644, height: 476 } };

  test('grid1000 and norm1 convert without an image size', () => {
    expect(convertBox([100, 200, 500, 1000], 'grid1000', 'norm1', {})).toEqual([0.1, 0.2, 0.5, 1]);
    expect(frameScale('norm1', 'grid1000', {})).toEqual([1000, 1000]);
  });

  test('pixel conversions need the image size', () => {
    expect(frameScale('grid1000', 'pixel', {})).toBeUndefined();
    expect(() => convertBox([0, 0, 1, 1], 'norm1', 'pixel', {})).toThrow(/image size/);
    expect(convertBox([0.5, 0.25, 1, 1], 'norm1', 'pixel', sizes)).toEqual([320, 120, 640, 480]);
    expect(convertBox([500, 500, 1000, 1000], 'grid1000', 'pixel', sizes)).toEqual([320, 240, 640, 480]);
  });

  test('resized model-input pixels rescale to the original image', () => {
    // 644 x 476 is what Qwen2.5-VL saw of a 640 x 480 image
    expect(convertPoint([322, 238], 'resized', 'pixel', sizes)).toEqual([320, 240]);
    expect(convertBox([0, 0, 644, 476], 'resized', 'pixel', sizes)).toEqual([0, 0, 640, 480]);
  });

  test('Qwen smart_resize, values from the Python reference implementation', () => {
    expect(qwenSmartResize({ width: 640, height: 480 })).toEqual({ width: 644, height: 476 });
    // 70 / 28 = 2.5 rounds to 2 and 98 / 28 = 3.5 rounds to 4 (halves to even, as Python's round)
    expect(qwenSmartResize({ width: 98, height: 70 })).toEqual({ width: 112, height: 56 });
    expect(qwenSmartResize({ width: 30, height: 20 })).toEqual({ width: 84, height: 56 });
    expect(qwenSmartResize({ width: 6000, height: 8000 })).toEqual({ width: 3080, height: 4116 });
    expect(qwenSmartResize({ width: 1920, height: 1080 }, { maxPixels: 1003520 })).toEqual({ width: 1316, height: 728 });
  });

  test('round trips through every frame give the box back', () => {
    const size = fc.record({ width: fc.integer({ min: 1, max: 5000 }), height: fc.integer({ min: 1, max: 5000 }) });
    const box = fc.tuple(fc.double({ min: 0, max: 5000, noNaN: true }), fc.double({ min: 0, max: 5000, noNaN: true }), fc.double({ min: 0, max: 5000, noNaN: true }), fc.double({ min: 0, max: 5000, noNaN: true }));
    fc.assert(
      fc.property(box, size, size, (values, imageSize, resizedSize) => {
        const all = { imageSize, resizedSize };
        let current: Box = values;
        for (const [from, to] of [['pixel', 'resized'], ['resized', 'grid1000'], ['grid1000', 'norm1'], ['norm1', 'pixel']] as const) {
          current = convertBox(current, from, to, all);
        }
        return current.every((value, index) => Math.abs(value - (values[index] as number)) <= 1e-9 * Math.max(1, values[index] as number));
      }),
    );
  });
});

describe('box formats and the degenerate-box rule', () => {
  test('xywh and cxcywh convert to corners and back', () => {
    expect(toXyxy([10, 20, 30, 40], 'xywh')).toEqual([10, 20, 40, 60]);
    expect(toXyxy([25, 40, 30, 40], 'cxcywh')).toEqual([10, 20, 40, 60]);
    expect(fromXyxy([10, 20, 40, 60], 'xywh')).toEqual([10, 20, 30, 40]);
    expect(fromXyxy([10, 20, 40, 60], 'cxcywh')).toEqual([25, 40, 30, 40]);
    fc.assert(
      fc.property(fc.tuple(fc.integer(), fc.integer(), fc.integer(), fc.integer()), fc.constantFrom('xyxy', 'xywh', 'cxcywh' as const), (box, format) => {
        const back = toXyxy(fromXyxy(box, format), format);
        return back.every((value, index) => Math.abs(value - (box[index] as number)) <= 1e-6 * Math.max(1, Math.abs(box[index] as number)));
      }),
    );
  });

  test('inverted, zero-area and non-finite boxes are rejected with a reason', () => {
    expect(boxProblem([0, 0, 10, 10])).toBeUndefined();
    expect(boxProblem([10, 0, 0, 10])).toMatch(/inverted/);
    expect(boxProblem([0, 5, 10, 5])).toMatch(/zero area/);
    expect(boxProblem([0, Number.NaN, 10, 10])).toMatch(/finite/);
  });

  test('clipping to the image; a box fully outside becomes zero-area and is rejected', () => {
    expect(clipBox([-10, -5, 50, 700], 640, 480)).toEqual([0, 0, 50, 480]);
    const outside = clipBox([700, 10, 800, 20], 640, 480);
    expect(outside).toEqual([640, 10, 640, 20]);
    expect(boxProblem(outside)).toMatch(/zero area/);
  });

  test('point in box includes the border', () => {
    expect(pointInBox([10, 10], [10, 10, 20, 20])).toBe(true);
    expect(pointInBox([20.0001, 15], [10, 10, 20, 20])).toBe(false);
  });
});
