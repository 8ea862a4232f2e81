/** Scale a vector to unit length; a zero vector is returned unchanged (a copy). */
export function normalizeVector(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum);
  return length === 0 ? vector.slice() : vector.map((value) => value / length);
}

/**
 * Cosine similarity of two vectors of the same length.
 * @returns a value in [-1, 1]; 0 when either vector is all zeros
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length (${a.length} vs ${b.length})`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    const x = a[index] as number;
    const y = b[index] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB)));
}

/**
 * Apply an output activation to one row of logits.
 * @returns sigmoid: each in (0, 1); softmax: non-negative, summing to 1; none: the input
 */
export function applyActivation(row: readonly number[], activation: 'none' | 'sigmoid' | 'softmax'): number[] {
  if (activation === 'sigmoid') return row.map((value) => 1 / (1 + Math.exp(-value)));
  if (activation === 'softmax') {
    const top = Math.max(...row);
    const exps = row.map((value) => Math.exp(value - top));
    const total = exps.reduce((sum, value) => sum + value, 0);
    return exps.map((value) => value / total);
  }
  return [...row];
}

const conversion = new DataView(new ArrayBuffer(4));

/**
 * Convert IEEE half-precision bit patterns (as ONNX Runtime returns float16 tensors in Node, a
 * Uint16Array) to float32 values. Subnormals, infinities and NaN are kept.
 */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let index = 0; index < bits.length; index++) {
    const half = bits[index] as number;
    const sign = half & 0x8000 ? -1 : 1;
    const exponent = (half >> 10) & 0x1f;
    const fraction = half & 0x3ff;
    if (exponent === 0) out[index] = sign * fraction * 2 ** -24;
    else if (exponent === 0x1f) out[index] = fraction === 0 ? sign * Infinity : NaN;
    else out[index] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

/**
 * Convert float32 values to IEEE half-precision bit patterns (round to nearest even), for models
 * whose inputs are float16. Values past 65504 become infinity; tiny values become subnormals or 0.
 */
export function float32ToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let index = 0; index < values.length; index++) {
    conversion.setFloat32(0, values[index] as number);
    const bits = conversion.getUint32(0);
    const sign = (bits >>> 16) & 0x8000;
    const exponent = (bits >>> 23) & 0xff;
    let mantissa = bits & 0x7fffff;
    if (exponent === 0xff) {
      out[index] = sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
      continue;
    }
    const halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      out[index] = sign | 0x7c00;
      continue;
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        out[index] = sign;
        continue;
      }
      mantissa |= 0x800000;
      const shift = 14 - halfExponent;
      let half = mantissa >> shift;
      const remainder = mantissa & ((1 << shift) - 1);
      const halfway = 1 << (shift - 1);
      if (remainder > halfway || (remainder === halfway && (half & 1) === 1)) half += 1;
      out[index] = sign | half;
      continue;
    }
    let half = (halfExponent << 10) | (mantissa >> 13);
    const remainder = mantissa & 0x1fff;
    if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half += 1;
    out[index] = sign | half;
  }
  return out;
}
