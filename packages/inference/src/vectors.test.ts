import fc from 'fast-check';
import { float16ToFloat32, float32ToFloat16 } from './vectors.js';

test('float16 bit patterns: known values both ways', () => {
  const cases: [number, number][] = [
    [0, 0x0000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
  ];
  for (const [value, bits] of cases) {
    expect(float32ToFloat16(Float32Array.of(value))[0]).toBe(bits);
    expect(float16ToFloat32(Uint16Array.of(bits))[0]).toBe(value);
  }
  expect(float32ToFloat16(Float32Array.of(65520))[0]).toBe(0x7c00); // rounds past the largest half
  expect(float32ToFloat16(Float32Array.of(1 + 2 ** -11))[0]).toBe(0x3c00); // tie rounds to even
  expect(float32ToFloat16(Float32Array.of(1 + 3 * 2 ** -11))[0]).toBe(0x3c02);
  expect(Number.isNaN(float16ToFloat32(float32ToFloat16(Float32Array.of(NaN)))[0])).toBe(true);
});

test('property: float32 -> float16 -> float32 is within half an ulp of float16', () => {
  fc.assert(
    fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (value) => {
      const back = float16ToFloat32(float32ToFloat16(Float32Array.of(value)))[0] as number;
      const magnitude = Math.abs(value);
      const ulp = magnitude < 2 ** -14 ? 2 ** -24 : 2 ** (Math.floor(Math.log2(magnitude)) - 10);
      expect(Math.abs(back - Math.fround(value))).toBeLessThanOrEqual(ulp / 2 + 1e-12);
    }),
  );
});
