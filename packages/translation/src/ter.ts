import { RewardError } from '@mixreward/core';
import { pyRstrip, pySplit } from './python-text.js';
import { segmentsFromStreams, usableReferences, type SegmentReferences } from './segment-references.js';
import { formatSignature, referenceCountLabel } from './signature.js';
import { tokenizeTercom, type TercomTokenizerOptions } from './tercom-tokenizer.js';

/** TER options, sacreBLEU's names in camelCase (all default false, as sacreBLEU). */
export type TerOptions = TercomTokenizerOptions;

/** A TER score, as sacreBLEU's `TERScore`. */
export interface TerScore {
  /** TER on sacreBLEU's scale: 100 * edits / average reference length; >= 0, may exceed 100. */
  score: number;
  /** Edits (insertions, deletions, substitutions, shifts), summed over segments. */
  numEdits: number;
  /** Average reference length in words, summed over segments. */
  refLength: number;
  /** sacreBLEU's signature, e.g. `nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0`. */
  signature: string;
}

// Tercom's limits, as sacreBLEU's lib_ter.
const MAX_SHIFT_SIZE = 10;
const MAX_SHIFT_DIST = 50;
const BEAM_WIDTH = 25;
const MAX_CACHE_SIZE = 10000;
const MAX_SHIFT_CANDIDATES = 1000;
// Any value far above a real edit count behaves as sacreBLEU's 1e16 (cells are finite or exactly this).
const INFINITY = 0x3fffffff;

const OP_UNDEF = 0;
const OP_INS = 1;
const OP_DEL = 2;
const OP_NOP = 3;
const OP_SUB = 4;

/**
 * One row of the edit-distance matrix, stored only over its beam `[low, low + size)` at `offset`
 * in a slab shared by the rows of one computation; cells outside the beam are "infinite" (never
 * computed), as sacreBLEU's rows hold there.
 */
interface Row {
  low: number;
  size: number;
  offset: number;
  costs: Int32Array;
  ops: Uint8Array;
}

interface CacheNode {
  next: Map<number, CacheNode>;
  row: Row;
}

function costAt(row: Row, j: number): number {
  const index = j - row.low;
  return index >= 0 && index < row.size ? (row.costs[row.offset + index] as number) : INFINITY;
}

function opAt(row: Row, j: number): number {
  const index = j - row.low;
  return index >= 0 && index < row.size ? (row.ops[row.offset + index] as number) : OP_UNDEF;
}

/**
 * sacreBLEU's `BeamEditDistance`: Levenshtein distance restricted to a beam around the
 * (length-ratio) diagonal, with a prefix cache of rows and the edit trace. Rows are stored over
 * their beam only, so memory is linear in the hypothesis length.
 */
class BeamEditDistance {
  private readonly reference: Int32Array;
  private readonly initialRow: Row;
  private readonly root = new Map<number, CacheNode>();
  private cacheSize = 0;
  // Once the cache is full no new row is kept, so rows are computed into these reused buffers.
  private scratchCosts = new Int32Array(0);
  private scratchOps = new Uint8Array(0);

  constructor(reference: Int32Array) {
    this.reference = reference;
    const width = reference.length + 1;
    const costs = new Int32Array(width);
    for (let j = 0; j < width; j++) costs[j] = j;
    this.initialRow = { low: 0, size: width, offset: 0, costs, ops: new Uint8Array(width).fill(OP_INS) };
  }

