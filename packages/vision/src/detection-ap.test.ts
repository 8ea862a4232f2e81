import { readFileSync } from 'node:fs';
import { cocoAveragePrecision, cocoIouThresholds, cocoRecallThresholds, type Detection, type GroundTruthBox } from './detection-ap.js';

interface FixtureCase {
  name: string;
  truths: Array<{ box: [number, number, number, number]; label: string }>;
  detections: Array<{ box: [number, number, number, number]; label: string; score: number }>;
  expected: { ap: number; ap50: number; ap75: number };
}

const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/coco-ap.json', import.meta.url), 'utf8')) as { cases: FixtureCase[] };

describe('COCO AP per image, cases computed by hand', () => {
  test('thresholds are numpy linspace values', () => {
    expect(cocoIouThresholds).toHaveLength(10);
    expect(cocoIouThresholds[0]).toBe(0.5);
    expect(cocoIouThresholds[5]).toBe(0.75);
    expect(cocoIouThresholds[8]).toBe(0.8999999999999999); // as np.linspace(.5, .95, 10)[8]
    expect(cocoRecallThresholds).toHaveLength(101);
    expect(cocoRecallThresholds[50]).toBe(0.5);
  });

  test('a perfect detection is AP 1', () => {
    expect(cocoAveragePrecision([{ box: [0, 0, 10, 10] }], [{ box: [0, 0, 10, 10] }])).toMatchObject({ ap: 1, ap50: 1, ap75: 1 });
  });

  test('IoU exactly 0.5 matches at .50 only: AP = 1/10', () => {
    // [0,0,10,5] vs [0,0,10,10]: 50 / 100
    const result = cocoAveragePrecision([{ box: [0, 0, 10, 5] }], [{ box: [0, 0, 10, 10] }]);
    expect(result.ap50).toBe(1);
    expect(result.ap75).toBe(0);
    expect(result.ap).toBeCloseTo(0.1, 15);
  });

  test('a higher-scored false positive before the true positive: precision envelope 0.5 up to recall 0.5', () => {
    // sorted: FP (0.9), TP (0.8); 2 ground truths. recall [0, .5], precision [0, .5] -> envelope [.5, .5];
    // recall thresholds 0, .01, ..., .50 (51 of 101) read .5, the rest 0: AP = 0.5 * 51 / 101
    const detections: Detection[] = [
      { box: [50, 50, 60, 60], score: 0.9 },
      { box: [0, 0, 10, 10], score: 0.8 },
    ];
    const truths: GroundTruthBox[] = [{ box: [0, 0, 10, 10] }, { box: [20, 20, 30, 30] }];
    const result = cocoAveragePrecision(detections, truths);
    expect(result.ap).toBeCloseTo(25.5 / 101, 15);
    expect(result.ap50).toBeCloseTo(25.5 / 101, 15);
    // the same boxes with the scores swapped: the TP first gives precision 1 up to recall .5
    const swapped = cocoAveragePrecision(
      detections.map((detection, index) => ({ ...detection, score: index === 0 ? 0.1 : 0.8 })),
      truths,
    );
    expect(swapped.ap).toBeCloseTo(51 / 101, 15);
  });

  test('equal scores keep the written order (stable sort, as mergesort)', () => {
    const truths: GroundTruthBox[] = [{ box: [0, 0, 10, 10] }];
    expect(cocoAveragePrecision([{ box: [0, 0, 10, 10] }, { box: [50, 50, 60, 60] }], truths).ap).toBe(1);
    // FP first then TP: precision at recall 1 is 1/2 for every recall threshold
    expect(cocoAveragePrecision([{ box: [50, 50, 60, 60] }, { box: [0, 0, 10, 10] }], truths).ap).toBeCloseTo(0.5, 15);
  });

  test('no detections with ground truth is 0; no ground truth is null (pycocotools -1)', () => {
    expect(cocoAveragePrecision([], [{ box: [0, 0, 1, 1] }])).toMatchObject({ ap: 0, ap50: 0, ap75: 0 });
    expect(cocoAveragePrecision([{ box: [0, 0, 1, 1] }], [])).toMatchObject({ ap: null, ap50: null, ap75: null, categories: 0 });
  });

  test('categories: labels outside the ground truth are ignored; a category without detections scores 0', () => {
    const truths: GroundTruthBox[] = [
      { box: [0, 0, 10, 10], label: 'cat' },
      { box: [20, 20, 30, 30], label: 'dog' },
    ];
    const result = cocoAveragePrecision(
      [
        { box: [0, 0, 10, 10], label: 'Cat' },
        { box: [40, 40, 50, 50], label: 'bird' },
      ],
      truths,
    );
    expect(result).toMatchObject({ ap: 0.5, categories: 2, evaluatedDetections: 1 });
    expect(cocoAveragePrecision([{ box: [20, 20, 30, 30], label: 'cat' }], truths, { labelAware: false }).ap).toBeCloseTo(51 / 101, 15);
  });

  test('a rejected detection is a false positive', () => {
    const result = cocoAveragePrecision([{ box: [0, 0, 10, 10], problem: 'inverted', score: 1 }, { box: [0, 0, 10, 10], score: 0.5 }], [{ box: [0, 0, 10, 10] }]);
    expect(result.ap).toBeCloseTo(0.5, 15);
  });
});

