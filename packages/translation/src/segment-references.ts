import { RewardError } from '@mixreward/core';

/** One segment's references: one string or several (empty, null or undefined entries are dropped). */
export type SegmentReferences = string | ReadonlyArray<string | null | undefined>;

/**
 * The usable references of one segment, as sacreBLEU keeps them: empty strings, `null` and
 * `undefined` are dropped (a segment may have fewer references than others). When none is left,
 * one empty reference is kept so that every metric still returns a defined score (sacreBLEU raises
 * here); the caller decides whether that is an error.
 * @internal
 */
export function usableReferences(references: SegmentReferences, field = 'references'): string[] {
  if (typeof references === 'string') return [references];
  if (!Array.isArray(references)) {
    throw new RewardError('INVALID_INPUT', `${field} must be a string or an array of strings`, { path: field });
  }
  const kept: string[] = [];
  for (const reference of references) {
    if (reference === null || reference === undefined || reference === '') continue;
    if (typeof reference !== 'string') {
      throw new RewardError('INVALID_INPUT', `${field} must contain only strings (got ${typeof reference})`, { path: field });
    }
    kept.push(reference);
  }
  return kept.length > 0 ? kept : [''];
}

/**
 * Transpose sacreBLEU's corpus reference layout (a list of reference streams, each aligned with
 * the hypotheses) into per-segment reference lists, checking the lengths.
 * @internal
 */
export function segmentsFromStreams(
  hypotheses: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null | undefined>> | ReadonlyArray<string>,
): string[][] {
  // One stream given flat (["ref 1", "ref 2"]) is accepted as [["ref 1", "ref 2"]].
  const referenceStreams = (
    Array.isArray(references) && references.length > 0 && references.every((item) => typeof item === 'string') ? [references] : references
  ) as ReadonlyArray<ReadonlyArray<string | null | undefined>>;
  if (!Array.isArray(hypotheses)) throw new RewardError('INVALID_INPUT', 'hypotheses must be an array of strings', { path: 'hypotheses' });
  if (!Array.isArray(referenceStreams) || referenceStreams.length === 0 || !referenceStreams.every((stream) => Array.isArray(stream))) {
    throw new RewardError(
      'INVALID_INPUT',
      'references must be an array of reference streams (each an array of strings aligned with the hypotheses), e.g. [["ref of line 1", "ref of line 2"]]',
      { path: 'references' },
    );
  }
  referenceStreams.forEach((stream, index) => {
    if (stream.length !== hypotheses.length) {
      throw new RewardError(
        'INVALID_INPUT',
        `reference stream ${index} has ${stream.length} lines but there are ${hypotheses.length} hypotheses`,
        { path: `references[${index}]` },
      );
    }
  });
  return hypotheses.map((hypothesis, segment) => {
    if (typeof hypothesis !== 'string') {
      throw new RewardError('INVALID_INPUT', `hypothesis ${segment} is not a string`, { path: `hypotheses[${segment}]` });
    }
    return usableReferences(
      referenceStreams.map((stream) => stream[segment]),
      `references[*][${segment}]`,
    );
  });
}
