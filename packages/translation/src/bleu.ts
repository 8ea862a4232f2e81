import { RewardError } from '@mixreward/core';
import { pyRstrip } from './python-text.js';
import { segmentsFromStreams, usableReferences, type SegmentReferences } from './segment-references.js';
import { formatSignature, formatTwoDecimals } from './signature.js';
import { getTokenListFunction, ranges13aAscii, type SacrebleuTokenizerName } from './tokenizers.js';
import { ContentCache, MAX_TABLE_ORDER, RecentIdTables, type NgramTable } from './ngram-table.js';
import { idArray, TokenTable } from './token-table.js';

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
  smooth_method?: SmoothMethod;
  /** Value for `floor` (default 0.1) and `add-k` (default 1); ignored by `exp`/`none`. Must be >= 0. */
  smooth_value?: number | null;
  /** Drop n-gram orders the hypothesis has none of. Default: true for sentence level, false for corpus level. */
  effective_order?: boolean;
  /** Largest n-gram order, >= 1. Default 4. */
  max_ngram_order?: number;
}

/** BLEU sufficient statistics of a segment or a corpus. */
export interface BleuStatistics {
  /** Hypothesis length in tokens (>= 0). */
  sysLen: number;
  /** Closest reference length in tokens (>= 0; ties pick the shorter reference). */
  refLen: number;
  /** Clipped matching n-grams per order 1..max_ngram_order (>= 0). */
  counts: number[];
  /** Hypothesis n-grams per order 1..max_ngram_order (>= 0). */
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
  smooth_method?: SmoothMethod;
  /** Default per {@link SMOOTH_DEFAULTS}. */
  smooth_value?: number | null;
  /** Default false. */
  effective_order?: boolean;
  /** Default 4; must equal counts.length. */
  max_ngram_order?: number;
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
  const smoothMethod = input.smooth_method ?? 'none';
  if (!Object.prototype.hasOwnProperty.call(SMOOTH_DEFAULTS, smoothMethod)) {
    throw new RewardError('INVALID_OPTIONS', `unknown smooth_method '${String(smoothMethod)}'; expected exp, floor, add-k or none`, { path: 'smooth_method' });
  }
  const parts = bleuParts(
    input.sysLen,
    input.refLen,
    input.counts.slice(),
    input.totals.slice(),
    smoothMethod,
    input.smooth_value ?? null,
    input.effective_order ?? false,
    input.max_ngram_order ?? input.counts.length,
  );
  return { score: parts.score, counts: parts.counts, totals: parts.totals, precisions: parts.precisions, bp: parts.bp, sysLen: parts.sysLen, refLen: parts.refLen, ratio: parts.ratio };
}

/** The parts of a BLEU score; `counts` and `totals` are taken over (and smoothed in place for add-k). */
class BleuParts {
  score = 0;
  precisions: number[];
  bp: number;
  ratio: number;

  constructor(
    readonly sysLen: number,
    readonly refLen: number,
    readonly counts: number[],
    readonly totals: number[],
    maxOrder: number,
  ) {
    this.precisions = zeros(maxOrder);
    this.bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
    this.ratio = refLen ? sysLen / refLen : 0;
  }
}

/** A new array of `length` zeros (packed small integers). */
function zeros(length: number): number[] {
  if (length === 4) return [0, 0, 0, 0];
  const values: number[] = [];
  for (let index = 0; index < length; index++) values.push(0);
  return values;
}

/** sacreBLEU's `compute_bleu`, in its order of floating-point operations. */
function bleuParts(
  sysLen: number,
  refLen: number,
  counts: number[],
  totals: number[],
  smoothMethod: SmoothMethod,
  smoothValueOption: number | null,
  useEffectiveOrder: boolean,
  maxOrder: number,
): BleuParts {
  return scoreParts(new BleuParts(sysLen, refLen, counts, totals, maxOrder), smoothMethod, smoothValueOption, useEffectiveOrder, maxOrder);
}

/** Sets `parts.score` and `parts.precisions` (and smooths its counts and totals for add-k), in sacreBLEU's order of operations. */
function scoreParts<Parts extends BleuParts>(parts: Parts, smoothMethod: SmoothMethod, smoothValueOption: number | null, useEffectiveOrder: boolean, maxOrder: number): Parts {
  const { counts, totals } = parts;
  let anyMatch = false;
  for (const count of counts) if (count !== 0) anyMatch = true;
  if (!anyMatch) return parts;
  const smoothValue = smoothValueOption ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0;
  const { precisions } = parts;
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
    if (useEffectiveOrder) effectiveOrder = n;
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
  parts.score = parts.bp * Math.exp(logSum / effectiveOrder);
  return parts;
}

