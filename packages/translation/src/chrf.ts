import { RewardError } from '@mixreward/core';
import { codePointOffsets, pyRemoveWhitespace, pySplit } from './python-text.js';
import { segmentsFromStreams, usableReferences, type SegmentReferences } from './references.js';
import { formatSignature, referenceCountLabel } from './signature.js';
import { ngramKeyCounts } from './ngram-keys.js';

/** chrF / chrF++ options, sacreBLEU's names in camelCase. */
export interface ChrfOptions {
  /** Character n-gram order, integer >= 1. Default 6. */
  charOrder?: number;
  /** Word n-gram order, integer >= 0: 0 is chrF, 2 is chrF++. Default 0. */
  wordOrder?: number;
  /** Recall weight beta, > 0. Default 2. */
  beta?: number;
  /** Lowercase first. Default false. */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams. Default false (whitespace removed). */
  whitespace?: boolean;
  /** chrF++.py/NLTK epsilon smoothing instead of sacreBLEU's effective order. Default false. */
  epsSmoothing?: boolean;
}

/** A chrF score, as sacreBLEU's `CHRFScore`. */
export interface ChrfScore {
  /** chrF in [0, 100]. */
  score: number;
  /** `chrF2`, `chrF2++`, ... (beta, then one `+` per word order). */
  name: string;
  /** Per order (characters 1..charOrder, then words 1..wordOrder): [hypothesis n-grams, reference n-grams, matches]. */
  statistics: number[];
  /** sacreBLEU's signature, e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0`. */
  signature: string;
}

interface PreparedChrf {
  charOrder: number;
  wordOrder: number;
  order: number;
  beta: number;
  lowercase: boolean;
  whitespace: boolean;
  epsSmoothing: boolean;
}

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

function prepare(options: ChrfOptions): PreparedChrf {
  const charOrder = options.charOrder ?? 6;
  const wordOrder = options.wordOrder ?? 0;
  const beta = options.beta ?? 2;
  if (!Number.isInteger(charOrder) || charOrder < 1) {
    throw new RewardError('INVALID_OPTIONS', `charOrder must be an integer >= 1 (got ${charOrder})`, { path: 'charOrder' });
  }
  if (!Number.isInteger(wordOrder) || wordOrder < 0) {
    throw new RewardError('INVALID_OPTIONS', `wordOrder must be an integer >= 0 (got ${wordOrder})`, { path: 'wordOrder' });
  }
  if (!(Number.isFinite(beta) && beta > 0)) throw new RewardError('INVALID_OPTIONS', `beta must be a number > 0 (got ${beta})`, { path: 'beta' });
  return {
    charOrder,
    wordOrder,
    order: charOrder + wordOrder,
    beta,
    lowercase: options.lowercase ?? false,
    whitespace: options.whitespace ?? false,
    epsSmoothing: options.epsSmoothing ?? false,
  };
}

/** Counters for character orders 1..charOrder, then word orders 1..wordOrder. */
type NgramCounters = Map<string, number>[];

function charNgrams(line: string, maxOrder: number, includeWhitespace: boolean): NgramCounters {
  const text = includeWhitespace ? line : pyRemoveWhitespace(line);
  const offsets = codePointOffsets(text);
  const length = offsets === null ? text.length : offsets.length - 1;
  const counters: NgramCounters = [];
  for (let n = 1; n <= maxOrder; n++) {
    const counter = new Map<string, number>();
    for (let start = 0; start + n <= length; start++) {
      const ngram = offsets === null ? text.slice(start, start + n) : text.slice(offsets[start], offsets[start + n]);
      counter.set(ngram, (counter.get(ngram) ?? 0) + 1);
    }
    counters.push(counter);
  }
  return counters;
}

/** sacreBLEU's `_remove_punctuation`: split one leading or trailing ASCII punctuation mark off each word. */
function separatePunctuation(line: string): string[] {
  const tokens: string[] = [];
  for (const word of pySplit(line)) {
    if (word.length === 1) {
      // (a one-code-point astral word has length 2 here, but is never ASCII punctuation: same result)
      tokens.push(word);
    } else if (PUNCTUATION.has(word[word.length - 1] as string)) {
      tokens.push(word.slice(0, -1), word[word.length - 1] as string);
    } else if (PUNCTUATION.has(word[0] as string)) {
      tokens.push(word[0] as string, word.slice(1));
    } else {
      tokens.push(word);
    }
  }
  return tokens;
}

function wordNgrams(tokens: readonly string[], n: number): Map<string, number> {
  const counter = new Map<string, number>();
  for (let start = 0; start + n <= tokens.length; start++) {
    const ngram = n === 1 ? (tokens[start] as string) : tokens.slice(start, start + n).join(' ');
    counter.set(ngram, (counter.get(ngram) ?? 0) + 1);
  }
  return counter;
}