  /** Edit distance to the reference; with `withTrace`, also the operations (hypothesis-to-reference view). */
  run(hypothesis: Int32Array, withTrace: boolean): { distance: number; trace: Uint8Array | null } {
    const n = hypothesis.length;
    const refLength = this.reference.length;
    const width = refLength + 1;
    const rows: Row[] = [this.initialRow];
    let node = this.root;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const cached = node.get(hypothesis[i] as number);
      if (cached === undefined) break;
      rows.push(cached.row);
      node = cached.next;
      start++;
    }
    const lengthRatio = n > 0 ? refLength / n : 1;
    const beamWidth = BEAM_WIDTH < lengthRatio / 2 ? Math.ceil(lengthRatio / 2 + BEAM_WIDTH) : BEAM_WIDTH;
    // One slab for all new rows.
    let total = 0;
    for (let i = start + 1; i <= n; i++) {
      const pseudoDiagonal = Math.floor(i * lengthRatio);
      const minJ = Math.max(0, pseudoDiagonal - beamWidth);
      const maxJ = i === n ? width : Math.min(width, pseudoDiagonal + beamWidth);
      total += Math.max(0, maxJ - minJ);
    }
    const caching = this.cacheSize < MAX_CACHE_SIZE;
    if (!caching && this.scratchCosts.length < total) {
      this.scratchCosts = new Int32Array(total);
      this.scratchOps = new Uint8Array(total);
    }
    const costs = caching ? new Int32Array(total) : this.scratchCosts;
    const ops = caching ? new Uint8Array(total) : this.scratchOps;
    let offset = 0;
    const reference = this.reference;
    for (let i = start + 1; i <= n; i++) {
      const previous = rows[i - 1] as Row;
      const previousCosts = previous.costs;
      const previousLow = previous.low;
      const previousSize = previous.size;
      const previousOffset = previous.offset;
      const word = hypothesis[i - 1] as number;
      const pseudoDiagonal = Math.floor(i * lengthRatio);
      const minJ = Math.max(0, pseudoDiagonal - beamWidth);
      const maxJ = i === n ? width : Math.min(width, pseudoDiagonal + beamWidth);
      let left = INFINITY; // the cell at j - 1 of this row
      // Columns whose up (j) and diagonal (j - 1) cells both lie in the previous row's beam need no
      // bounds checks; the few columns at the edges take the checked path.
      const fastFrom = Math.max(minJ, previousLow + 1, 1);
      const fastTo = Math.min(maxJ, previousLow + previousSize);
      for (let j = minJ; j < maxJ; j++) {
        let best: number;
        let op: number;
        if (j >= fastFrom && j < fastTo) {
          const upCost = previousCosts[previousOffset + j - previousLow] as number;
          const diagonalCost = previousCosts[previousOffset + j - previousLow - 1] as number;
          const same = word === reference[j - 1];
          best = diagonalCost + (same ? 0 : 1);
          op = same ? OP_NOP : OP_SUB;
          if (best > upCost + 1) {
            best = upCost + 1;
            op = OP_DEL;
          }
          if (best > left + 1) {
            best = left + 1;
            op = OP_INS;
          }
        } else {
          best = INFINITY;
          op = OP_UNDEF;
          const up = j - previousLow;
          const upCost = up >= 0 && up < previousSize ? (previousCosts[previousOffset + up] as number) : INFINITY;
          if (j === 0) {
            best = upCost + 1;
            op = OP_DEL;
          } else {
            const diagonal = up - 1;
            const diagonalCost = diagonal >= 0 && diagonal < previousSize ? (previousCosts[previousOffset + diagonal] as number) : INFINITY;
            const same = word === reference[j - 1];
            const substitution = diagonalCost + (same ? 0 : 1);
            if (best > substitution) {
              best = substitution;
              op = same ? OP_NOP : OP_SUB;
            }
            const deletion = upCost + 1;
            if (best > deletion) {
              best = deletion;
              op = OP_DEL;
            }
            const insertion = left + 1;
            if (best > insertion) {
              best = insertion;
              op = OP_INS;
            }
          }
        }
        costs[offset + j - minJ] = best;
        ops[offset + j - minJ] = op;
        left = best;
      }
      const size = Math.max(0, maxJ - minJ);
      rows.push({ low: minJ, size, offset, costs, ops });
      offset += size;
    }
    this.addToCache(hypothesis, start, rows);
    const distance = costAt(rows[n] as Row, refLength);
    if (!withTrace) return { distance, trace: null };
    const trace: number[] = [];
    let i = n;
    let j = refLength;
    while (i > 0 || j > 0) {
      const op = opAt(rows[i] as Row, j);
      trace.push(op);
      if (op === OP_SUB || op === OP_NOP) {
        i--;
        j--;
      } else if (op === OP_INS) {
        j--;
      } else if (op === OP_DEL) {
        i--;
      } else {
        throw new RewardError('INTERNAL', 'TER edit trace reached an unset cell');
      }
    }
    trace.reverse();
    return { distance, trace: Uint8Array.from(trace) };
  }

  private addToCache(hypothesis: Int32Array, start: number, rows: Row[]): void {
    if (this.cacheSize >= MAX_CACHE_SIZE) return;
    let node = this.root;
    for (let i = 0; i < start; i++) node = (node.get(hypothesis[i] as number) as CacheNode).next;
    for (let i = start; i < hypothesis.length; i++) {
      const word = hypothesis[i] as number;
      let entry = node.get(word);
      if (entry === undefined) {
        entry = { next: new Map(), row: rows[i + 1] as Row };
        node.set(word, entry);
        this.cacheSize++;
      }
      node = entry.next;
    }
  }
}