/** A BLEU score whose signature is formatted on first read (most reward calls never look at it). */
class BleuResult extends BleuParts implements BleuScore {
  #signature: string | undefined;
  readonly #prepared: PreparedBleu;
  readonly #nrefs: number | 'var';

  constructor(sysLen: number, refLen: number, counts: number[], totals: number[], prepared: PreparedBleu, nrefs: number | 'var') {
    super(sysLen, refLen, counts, totals, prepared.maxOrder);
    this.#prepared = prepared;
    this.#nrefs = nrefs;
    scoreParts(this, prepared.smoothMethod, prepared.smoothValue, prepared.effectiveOrder, prepared.maxOrder);
  }

  get signature(): string {
    this.#signature ??= signatureOf(this.#prepared, this.#nrefs, false);
    return this.#signature;
  }

  toJSON(): Omit<BleuScore, never> {
    return { score: this.score, counts: this.counts, totals: this.totals, precisions: this.precisions, bp: this.bp, sysLen: this.sysLen, refLen: this.refLen, ratio: this.ratio, signature: this.signature };
  }
}

interface PreparedBleu {
  tokenizerName: string;
  lowercase: boolean;
  smoothMethod: SmoothMethod;
  smoothValue: number | null;
  effectiveOrder: boolean;
  maxOrder: number;
  /** The space of this tokenizer, case and order (looked up on first use, replaced when full). */
  space: BleuSpace | undefined;
}

const NO_OPTIONS: BleuOptions = {};

function prepare(options: BleuOptions, effectiveOrderDefault: boolean): PreparedBleu {
  const tokenizerName = options.tokenize ?? '13a';
  // fails here for tokenizers that cannot run
  getTokenListFunction(tokenizerName);
  const smoothMethod = options.smooth_method ?? 'exp';
  if (!Object.prototype.hasOwnProperty.call(SMOOTH_DEFAULTS, smoothMethod)) {
    throw new RewardError('INVALID_OPTIONS', `unknown smooth_method '${String(smoothMethod)}'; expected exp, floor, add-k or none`, { path: 'smooth_method' });
  }
  const smoothValue = options.smooth_value ?? null;
  if (smoothValue !== null && !(Number.isFinite(smoothValue) && smoothValue >= 0)) {
    throw new RewardError('INVALID_OPTIONS', `smooth_value must be a finite number >= 0 (got ${smoothValue})`, { path: 'smooth_value' });
  }
  const maxOrder = options.max_ngram_order ?? MAX_NGRAM_ORDER;
  if (!Number.isInteger(maxOrder) || maxOrder < 1 || maxOrder > MAX_TABLE_ORDER) {
    throw new RewardError('INVALID_OPTIONS', `max_ngram_order must be an integer in [1, ${MAX_TABLE_ORDER}] (got ${maxOrder})`, { path: 'max_ngram_order' });
  }
  return {
    tokenizerName,
    lowercase: options.lowercase ?? false,
    smoothMethod,
    smoothValue,
    effectiveOrder: options.effective_order ?? effectiveOrderDefault,
    maxOrder,
    space: undefined,
  };
}

/** The sentence-level settings of no options. */
let defaultSentence: PreparedBleu | undefined;
/** The options of the last sentence-level call with options, field by field, and their settings. */
let lastSentence: (BleuOptions & { prepared: PreparedBleu }) | undefined;

/**
 * The settings of a sentence-level call: the same option values as the last call (a reward passes
 * the same values every call, often in a new object) reuse its validated settings.
 */
function sentencePrepared(options: BleuOptions | undefined): PreparedBleu {
  if (options === undefined) return (defaultSentence ??= prepare(NO_OPTIONS, true));
  const last = lastSentence;
  if (
    last !== undefined &&
    options.tokenize === last.tokenize &&
    options.lowercase === last.lowercase &&
    options.smooth_method === last.smooth_method &&
    options.smooth_value === last.smooth_value &&
    options.effective_order === last.effective_order &&
    options.max_ngram_order === last.max_ngram_order
  ) {
    return last.prepared;
  }
  const prepared = prepare(options, true);
  lastSentence = {
    tokenize: options.tokenize,
    lowercase: options.lowercase,
    smooth_method: options.smooth_method,
    smooth_value: options.smooth_value,
    effective_order: options.effective_order,
    max_ngram_order: options.max_ngram_order,
    prepared,
  };
  return prepared;
}