describe('COCO AP per image against pycocotools', () => {
  test.each(fixture.cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const result = cocoAveragePrecision(entry.detections, entry.truths);
    expect(result.ap).toBeCloseTo(entry.expected.ap, 12);
    expect(result.ap50).toBeCloseTo(entry.expected.ap50, 12);
    expect(result.ap75).toBeCloseTo(entry.expected.ap75, 12);
  });
});

interface MultiCategoryCase {
  name: string;
  truths: Array<{ box: [number, number, number, number]; label: string }>;
  detections: Array<{ box: [number, number, number, number]; label: string; score: number }>;
  expected: { ap: number; ap50: number; ap75: number; per_category: Record<string, number> };
}

const multiCategory = JSON.parse(readFileSync(new URL('./__fixtures__/coco-ap-multicategory.json', import.meta.url), 'utf8')) as { cases: MultiCategoryCase[] };

describe('COCO AP with several categories: the mean of per-category APs, as pycocotools', () => {
  test('two categories, one found and one missed: (1 + 0) / 2, not the pooled curve', () => {
    // pooled: dog FP (0.95) then cat TP (0.9) against 2 truths would read precision 1/2 up to
    // recall 1/2: 25.5 / 101. Per category: cat 1, dog 0 -> 0.5.
    const result = cocoAveragePrecision(
      [
        { box: [0, 0, 10, 10], label: 'cat', score: 0.9 },
        { box: [60, 60, 70, 70], label: 'dog', score: 0.95 },
      ],
      [
        { box: [0, 0, 10, 10], label: 'cat' },
        { box: [20, 20, 30, 30], label: 'dog' },
      ],
    );
    expect(result.ap).toBeCloseTo(0.5, 15);
    expect(result.perCategory).toEqual({ cat: 1, dog: 0 });
    expect(result.categories).toBe(2);
  });

  test('a category with ground truth and no detection counts 0; one with detections and no ground truth is left out', () => {
    const truths: GroundTruthBox[] = [
      { box: [0, 0, 10, 10], label: 'cat' },
      { box: [20, 20, 30, 30], label: 'dog' },
      { box: [40, 40, 50, 50], label: 'bird' },
    ];
    const result = cocoAveragePrecision(
      [
        { box: [0, 0, 10, 10], label: 'cat' },
        { box: [20, 20, 30, 30], label: 'dog' },
        { box: [90, 90, 99, 99], label: 'horse', score: 1 },
      ],
      truths,
    );
    expect(result.ap).toBeCloseTo(2 / 3, 15);
    expect(Object.keys(result.perCategory).sort()).toEqual(['bird', 'cat', 'dog']);
    expect(result.evaluatedDetections).toBe(2);
  });

  test('a false positive of one category does not lower another category', () => {
    // cat: FP (0.99) then TP (0.5): precision 1/2 at recall 1 -> 0.5; dog: TP -> 1. Mean 0.75.
    const result = cocoAveragePrecision(
      [
        { box: [80, 80, 90, 90], label: 'cat', score: 0.99 },
        { box: [0, 0, 10, 10], label: 'cat', score: 0.5 },
        { box: [20, 20, 30, 30], label: 'dog', score: 0.4 },
      ],
      [
        { box: [0, 0, 10, 10], label: 'cat' },
        { box: [20, 20, 30, 30], label: 'dog' },
      ],
    );
    expect(result.perCategory.cat).toBeCloseTo(0.5, 15);
    expect(result.perCategory.dog).toBe(1);
    expect(result.ap).toBeCloseTo(0.75, 15);
  });

  test('every fixture image has several categories', () => {
    expect(multiCategory.cases.length).toBeGreaterThanOrEqual(40);
    expect(multiCategory.cases.every((entry) => new Set(entry.truths.map((truth) => truth.label)).size + new Set(entry.detections.map((d) => d.label)).size >= 2)).toBe(true);
  });

  test.each(multiCategory.cases.map((entry) => [entry.name, entry] as const))('pycocotools: %s', (_name, entry) => {
    const result = cocoAveragePrecision(entry.detections, entry.truths);
    expect(result.ap).toBeCloseTo(entry.expected.ap, 12);
    expect(result.ap50).toBeCloseTo(entry.expected.ap50, 12);
    expect(result.ap75).toBeCloseTo(entry.expected.ap75, 12);
    const evaluated = Object.entries(entry.expected.per_category).filter(([, value]) => value > -1);
    expect(Object.keys(result.perCategory).sort()).toEqual(evaluated.map(([label]) => label).sort());
    for (const [label, value] of evaluated) expect(result.perCategory[label]).toBeCloseTo(value, 12);
  });
});