function performShift(words: Int32Array, start: number, length: number, target: number): Int32Array {
  const out = new Int32Array(words.length);
  let position = 0;
  const append = (from: number, to: number) => {
    const clampedTo = Math.min(to, words.length);
    if (clampedTo > from) {
      out.set(words.subarray(from, clampedTo), position);
      position += clampedTo - from;
    }
  };
  if (target < start) {
    append(0, target);
    append(start, start + length);
    append(target, start);
    append(start + length, words.length);
  } else if (target > start + length) {
    append(0, start);
    append(start + length, target);
    append(start, start + length);
    append(target, words.length);
  } else {
    append(0, start);
    append(start + length, length + target);
    append(start, start + length);
    append(length + target, words.length);
  }
  return out;
}

interface ShiftResult {
  delta: number;
  words: Int32Array;
  checked: number;
}

/** sacreBLEU's `_shift`: the best shift by (edit-distance gain, length, earliest start, earliest target). */
function bestShift(wordsH: Int32Array, wordsR: Int32Array, editDistance: BeamEditDistance, checkedBefore: number): ShiftResult {
  let checked = checkedBefore;
  const { distance: preScore, trace } = editDistance.run(wordsH, true);
  // Flip the trace (insertions <-> deletions) and align reference positions to hypothesis positions.
  const align = new Int32Array(wordsR.length);
  const refErr = new Uint8Array(wordsR.length);
  const hypErr = new Uint8Array(wordsH.length);
  let posHyp = -1;
  let posRef = -1;
  for (const op of trace as Uint8Array) {
    if (op === OP_NOP || op === OP_SUB) {
      posHyp++;
      posRef++;
      align[posRef] = posHyp;
      if (op === OP_SUB) {
        hypErr[posHyp] = 1;
        refErr[posRef] = 1;
      }
    } else if (op === OP_DEL) {
      // a deletion in the hypothesis-to-reference trace is an insertion once flipped
      posHyp++;
      hypErr[posHyp] = 1;
    } else {
      posRef++;
      align[posRef] = posHyp;
      refErr[posRef] = 1;
    }
  }
  let best: { score: number; length: number; startH: number; idx: number; words: Int32Array } | null = null;
  const nH = wordsH.length;
  const nR = wordsR.length;
  search: for (let startH = 0; startH < nH; startH++) {
    // sacreBLEU visits every start_r and skips |start_r - start_h| > 50; visiting only the window is the same.
    const lastR = Math.min(nR - 1, startH + MAX_SHIFT_DIST);
    for (let startR = Math.max(0, startH - MAX_SHIFT_DIST); startR <= lastR; startR++) {
      let length = 0;
      while (wordsH[startH + length] === wordsR[startR + length] && length < MAX_SHIFT_SIZE) {
        length++;
        candidate: {
          let hypErrors = 0;
          for (let k = startH; k < startH + length; k++) hypErrors += hypErr[k] as number;
          if (hypErrors === 0) break candidate;
          let refErrors = 0;
          for (let k = startR; k < startR + length; k++) refErrors += refErr[k] as number;
          if (refErrors === 0) break candidate;
          const aligned = align[startR] as number;
          if (startH <= aligned && aligned < startH + length) break candidate;
          let previousIdx = -1;
          for (let offset = -1; offset < length; offset++) {
            let idx: number;
            if (startR + offset === -1) idx = 0;
            else if (startR + offset < nR) idx = (align[startR + offset] as number) + 1;
            else break;
            if (idx === previousIdx) continue;
            previousIdx = idx;
            const shifted = performShift(wordsH, startH, length, idx);
            const score = preScore - editDistance.run(shifted, false).distance;
            checked++;
            if (
              best === null ||
              score > best.score ||
              (score === best.score &&
                (length > best.length || (length === best.length && (startH < best.startH || (startH === best.startH && idx < best.idx)))))
            ) {
              best = { score, length, startH, idx, words: shifted };
            }
          }
          if (checked >= MAX_SHIFT_CANDIDATES) break search;
        }
        if (nH === startH + length || nR === startR + length) break;
      }
    }
  }
  if (best === null) return { delta: 0, words: wordsH, checked };
  return { delta: best.score, words: best.words, checked };
}

