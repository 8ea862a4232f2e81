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
