import fc from 'fast-check';
import { applyActivation, bmasSimilarity, cosineSimilarity, normalizeVector } from './index.js';

const vector = (length: number) => fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: length, maxLength: length });
const tokens = fc.array(vector(4), { minLength: 1, maxLength: 6 });

test('cosine: worked example, range, symmetry, zero vectors', () => {
  expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 12);
  expect(cosineSimilarity([1, 2, 3], [-1, -2, -3])).toBeCloseTo(-1, 12);
  expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  fc.assert(
    fc.property(vector(5), vector(5), (a, b) => {
      const value = cosineSimilarity(a, b);
      expect(value).toBeGreaterThanOrEqual(-1);
      expect(value).toBeLessThanOrEqual(1);
      expect(value).toBeCloseTo(cosineSimilarity(b, a), 10);
    }),
  );
});

test('bmas: worked example by hand', () => {
  // candidate tokens x=(1,0), y=(0,1); reference tokens x=(1,0), d=(1,1)/√2.
  // precision: x->x 1, y->d √½ => (1 + √½)/2; recall: x->x 1, d->max(√½, √½) = √½ => (1 + √½)/2.
  const result = bmasSimilarity([[1, 0], [0, 1]], [[1, 0], [1, 1]]);
  expect(result.precision).toBeCloseTo((1 + Math.SQRT1_2) / 2, 12);
  expect(result.recall).toBeCloseTo((1 + Math.SQRT1_2) / 2, 12);
  expect(result.score).toBeCloseTo((1 + Math.SQRT1_2) / 2, 12);
  // one-to-many: candidate x only; reference x, y: P = 1, R = (1 + 0) / 2, mean 0.75, f1 = 2 * 0.5 / 1.5.
  expect(bmasSimilarity([[1, 0]], [[1, 0], [0, 1]]).score).toBeCloseTo(0.75, 12);
  expect(bmasSimilarity([[1, 0]], [[1, 0], [0, 1]], 'f1').score).toBeCloseTo(2 / 3, 12);
  expect(bmasSimilarity([], [[1, 0]])).toEqual({ precision: 0, recall: 0, score: 0 });
});

test('bmas properties: swapping sides swaps precision and recall; a text matches itself with 1', () => {
  fc.assert(
    fc.property(tokens, tokens, (a, b) => {
      const forward = bmasSimilarity(a, b);
      const backward = bmasSimilarity(b, a);
      expect(forward.precision).toBeCloseTo(backward.recall, 10);
      expect(forward.score).toBeCloseTo(backward.score, 10);
      expect(forward.score).toBeLessThanOrEqual(1 + 1e-12);
      expect(forward.score).toBeGreaterThanOrEqual(-1 - 1e-12);
    }),
  );
  fc.assert(
    fc.property(tokens, (a) => {
      const nonZero = a.filter((row) => row.reduce((sum, value) => sum + value * value, 0) > 1e-12);
      fc.pre(nonZero.length > 0);
      expect(bmasSimilarity(nonZero, nonZero).score).toBeCloseTo(1, 10);
    }),
  );
});

test('activations and normalisation', () => {
  expect(applyActivation([0, Math.log(3)], 'softmax')).toEqual([0.25, 0.75].map((value) => expect.closeTo(value, 12)));
  expect(applyActivation([0], 'sigmoid')).toEqual([0.5]);
  expect(applyActivation([-2, 5], 'none')).toEqual([-2, 5]);
  expect(Array.from(normalizeVector(Float32Array.from([3, 4])))).toEqual([0.6000000238418579, 0.800000011920929]);
  expect(Array.from(normalizeVector(new Float32Array(2)))).toEqual([0, 0]);
});
