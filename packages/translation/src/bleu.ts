import { RewardError } from '@mixreward/core';
import { pyRstrip } from './python-text.js';
import { segmentsFromStreams, usableReferences, type SegmentReferences } from './references.js';
import { formatSignature, formatTwoDecimals } from './signature.js';
import { getTokenListFunction, type SacrebleuTokenizerName } from './tokenizers.js';
import { ngramKeyCounts } from './ngram-keys.js';

/** BLEU smoothing (Chen & Cherry 2014, as sacreBLEU names them). */
export type SmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

/** sacreBLEU's default smoothing values: `floor` 0.1, `add-k` 1; `exp` and `none` take none. */
export const SMOOTH_DEFAULTS: Readonly<Record<SmoothMethod, number | null>> = { none: null, floor: 0.1, 'add-k': 1, exp: null };

/** The default maximum n-gram order of BLEU. */
export const MAX_NGRAM_ORDER = 4;

/** BLEU options, sacreBLEU's names in camelCase. */
export interface BleuOptions {
  /** Tokenizer: `13a` (default), `intl`, `zh`, `char`, `none`; `ja-mecab`/`ko-mecab` throw DEPENDENCY_UNAVAILABLE. */
  tokenize?: SacrebleuTokenizerName | (string & {});
  /** Lowercase hypothesis and references first. Default false. */
  lowercase?: boolean;
  /** `exp` (default), `floor`, `add-k` or `none`. */
  smoothMethod?: SmoothMethod;
  /** Value for `floor` (default 0.1) and `add-k` (default 1); ignored by `exp`/`none`. Must be >= 0. */
  smoothValue?: number | null;
  /** Drop n-gram orders the hypothesis has none of. Default: true for sentence level, false for corpus level. */
  effectiveOrder?: boolean;
  /** Largest n-gram order, >= 1. Default 4. */
  maxNgramOrder?: number;
}

/** BLEU sufficient statistics of a segment or a corpus. */
export interface BleuStatistics {
  /** Hypothesis length in tokens (>= 0). */
  sysLen: number;
  /** Closest reference length in tokens (>= 0; ties pick the shorter reference). */
  refLen: number;
  /** Clipped matching n-grams per order 1..maxNgramOrder (>= 0). */
  counts: number[];
  /** Hypothesis n-grams per order 1..maxNgramOrder (>= 0). */
  totals: number[];
}

/** A BLEU score with its statistics, as sacreBLEU's `BLEUScore`. */
export interface BleuScore {
  /** BLEU in [0, 100]. */
  score: number;
  /** Matching n-grams per order (after `add-k` smoothing, as sacreBLEU reports them). */
  counts: number[];
  /** Hypothesis n-grams per order (after `add-k` smoothing). */
  totals: number[];
  /** n-gram precisions in [0, 100] per order (0 for orders not used). */
  precisions: number[];
  /** Brevity penalty in [0, 1]. */
  bp: number;
  /** Hypothesis length in tokens. */
  sysLen: number;
  /** Reference length in tokens. */
  refLen: number;
  /** sysLen / refLen (0 when refLen is 0). */
  ratio: number;
  /** sacreBLEU's signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0`. */
  signature: string;
}

/** Arguments of {@link computeBleu}. */
export interface ComputeBleuInput extends BleuStatistics {
  /** Default `none` (as sacreBLEU's `compute_bleu`). */
  smoothMethod?: SmoothMethod;
  /** Default per {@link SMOOTH_DEFAULTS}. */
  smoothValue?: number | null;
  /** Default false. */
  effectiveOrder?: boolean;
  /** Default 4; must equal counts.length. */
  maxNgramOrder?: number;
}

/** Python's `my_log`: log, floored to -9999999999 at 0. */
function flooredLog(value: number): number {
  return value === 0 ? -9999999999 : Math.log(value);
}

/**
 * BLEU from sufficient statistics, exactly sacreBLEU's `BLEU.compute_bleu` (brevity penalty, the
 * early 0 when nothing matches, smoothing, effective order).
 * @returns the score (in [0, 100]) and its parts, without a signature
 */
