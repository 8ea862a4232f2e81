import fc from 'fast-check';

import type { Box } from './geometry.js';
import { ciou, diou, giou, iou, iouKernel, pairwiseIou } from './iou.js';
import { convertBox } from './frame.js';

fc.configureGlobal({ seed: 20261122, numRuns: 300 });

const A: Box = [0, 0, 2, 2];

describe('IoU family, values computed by hand', () => {
  test('overlapping squares [0,0,2,2] and [1,1,3,3]', () => {
    const b: Box = [1, 1, 3, 3];
    // intersection 1, union 4 + 4 - 1 = 7
    expect(iou(A, b)).toBeCloseTo(1 / 7, 15);
    // enclosing [0,0,3,3] = 9: 1/7 - (9 - 7)/9 = -5/63
    expect(giou(A, b)).toBeCloseTo(-5 / 63, 15);
    // centres (1,1), (2,2): rho^2 = 2; enclosing diagonal^2 = 18: 1/7 - 1/9 = 2/63
    expect(diou(A, b)).toBeCloseTo(2 / 63, 15);
    // same aspect ratio: v = 0, CIoU = DIoU
    expect(ciou(A, b)).toBeCloseTo(2 / 63, 15);
  });

  test('nested boxes of different aspect [0,0,2,2] in [0,0,4,2]', () => {
    const b: Box = [0, 0, 4, 2];
    expect(iou(A, b)).toBe(0.5);
    expect(giou(A, b)).toBe(0.5); // the enclosing box is the union
    expect(diou(A, b)).toBeCloseTo(0.5 - 1 / 20, 15); // rho^2 = 1, c^2 = 16 + 4
    // v = 4/pi^2 (atan 2 - atan 1)^2 = 0.04195646149429056, alpha = v / (0.5 + v) = 0.0774166643914671
    expect(ciou(A, b)).toBeCloseTo(0.446751870701443, 13);
  });

  test('disjoint boxes [0,0,2,2] and [3,0,5,4]', () => {
    const b: Box = [3, 0, 5, 4];
    expect(iou(A, b)).toBe(0);
    expect(giou(A, b)).toBeCloseTo(-0.4, 15); // enclosing 20, union 12
    expect(diou(A, b)).toBeCloseTo(-10 / 41, 15); // rho^2 = 9 + 1, c^2 = 25 + 16
    expect(ciou(A, b)).toBeCloseTo(-0.24559189988592886, 13);
  });

  test('touching edges give IoU 0 and GIoU 0', () => {
    expect(iou(A, [2, 0, 4, 2])).toBe(0);
    expect(giou(A, [2, 0, 4, 2])).toBe(0);
  });

  test('invalid boxes give the floor, never NaN', () => {
    for (const bad of [[2, 0, 0, 2], [0, 0, 0, 2], [Number.NaN, 0, 1, 1], [0, 0, Number.POSITIVE_INFINITY, 1]] as Box[]) {
      expect(iou(A, bad)).toBe(0);
      expect(iou(bad, A)).toBe(0);
      expect(giou(A, bad)).toBe(-1);
      expect(diou(bad, A)).toBe(-1);
      expect(ciou(A, bad)).toBe(-1);
    }
    expect(iouKernel(0, 0, Number.NaN, 1, 0, 0, 1, 1)).toBe(0);
  });

  test('pairwise matrix is row-major', () => {
    const matrix = pairwiseIou([A, [1, 1, 3, 3]], [A, [0, 0, 4, 2], [10, 10, 11, 11]]);
    expect(Array.from(matrix)).toEqual([1, 0.5, 0, iou([1, 1, 3, 3], A), iou([1, 1, 3, 3], [0, 0, 4, 2]), 0]);
  });
});

const coordinate = fc.double({ min: -1000, max: 1000, noNaN: true });
const validBox = fc
  .tuple(coordinate, coordinate, fc.double({ min: 0.001, max: 500, noNaN: true }), fc.double({ min: 0.001, max: 500, noNaN: true }))
  .map(([x, y, w, h]): Box => [x, y, x + w, y + h])
  .filter((box) => box[2] > box[0] && box[3] > box[1]);
const anyBox = fc.tuple(fc.double(), fc.double(), fc.double(), fc.double()).map((values): Box => values);

describe('IoU family properties', () => {
  test('IoU is symmetric and in [0, 1] for any numbers, 1 for identical valid boxes', () => {
    fc.assert(
      fc.property(anyBox, anyBox, (a, b) => {
        const value = iou(a, b);
        return value >= 0 && value <= 1 && value === iou(b, a);
      }),
    );
    fc.assert(fc.property(validBox, (box) => iou(box, box) === 1));
  });

  test('GIoU, DIoU, CIoU are in [-1, 1], symmetric, 1 for identical boxes, and never above IoU', () => {
    fc.assert(
      fc.property(validBox, validBox, (a, b) => {
        const plain = iou(a, b);
        for (const metric of [giou, diou, ciou]) {
          const value = metric(a, b);
          if (!(value >= -1 && value <= 1 && value <= plain + 1e-12)) return false;
          if (Math.abs(value - metric(b, a)) > 1e-12) return false;
        }
        return giou(a, a) === 1 && diou(a, a) === 1 && ciou(a, a) === 1;
      }),
    );
  });

  test('IoU and GIoU are invariant under frame conversion (pixel -> norm1 -> grid1000 -> pixel)', () => {
    const size = fc.record({ width: fc.integer({ min: 1, max: 8000 }), height: fc.integer({ min: 1, max: 8000 }) });
    fc.assert(
      fc.property(validBox, validBox, size, (a, b, imageSize) => {
        const sizes = { imageSize };
        const toNorm = (box: Box): Box => convertBox(box, 'pixel', 'norm1', sizes);
        const roundTrip = (box: Box): Box => convertBox(convertBox(toNorm(box), 'norm1', 'grid1000', sizes), 'grid1000', 'pixel', sizes);
        const scale = Math.max(1, ...a.map(Math.abs), ...b.map(Math.abs));
        const closeBox = (x: Box, y: Box): boolean => x.every((value, index) => Math.abs(value - (y[index] as number)) <= 1e-9 * scale);
        return (
          Math.abs(iou(toNorm(a), toNorm(b)) - iou(a, b)) < 1e-9 &&
          Math.abs(giou(toNorm(a), toNorm(b)) - giou(a, b)) < 1e-9 &&
          closeBox(roundTrip(a), a) &&
          closeBox(roundTrip(b), b)
        );
      }),
    );
  });
});