/** Lines cached per space (sacreBLEU's tokenizers keep 2^16 lines). */
const MAX_CACHED_LINES = 1 << 16;
/** Cached token ids per space, counting 8 per line for its entry. */
const MAX_CACHED_WEIGHT = 1 << 23;

/**
 * Token ids of lines and n-gram tables of recent reference sets, for one tokenizer, case and
 * order setting. Lines are cached by content, first in first out, as sacreBLEU's tokenizers
 * cache; a reference's cached ids also key its n-gram table.
 */
class BleuSpace {
  readonly tokenIds = new TokenTable();
  /** Line (before lowercasing and tokenizing) to its token ids. */
  private readonly lines = new ContentCache<Int32Array>(MAX_CACHED_LINES, MAX_CACHED_WEIGHT);
  /** The merged n-gram tables of recent reference sets. */
  readonly tables = new RecentIdTables(16);
  private readonly tokens: (line: string) => string[];
  /** 13a: printable-ASCII lines take the fast path. */
  private readonly ascii13a: boolean;

  constructor(
    tokenizerName: string,
    private readonly lowercase: boolean,
  ) {
    this.tokens = getTokenListFunction(tokenizerName);
    this.ascii13a = tokenizerName === '13a';
  }

  /** sacreBLEU's `_preprocess_segment` (lowercase, rstrip, tokenize), as token ids. */
  ids(line: string): Int32Array {
    return this.lines.peek(line) ?? this.read(line);
  }

  private read(line: string): Int32Array {
    const text = this.lowercase ? line.toLowerCase() : line;
    const ids = (this.ascii13a ? this.read13aAscii(text) : undefined) ?? this.tokenIds.of(this.tokens(pyRstrip(text)));
    this.lines.put(line, ids, ids.length + 8);
    return ids;
  }

  /** The ids of a printable-ASCII line by the 13a fast path (the same tokens), else undefined. */
  private read13aAscii(text: string): Int32Array | undefined {
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
    const count = ranges13aAscii(text, end, SCRATCH_RANGES);
    if (count < 0) return undefined;
    const ranges = SCRATCH_RANGES.value;
    const ids = idArray(count);
    for (let index = 0; index < count; index++) ids[index] = this.tokenIds.idOfRange(text, ranges[index * 2] as number, ranges[index * 2 + 1] as number);
    return ids;
  }
}

/** Token ranges of the line being read (scoring is synchronous, so one buffer serves every space). */
const SCRATCH_RANGES = { value: new Int32Array(256) };

/** Distinct tokens one space numbers before it is replaced (ids stay small integers; memory stays bounded). */
const MAX_SPACE_TOKENS = 1 << 22;
/** Spaces by tokenizer name, then by 2 * max order + lowercase (no key string built per call). */
const spaces = new Map<string, Map<number, BleuSpace>>();

function spaceOf(prepared: PreparedBleu): BleuSpace {
  const current = prepared.space;
  if (current !== undefined && current.tokenIds.size <= MAX_SPACE_TOKENS) return current;
  let byTokenizer = spaces.get(prepared.tokenizerName);
  if (byTokenizer === undefined) {
    byTokenizer = new Map();
    spaces.set(prepared.tokenizerName, byTokenizer);
  }
  const key = prepared.maxOrder * 2 + (prepared.lowercase ? 1 : 0);
  let space = byTokenizer.get(key);
  if (space === undefined || space.tokenIds.size > MAX_SPACE_TOKENS) {
    space = new BleuSpace(prepared.tokenizerName, prepared.lowercase);
    byTokenizer.set(key, space);
  }
  prepared.space = space;
  return space;
}