export function computeBleu(input: ComputeBleuInput): Omit<BleuScore, 'signature'> {
  const smoothMethod = input.smoothMethod ?? 'none';
  if (!Object.prototype.hasOwnProperty.call(SMOOTH_DEFAULTS, smoothMethod)) {
    throw new RewardError('INVALID_OPTIONS', `unknown smoothMethod '${String(smoothMethod)}'; expected exp, floor, add-k or none`, { path: 'smoothMethod' });
  }
  const smoothValue = input.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0;
  const maxOrder = input.maxNgramOrder ?? input.counts.length;
  const counts = input.counts.slice();
  const totals = input.totals.slice();
  const { sysLen, refLen } = input;
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(maxOrder).fill(0);
  const done = (score: number) => ({ score, counts, totals, precisions, bp, sysLen, refLen, ratio: refLen ? sysLen / refLen : 0 });
  if (!counts.some((count) => count !== 0)) return done(0);

  let smoothMteval = 1;
  let effectiveOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      counts[n - 1] = (counts[n - 1] as number) + smoothValue;
      totals[n - 1] = (totals[n - 1] as number) + smoothValue;
    }
    const total = totals[n - 1] as number;
    const count = counts[n - 1] as number;
    if (total === 0) break;
    if (input.effectiveOrder) effectiveOrder = n;
    if (count === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total);
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / total;
      }
    } else {
      precisions[n - 1] = (100 * count) / total;
    }
  }
  let logSum = 0;
  for (let index = 0; index < effectiveOrder; index++) logSum += flooredLog(precisions[index] as number);
  return done(bp * Math.exp(logSum / effectiveOrder));
}

interface PreparedBleu {
  tokens: (line: string) => string[];
  tokenizerName: string;
  lowercase: boolean;
  smoothMethod: SmoothMethod;
  smoothValue: number | null;
  effectiveOrder: boolean;
  maxOrder: number;
}

function prepare(options: BleuOptions, effectiveOrderDefault: boolean): PreparedBleu {
  const tokenizerName = options.tokenize ?? '13a';
  const smoothMethod = options.smoothMethod ?? 'exp';
  if (!Object.prototype.hasOwnProperty.call(SMOOTH_DEFAULTS, smoothMethod)) {
    throw new RewardError('INVALID_OPTIONS', `unknown smoothMethod '${String(smoothMethod)}'; expected exp, floor, add-k or none`, { path: 'smoothMethod' });
  }
  const smoothValue = options.smoothValue ?? null;
  if (smoothValue !== null && !(Number.isFinite(smoothValue) && smoothValue >= 0)) {
    throw new RewardError('INVALID_OPTIONS', `smoothValue must be a finite number >= 0 (got ${smoothValue})`, { path: 'smoothValue' });
  }
  const maxOrder = options.maxNgramOrder ?? MAX_NGRAM_ORDER;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) {
    throw new RewardError('INVALID_OPTIONS', `maxNgramOrder must be an integer >= 1 (got ${maxOrder})`, { path: 'maxNgramOrder' });
  }
  return {
    tokens: getTokenListFunction(tokenizerName),
    tokenizerName,
    lowercase: options.lowercase ?? false,
    smoothMethod,
    smoothValue,
    effectiveOrder: options.effectiveOrder ?? effectiveOrderDefault,
    maxOrder,
  };
}

function preprocess(line: string, prepared: PreparedBleu): string[] {
  const text = prepared.lowercase ? line.toLowerCase() : line;
  return prepared.tokens(pyRstrip(text));
}

/** n-gram counts of all orders 1..maxOrder in one map (keys of different orders differ in their number of spaces). */
function countNgrams(tokens: readonly string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let start = 0; start < tokens.length; start++) {
    let key = tokens[start] as string;
    const last = Math.min(tokens.length, start + maxOrder);
    for (let end = start + 1; ; end++) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (end >= last) break;
      key = `${key} ${tokens[end] as string}`;
    }
  }
  return counts;
}