function allNgrams(line: string, prepared: PreparedChrf): NgramCounters {
  const counters = charNgrams(line, prepared.charOrder, prepared.whitespace);
  if (prepared.wordOrder > 0) {
    const words = separatePunctuation(line);
    for (let n = 1; n <= prepared.wordOrder; n++) counters.push(wordNgrams(words, n));
  }
  return counters;
}

function matchStatistics(hypothesis: Map<string, number>, reference: Map<string, number>, into: number[]): void {
  let matches = 0;
  let hypothesisCount = 0;
  for (const [ngram, count] of hypothesis) {
    hypothesisCount += count;
    const referenceCount = reference.get(ngram);
    if (referenceCount !== undefined) matches += Math.min(count, referenceCount);
  }
  let referenceCount = 0;
  for (const count of reference.values()) referenceCount += count;
  into.push(reference.size > 0 ? hypothesisCount : 0, referenceCount, matches);
}

/** sacreBLEU's `CHRF._compute_f_score`, in the same order of floating-point operations. */
function fScore(statistics: readonly number[], prepared: PreparedChrf): number {
  const eps = 1e-16;
  let score = 0;
  let effectiveOrder = 0;
  const factor = prepared.beta ** 2;
  let averagePrecision = 0;
  let averageRecall = 0;
  for (let index = 0; index < prepared.order; index++) {
    const hypothesisCount = statistics[3 * index] as number;
    const referenceCount = statistics[3 * index + 1] as number;
    const matches = statistics[3 * index + 2] as number;
    const precision = hypothesisCount > 0 ? matches / hypothesisCount : eps;
    const recall = referenceCount > 0 ? matches / referenceCount : eps;
    const denominator = factor * precision + recall;
    score += denominator > 0 ? ((1 + factor) * precision * recall) / denominator : eps;
    if (hypothesisCount > 0 && referenceCount > 0) {
      averagePrecision += precision;
      averageRecall += recall;
      effectiveOrder += 1;
    }
  }
  if (prepared.epsSmoothing) return (100 * score) / prepared.order;
  if (effectiveOrder === 0) {
    averagePrecision = 0;
    averageRecall = 0;
  } else {
    averagePrecision /= effectiveOrder;
    averageRecall /= effectiveOrder;
  }
  if (averagePrecision + averageRecall) {
    let result = (1 + factor) * averagePrecision * averageRecall;
    result /= factor * averagePrecision + averageRecall;
    return 100 * result;
  }
  return 0;
}

/** Code points of `text` as ids: known ones from `vocabulary`, new ones added when `grow`, else 0. */
function codePointIds(text: string, vocabulary: Map<number, number>, grow: boolean): Int32Array {
  const ids = new Int32Array(text.length);
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        index++;
      }
    }
    let id = vocabulary.get(code);
    if (id === undefined) {
      if (grow) {
        id = vocabulary.size + 1;
        vocabulary.set(code, id);
      } else {
        id = 0;
      }
    }
    ids[length++] = id;
  }
  return ids.subarray(0, length);
}

/**
 * Character statistics of every order against one reference: [hypothesis n-grams (0 when the
 * reference has none of that order), reference n-grams, matches] per order. Matching uses one map
 * of the reference n-grams made only of hypothesis characters (ids >= 1, keys in base `base`, so
 * orders never collide); each reference n-gram matches at most once.
 */
function charStatistics(hypothesisIds: Int32Array, referenceIds: Int32Array, maxOrder: number, base: number, into: number[]): void {
  const remaining = ngramKeyCounts(referenceIds, maxOrder, base);
  const matches = new Array<number>(maxOrder).fill(0);
  for (let start = 0; start < hypothesisIds.length; start++) {
    let key = 0;
    const last = Math.min(hypothesisIds.length, start + maxOrder);
    for (let end = start; end < last; end++) {
      key = key * base + (hypothesisIds[end] as number);
      const left = remaining.get(key);
      if (left === undefined) break; // no longer n-gram from this start is in the reference either
      if (left > 0) {
        matches[end - start] = (matches[end - start] as number) + 1;
        remaining.set(key, left - 1);
      }
    }
  }
  for (let n = 1; n <= maxOrder; n++) {
    const referenceCount = Math.max(0, referenceIds.length - n + 1);
    into.push(referenceCount > 0 ? Math.max(0, hypothesisIds.length - n + 1) : 0, referenceCount, matches[n - 1] as number);
  }
}

/**
 * Statistics of one segment against its best reference, as sacreBLEU's
 * `_compute_segment_statistics`. Character n-grams are compared as exact integers (code points
 * numbered by the hypothesis alphabet, reference-only characters 0) in one map per reference; with an
 * alphabet too large for 2^53 the string counters are used. Word n-grams use string counters.
 */