function closestReferenceLength(hypothesisLength: number, referenceIds: readonly Int32Array[]): number {
  let closestDiff = -1;
  let closestLength = -1;
  for (const ids of referenceIds) {
    const length = ids.length;
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

/**
 * The n-gram counting of sacreBLEU's `_compute_segment_statistics`: the hypothesis's clipped
 * matches per order against the references' merged n-gram counts (the largest count of each
 * n-gram in any one reference), added into `counts`, and its n-grams per order into `totals`;
 * returns the closest reference length. Tokens are numbered once per metric configuration,
 * every line's token ids and the references' n-gram tables are cached by content (the references
 * of one prompt score all its rollouts), and the hypothesis is matched against the table without
 * building its own counts.
 */
function addSegmentStatistics(hypothesisIds: Int32Array, references: readonly string[], space: BleuSpace, maxOrder: number, counts: number[], totals: number[]): number {
  if (references.length === 1) return addOneReferenceStatistics(hypothesisIds, references[0] as string, space, maxOrder, counts, totals);
  const referenceIds: Int32Array[] = [];
  for (const reference of references) referenceIds.push(space.ids(reference));
  addMatches(hypothesisIds, space.tables.ofMany(referenceIds, maxOrder), maxOrder, counts, totals);
  return closestReferenceLength(hypothesisIds.length, referenceIds);
}

/** {@link addSegmentStatistics} for one reference. */
function addOneReferenceStatistics(hypothesisIds: Int32Array, reference: string, space: BleuSpace, maxOrder: number, counts: number[], totals: number[]): number {
  const referenceIds = space.ids(reference);
  addMatches(hypothesisIds, space.tables.ofOne(referenceIds, maxOrder), maxOrder, counts, totals);
  return referenceIds.length;
}

function addMatches(hypothesisIds: Int32Array, table: NgramTable, maxOrder: number, counts: number[], totals: number[]): void {
  const sysLen = hypothesisIds.length;
  for (let n = 1; n <= maxOrder; n++) totals[n - 1] = (totals[n - 1] as number) + Math.max(0, sysLen - n + 1);
  table.matchInto(hypothesisIds, maxOrder, counts);
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
  const { maxOrder } = prepared;
  let sysLen = 0;
  let refLen = 0;
  const counts = zeros(maxOrder);
  const totals = zeros(maxOrder);
  let referenceCount = -1;
  for (const { hypothesis, references } of segments) {
    referenceCount = referenceCount === -1 || referenceCount === references.length ? references.length : -2;
    const space = spaceOf(prepared);
    const hypothesisIds = space.ids(hypothesis);
    refLen += addSegmentStatistics(hypothesisIds, references, space, maxOrder, counts, totals);
    sysLen += hypothesisIds.length;
  }
  return new BleuResult(sysLen, refLen, counts, totals, prepared, referenceCount === -2 ? 'var' : Math.max(0, referenceCount));
}

/** The one usable reference of `references` (a string, or an array of one non-empty string), else undefined. */
function singleReference(references: SegmentReferences): string | undefined {
  if (typeof references === 'string') return references;
  if (Array.isArray(references) && references.length === 1) {
    const only: unknown = references[0];
    if (typeof only === 'string' && only !== '') return only;
  }
  return undefined;
}

/**
 * Sentence-level BLEU, as sacreBLEU's `BLEU(effective_order=True).sentence_score(hypothesis, references)`
 * (effective order on unless `effective_order: false`).
 * @param hypothesis the system output
 * @param references one reference or several (empty ones are ignored)
 * @returns BLEU with `score` in [0, 100]
 */
export function sentenceBleu(hypothesis: string, references: SegmentReferences, options?: BleuOptions): BleuScore {
  if (typeof hypothesis !== 'string') throw new RewardError('INVALID_INPUT', 'hypothesis must be a string', { path: 'hypothesis' });
  // one reference, the usual case, without building a list
  const single = singleReference(references);
  const usable = single === undefined ? usableReferences(references) : undefined;
  const prepared = sentencePrepared(options);
  const { maxOrder } = prepared;
  const space = spaceOf(prepared);
  const hypothesisIds = space.ids(hypothesis);
  const counts = zeros(maxOrder);
  const totals = zeros(maxOrder);
  const refLen =
    usable === undefined
      ? addOneReferenceStatistics(hypothesisIds, single as string, space, maxOrder, counts, totals)
      : addSegmentStatistics(hypothesisIds, usable, space, maxOrder, counts, totals);
  return new BleuResult(hypothesisIds.length, refLen, counts, totals, prepared, usable === undefined ? 1 : usable.length);
}

/**
 * Corpus-level BLEU, as sacreBLEU's `corpus_bleu(hypotheses, references)` (effective order off
 * unless `effective_order: true`). `references` is sacreBLEU's layout: a list of reference streams,
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