function closestReferenceLength(hypothesisLength: number, referenceLengths: readonly number[]): number {
  let closestDiff = -1;
  let closestLength = -1;
  for (const length of referenceLengths) {
    const diff = Math.abs(hypothesisLength - length);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLength = length;
    } else if (diff === closestDiff && length < closestLength) {
      closestLength = length;
    }
  }
  return closestLength;
}

/** Clipped matches of one order: sum over distinct hypothesis keys of min(hypothesis count, max reference count). */
function clippedMatches(hypothesisKeys: Float64Array, referenceKeys: readonly Float64Array[]): number {
  hypothesisKeys.sort();
  for (const keys of referenceKeys) keys.sort();
  const pointers = new Int32Array(referenceKeys.length);
  let matches = 0;
  let index = 0;
  while (index < hypothesisKeys.length) {
    const key = hypothesisKeys[index] as number;
    let count = 0;
    while (index < hypothesisKeys.length && hypothesisKeys[index] === key) {
      count++;
      index++;
    }
    let best = 0;
    for (let r = 0; r < referenceKeys.length; r++) {
      const keys = referenceKeys[r] as Float64Array;
      let pointer = pointers[r] as number;
      while (pointer < keys.length && (keys[pointer] as number) < key) pointer++;
      let found = 0;
      while (pointer < keys.length && keys[pointer] === key) {
        found++;
        pointer++;
      }
      pointers[r] = pointer;
      if (found > best) best = found;
    }
    matches += Math.min(count, best);
  }
  return matches;
}

/**
 * Clipped matches of every order against one reference, with one map: reference n-grams made only
 * of hypothesis words (ids >= 1) keyed in base `base`, so keys of different orders never collide
 * (an order-n key is at least base^(n-1)); n-grams with a reference-only word cannot match and are
 * not stored. Each reference n-gram is matched at most once.
 */
function singleReferenceCounts(
  hypothesisIds: Int32Array,
  referenceTokens: readonly string[],
  vocabulary: ReadonlyMap<string, number>,
  base: number,
  maxOrder: number,
  counts: number[],
): void {
  const referenceIds = new Int32Array(referenceTokens.length);
  for (let index = 0; index < referenceTokens.length; index++) referenceIds[index] = vocabulary.get(referenceTokens[index] as string) ?? 0;
  const remaining = ngramKeyCounts(referenceIds, maxOrder, base);
  for (let start = 0; start < hypothesisIds.length; start++) {
    let key = 0;
    const last = Math.min(hypothesisIds.length, start + maxOrder);
    for (let end = start; end < last; end++) {
      key = key * base + (hypothesisIds[end] as number);
      const left = remaining.get(key);
      if (left === undefined) break; // no longer n-gram from this start can match either
      if (left > 0) {
        counts[end - start] = (counts[end - start] as number) + 1;
        remaining.set(key, left - 1);
      }
    }
  }
}

/** Keys of all n-grams of one order, from the keys of the previous order (base `base` digits). */
function nextOrderKeys(previous: Float64Array, ids: Int32Array, order: number, base: number): Float64Array {
  const count = Math.max(0, ids.length - order + 1);
  const keys = new Float64Array(count);
  for (let start = 0; start < count; start++) keys[start] = (previous[start] as number) * base + (ids[start + order - 1] as number);
  return keys;
}

/**
 * The n-gram counting of sacreBLEU's `_compute_segment_statistics`. Tokens are numbered by the
 * hypothesis vocabulary (reference-only tokens get 0, so their n-grams can never match), n-grams
 * become exact integers in base V+1, and matches are counted by merging sorted keys. When
 * (V+1)^maxOrder would pass 2^53 the same counts are taken with string keys.
 */