function segmentStatistics(hypothesis: string, references: readonly string[], prepared: PreparedChrf): number[] {
  const hypothesisText = prepared.lowercase ? hypothesis.toLowerCase() : hypothesis;
  const hypothesisChars = prepared.whitespace ? hypothesisText : pyRemoveWhitespace(hypothesisText);
  const vocabulary = new Map<number, number>();
  const hypothesisIds = codePointIds(hypothesisChars, vocabulary, true);
  const base = vocabulary.size + 1;
  const numeric = base ** prepared.charOrder <= Number.MAX_SAFE_INTEGER;
  const hypothesisNgrams = numeric ? null : allNgrams(hypothesisText, { ...prepared, wordOrder: 0 });
  const hypothesisWords: Map<string, number>[] = [];
  if (prepared.wordOrder > 0) {
    const words = separatePunctuation(hypothesisText);
    for (let n = 1; n <= prepared.wordOrder; n++) hypothesisWords.push(wordNgrams(words, n));
  }
  let best: number[] = [];
  let bestScore = -1;
  for (const reference of references) {
    const referenceText = prepared.lowercase ? reference.toLowerCase() : reference;
    const statistics: number[] = [];
    if (numeric) {
      const referenceChars = prepared.whitespace ? referenceText : pyRemoveWhitespace(referenceText);
      charStatistics(hypothesisIds, codePointIds(referenceChars, vocabulary, false), prepared.charOrder, base, statistics);
    } else {
      const referenceNgrams = allNgrams(referenceText, { ...prepared, wordOrder: 0 });
      for (let n = 0; n < prepared.charOrder; n++) {
        matchStatistics((hypothesisNgrams as NgramCounters)[n] as Map<string, number>, referenceNgrams[n] as Map<string, number>, statistics);
      }
    }
    if (prepared.wordOrder > 0) {
      const words = separatePunctuation(referenceText);
      for (let n = 1; n <= prepared.wordOrder; n++) matchStatistics(hypothesisWords[n - 1] as Map<string, number>, wordNgrams(words, n), statistics);
    }
    const score = fScore(statistics, prepared);
    if (score > bestScore) {
      bestScore = score;
      best = statistics;
    }
  }
  return best;
}

function signatureOf(prepared: PreparedChrf, nrefs: number | 'var', short: boolean): string {
  return formatSignature(
    nrefs,
    [
      ['case', 'c', prepared.lowercase ? 'lc' : 'mixed'],
      ['eff', 'e', prepared.epsSmoothing ? 'no' : 'yes'],
      ['nc', 'nc', String(prepared.charOrder)],
      ['nw', 'nw', String(prepared.wordOrder)],
      ['space', 's', prepared.whitespace ? 'yes' : 'no'],
    ],
    short,
  );
}

function scoreSegments(segments: ReadonlyArray<{ hypothesis: string; references: string[] }>, prepared: PreparedChrf): ChrfScore {
  const sum = new Array<number>(prepared.order * 3).fill(0);
  const referenceCounts = new Set<number>();
  for (const { hypothesis, references } of segments) {
    referenceCounts.add(references.length);
    const statistics = segmentStatistics(hypothesis, references, prepared);
    for (let index = 0; index < sum.length; index++) sum[index] = (sum[index] as number) + (statistics[index] as number);
  }
  return {
    score: fScore(sum, prepared),
    name: `chrF${prepared.beta}${'+'.repeat(prepared.wordOrder)}`,
    statistics: sum,
    // formatted on first read
    get signature() {
      return signatureOf(prepared, referenceCountLabel(referenceCounts), false);
    },
  };
}

/**
 * Sentence-level chrF (chrF++ with `wordOrder: 2`), as sacreBLEU's `CHRF().sentence_score`;
 * with several references the one with the best F-score counts.
 * @returns chrF with `score` in [0, 100]
 */
export function sentenceChrf(hypothesis: string, references: SegmentReferences, options: ChrfOptions = {}): ChrfScore {
  if (typeof hypothesis !== 'string') throw new RewardError('INVALID_INPUT', 'hypothesis must be a string', { path: 'hypothesis' });
  return scoreSegments([{ hypothesis, references: usableReferences(references) }], prepare(options));
}

/**
 * Corpus-level chrF: statistics summed over segments, then one F-score, as sacreBLEU's
 * `corpus_chrf`. `references` is a list of reference streams aligned with `hypotheses`.
 * @returns chrF with `score` in [0, 100]
 */
export function corpusChrf(
  hypotheses: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null | undefined>> | ReadonlyArray<string>,
  options: ChrfOptions = {},
): ChrfScore {
  const prepared = prepare(options);
  const segments = segmentsFromStreams(hypotheses, references).map((refs, index) => ({ hypothesis: hypotheses[index] as string, references: refs }));
  return scoreSegments(segments, prepared);
}

/** The signature sacreBLEU prints for these chrF options (`nrefs` default 1; `short` for the abbreviated form). */
export function chrfSignature(options: ChrfOptions = {}, nrefs: number | 'var' = 1, short = false): string {
  return signatureOf(prepare(options), nrefs, short);
}