/** sacreBLEU's `translation_edit_rate`: [edits including shifts, reference length]. */
function translationEditRate(wordsHyp: Int32Array, wordsRef: Int32Array): [number, number] {
  if (wordsRef.length === 0) return [wordsHyp.length, 0];
  const editDistance = new BeamEditDistance(wordsRef);
  let shifts = 0;
  let input = wordsHyp;
  let checked = 0;
  for (;;) {
    const result = bestShift(input, wordsRef, editDistance, checked);
    checked = result.checked;
    if (checked >= MAX_SHIFT_CANDIDATES) break;
    if (result.delta <= 0) break;
    shifts++;
    input = result.words;
  }
  return [shifts + editDistance.run(input, false).distance, wordsRef.length];
}

function toIds(words: readonly string[], vocabulary: Map<string, number>): Int32Array {
  const ids = new Int32Array(words.length);
  words.forEach((word, index) => {
    let id = vocabulary.get(word);
    if (id === undefined) {
      id = vocabulary.size;
      vocabulary.set(word, id);
    }
    ids[index] = id;
  });
  return ids;
}

function segmentStatistics(hypothesis: string, references: readonly string[], options: TerOptions): [number, number] {
  const vocabulary = new Map<string, number>();
  const hypothesisIds = toIds(pySplit(tokenizeTercom(pyRstrip(hypothesis), options)), vocabulary);
  let referenceLengths = 0;
  let bestEdits = Number.POSITIVE_INFINITY;
  for (const reference of references) {
    const referenceIds = toIds(pySplit(tokenizeTercom(pyRstrip(reference), options)), vocabulary);
    const [edits, length] = translationEditRate(hypothesisIds, referenceIds);
    referenceLengths += length;
    if (edits < bestEdits) bestEdits = edits;
  }
  return [bestEdits, referenceLengths / references.length];
}

function signatureOf(options: TerOptions, nrefs: number | 'var', short: boolean): string {
  const yesNo = (value: boolean | undefined) => (value ? 'yes' : 'no');
  return formatSignature(
    nrefs,
    [
      ['case', 'c', options.case_sensitive ? 'mixed' : 'lc'],
      ['tok', 't', 'tercom'],
      ['norm', 'nr', yesNo(options.normalized)],
      ['punct', 'pn', yesNo(!options.no_punct)],
      ['asian', 'as', yesNo(options.asian_support)],
    ],
    short,
  );
}

function scoreSegments(segments: ReadonlyArray<{ hypothesis: string; references: string[] }>, options: TerOptions): TerScore {
  let totalEdits = 0;
  let sumReferenceLengths = 0;
  const referenceCounts = new Set<number>();
  for (const { hypothesis, references } of segments) {
    referenceCounts.add(references.length);
    const [edits, referenceLength] = segmentStatistics(hypothesis, references, options);
    totalEdits += edits;
    sumReferenceLengths += referenceLength;
  }
  let score: number;
  if (sumReferenceLengths > 0) score = totalEdits / sumReferenceLengths;
  else if (totalEdits > 0) score = 1;
  else score = 0;
  return {
    score: 100 * score,
    numEdits: totalEdits,
    refLength: sumReferenceLengths,
    // formatted on first read
    get signature() {
      return signatureOf(options, referenceCountLabel(referenceCounts), false);
    },
  };
}

/**
 * Sentence-level TER, as sacreBLEU's `TER().sentence_score`: the fewest edits over the references
 * divided by their average length. An empty reference gives 100 for a non-empty hypothesis and 0
 * for an empty one.
 * @returns TER with `score` >= 0 (100 = as many edits as reference words; may exceed 100)
 */
export function sentenceTer(hypothesis: string, references: SegmentReferences, options: TerOptions = {}): TerScore {
  if (typeof hypothesis !== 'string') throw new RewardError('INVALID_INPUT', 'hypothesis must be a string', { path: 'hypothesis' });
  return scoreSegments([{ hypothesis, references: usableReferences(references) }], options);
}

/**
 * Corpus-level TER: edits and average reference lengths summed over segments, as sacreBLEU's
 * `corpus_ter`. `references` is a list of reference streams aligned with `hypotheses`.
 * @returns TER with `score` >= 0
 */
export function corpusTer(
  hypotheses: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null | undefined>> | ReadonlyArray<string>,
  options: TerOptions = {},
): TerScore {
  const segments = segmentsFromStreams(hypotheses, references).map((refs, index) => ({ hypothesis: hypotheses[index] as string, references: refs }));
  return scoreSegments(segments, options);
}

/** The signature sacreBLEU prints for these TER options (`nrefs` default 1; `short` for the abbreviated form). */
export function terSignature(options: TerOptions = {}, nrefs: number | 'var' = 1, short = false): string {
  return signatureOf(options, nrefs, short);
}