function segmentStatistics(hypothesis: string, references: readonly string[], prepared: PreparedBleu): BleuStatistics {
  const { maxOrder } = prepared;
  const hypothesisTokens = preprocess(hypothesis, prepared);
  const referenceTokens: string[][] = [];
  const referenceLengths: number[] = [];
  for (const reference of references) {
    const tokens = preprocess(reference, prepared);
    referenceTokens.push(tokens);
    referenceLengths.push(tokens.length);
  }
  const sysLen = hypothesisTokens.length;
  const refLen = closestReferenceLength(sysLen, referenceLengths);
  const counts = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  for (let n = 1; n <= maxOrder; n++) totals[n - 1] = Math.max(0, sysLen - n + 1);
  const vocabulary = new Map<string, number>();
  const hypothesisIds = new Int32Array(sysLen);
  for (let index = 0; index < sysLen; index++) {
    const token = hypothesisTokens[index] as string;
    let id = vocabulary.get(token);
    if (id === undefined) {
      id = vocabulary.size + 1;
      vocabulary.set(token, id);
    }
    hypothesisIds[index] = id;
  }
  const base = vocabulary.size + 1;
  if (base ** maxOrder > Number.MAX_SAFE_INTEGER) {
    stringKeyMatches(hypothesisTokens, referenceTokens, maxOrder, counts);
    return { sysLen, refLen, counts, totals };
  }
  if (referenceTokens.length === 1) {
    singleReferenceCounts(hypothesisIds, referenceTokens[0] as string[], vocabulary, base, maxOrder, counts);
    return { sysLen, refLen, counts, totals };
  }
  const referenceIds = referenceTokens.map((tokens) => {
    const ids = new Int32Array(tokens.length);
    for (let index = 0; index < tokens.length; index++) ids[index] = vocabulary.get(tokens[index] as string) ?? 0;
    return ids;
  });
  let hypothesisKeys: Float64Array = Float64Array.from(hypothesisIds);
  let referenceKeys: Float64Array[] = referenceIds.map((ids) => Float64Array.from(ids));
  for (let n = 1; n <= maxOrder; n++) {
    if (n > 1) {
      hypothesisKeys = nextOrderKeys(hypothesisKeys, hypothesisIds, n, base);
      referenceKeys = referenceKeys.map((keys, r) => nextOrderKeys(keys, referenceIds[r] as Int32Array, n, base));
    }
    if (hypothesisKeys.length === 0) break;
    // sorting happens in place on copies: the unsorted keys are needed for the next order
    counts[n - 1] = clippedMatches(hypothesisKeys.slice(), referenceKeys.map((keys) => keys.slice()));
  }
  return { sysLen, refLen, counts, totals };
}

/** The same counts with string n-gram keys, for hypotheses with a huge vocabulary. */
function stringKeyMatches(hypothesisTokens: readonly string[], referenceTokens: readonly string[][], maxOrder: number, counts: number[]): void {
  let referenceNgrams: Map<string, number> | null = null;
  for (const tokens of referenceTokens) {
    const ngrams = countNgrams(tokens, maxOrder);
    if (referenceNgrams === null) {
      referenceNgrams = ngrams;
    } else {
      for (const [ngram, count] of ngrams) {
        const previous = referenceNgrams.get(ngram) ?? 0;
        if (count > previous) referenceNgrams.set(ngram, count);
      }
    }
  }
  for (const [ngram, count] of countNgrams(hypothesisTokens, maxOrder)) {
    const referenceCount = referenceNgrams?.get(ngram);
    if (referenceCount === undefined) continue;
    let order = 1;
    for (let index = 0; index < ngram.length; index++) if (ngram.charCodeAt(index) === 32) order++;
    counts[order - 1] = (counts[order - 1] as number) + Math.min(count, referenceCount);
  }
}

function signatureOf(prepared: PreparedBleu, nrefs: number | 'var', short: boolean): string {
  let smooth: string = prepared.smoothMethod;
  const smoothDefault = SMOOTH_DEFAULTS[prepared.smoothMethod];
  if (smoothDefault !== null) smooth += `[${formatTwoDecimals(prepared.smoothValue ?? smoothDefault)}]`;
  return formatSignature(
    nrefs,
    [
      ['case', 'c', prepared.lowercase ? 'lc' : 'mixed'],
      ['eff', 'e', prepared.effectiveOrder ? 'yes' : 'no'],
      ['tok', 'tok', prepared.tokenizerName],
      ['smooth', 's', smooth],
    ],
    short,
  );
}

