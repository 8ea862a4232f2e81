import { cosineSimilarity } from './vectors.js';

/** The parts of a BMAS score. */
export interface BmasScore {
  /** Mean over candidate tokens of their best cosine match among reference tokens, in [-1, 1]. */
  precision: number;
  /** Mean over reference tokens of their best cosine match among candidate tokens, in [-1, 1]. */
  recall: number;
  /** `precision` and `recall` combined: their mean, or (with `f1`) 2PR / (P + R) when both are > 0, else 0; in [-1, 1]. */
  score: number;
}

/**
 * Bidirectional Max-Average Similarity (Mixed-R1's open-ended reward, BERTScore-like greedy
 * matching): every token vector of one text is matched to its most similar (cosine) token of the
 * other text; the best similarities are averaged per direction (precision over the candidate's
 * tokens, recall over the reference's) and the two directions are combined.
 * An empty token list on either side gives all zeros.
 * @param combine `mean` (default): (P + R) / 2; `f1`: BERTScore's 2PR / (P + R)
 */
export function bmasSimilarity(candidate: readonly ArrayLike<number>[], reference: readonly ArrayLike<number>[], combine: 'mean' | 'f1' = 'mean'): BmasScore {
  if (candidate.length === 0 || reference.length === 0) return { precision: 0, recall: 0, score: 0 };
  const bestForCandidate = new Array<number>(candidate.length).fill(-Infinity);
  const bestForReference = new Array<number>(reference.length).fill(-Infinity);
  candidate.forEach((left, i) => {
    reference.forEach((right, j) => {
      const similarity = cosineSimilarity(left, right);
      if (similarity > (bestForCandidate[i] as number)) bestForCandidate[i] = similarity;
      if (similarity > (bestForReference[j] as number)) bestForReference[j] = similarity;
    });
  });
  const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const precision = average(bestForCandidate);
  const recall = average(bestForReference);
  const score = combine === 'f1' ? (precision > 0 && recall > 0 ? (2 * precision * recall) / (precision + recall) : 0) : (precision + recall) / 2;
  return { precision, recall, score };
}