function scoreSegments(segments: ReadonlyArray<{ hypothesis: string; references: string[] }>, prepared: PreparedBleu): BleuScore {
  let sum: BleuStatistics | undefined;
  let referenceCount = -1;
  for (const { hypothesis, references } of segments) {
    referenceCount = referenceCount === -1 || referenceCount === references.length ? references.length : -2;
    const stats = segmentStatistics(hypothesis, references, prepared);
    if (sum === undefined) {
      sum = stats;
      continue;
    }
    sum.sysLen += stats.sysLen;
    sum.refLen += stats.refLen;
    for (let index = 0; index < prepared.maxOrder; index++) {
      sum.counts[index] = (sum.counts[index] as number) + (stats.counts[index] as number);
      sum.totals[index] = (sum.totals[index] as number) + (stats.totals[index] as number);
    }
  }
  const result = computeBleu({
    ...(sum ?? { sysLen: 0, refLen: 0, counts: new Array<number>(prepared.maxOrder).fill(0), totals: new Array<number>(prepared.maxOrder).fill(0) }),
    smoothMethod: prepared.smoothMethod,
    smoothValue: prepared.smoothValue,
    effectiveOrder: prepared.effectiveOrder,
    maxNgramOrder: prepared.maxOrder,
  });
  const nrefs: number | 'var' = referenceCount === -2 ? 'var' : Math.max(0, referenceCount);
  // the signature is formatted on first read: most reward calls never look at it
  let signature: string | undefined;
  return {
    score: result.score,
    counts: result.counts,
    totals: result.totals,
    precisions: result.precisions,
    bp: result.bp,
    sysLen: result.sysLen,
    refLen: result.refLen,
    ratio: result.ratio,
    get signature() {
      signature ??= signatureOf(prepared, nrefs, false);
      return signature;
    },
  };
}

/**
 * Sentence-level BLEU, as sacreBLEU's `BLEU(effective_order=True).sentence_score(hypothesis, references)`
 * (effective order on unless `effectiveOrder: false`).
 * @param hypothesis the system output
 * @param references one reference or several (empty ones are ignored)
 * @returns BLEU with `score` in [0, 100]
 */
export function sentenceBleu(hypothesis: string, references: SegmentReferences, options: BleuOptions = {}): BleuScore {
  if (typeof hypothesis !== 'string') throw new RewardError('INVALID_INPUT', 'hypothesis must be a string', { path: 'hypothesis' });
  const prepared = prepare(options, true);
  return scoreSegments([{ hypothesis, references: usableReferences(references) }], prepared);
}

/**
 * Corpus-level BLEU, as sacreBLEU's `corpus_bleu(hypotheses, references)` (effective order off
 * unless `effectiveOrder: true`). `references` is sacreBLEU's layout: a list of reference streams,
 * each aligned with `hypotheses` (`references[k][i]` is the k-th reference of line i; use `''` where
 * a line has fewer references); one stream may be passed flat.
 * @returns BLEU with `score` in [0, 100]
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null | undefined>> | ReadonlyArray<string>,
  options: BleuOptions = {},
): BleuScore {
  const prepared = prepare(options, false);
  const segments = segmentsFromStreams(hypotheses, references).map((refs, index) => ({ hypothesis: hypotheses[index] as string, references: refs }));
  return scoreSegments(segments, prepared);
}

/**
 * The signature sacreBLEU prints for these BLEU options.
 * @param nrefs references per segment (`var` when it varies); default 1
 * @param short sacreBLEU's abbreviated form (`#:1|c:mixed|e:no|tok:13a|s:exp|v:2.6.0`)
 */
export function bleuSignature(options: BleuOptions & { level?: 'sentence' | 'corpus' } = {}, nrefs: number | 'var' = 1, short = false): string {
  return signatureOf(prepare(options, options.level === 'sentence'), nrefs, short);
}
