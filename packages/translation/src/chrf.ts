import { RewardError } from '@mixreward/core';
import { isPythonSpace, pySplit } from './python-text.js';
import { segmentsFromStreams, usableReferences, type SegmentReferences } from './segment-references.js';
import { formatSignature, referenceCountLabel } from './signature.js';
import { ContentCache, MAX_TABLE_ORDER, RecentTables, TokenIds, type NgramTable } from './ngram-table.js';

/** chrF / chrF++ options, sacreBLEU's names in camelCase. */
export interface ChrfOptions {
  /** Character n-gram order, integer >= 1. Default 6. */
  char_order?: number;
  /** Word n-gram order, integer >= 0: 0 is chrF, 2 is chrF++. Default 0. */
  word_order?: number;
  /** Recall weight beta, > 0. Default 2. */
  beta?: number;
  /** Lowercase first. Default false. */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams. Default false (whitespace removed). */
  whitespace?: boolean;
  /** chrF++.py/NLTK epsilon smoothing instead of sacreBLEU's effective order. Default false. */
  eps_smoothing?: boolean;
}

/** A chrF score, as sacreBLEU's `CHRFScore`. */
export interface ChrfScore {
  /** chrF in [0, 100]. */
  score: number;
  /** `chrF2`, `chrF2++`, ... (beta, then one `+` per word order). */
  name: string;
  /** Per order (characters 1..char_order, then words 1..word_order): [hypothesis n-grams, reference n-grams, matches]. */
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

const NO_OPTIONS: ChrfOptions = {};
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

function prepare(options: ChrfOptions): PreparedChrf {
  const charOrder = options.char_order ?? 6;
  const wordOrder = options.word_order ?? 0;
  const beta = options.beta ?? 2;
  if (!Number.isInteger(charOrder) || charOrder < 1 || charOrder > MAX_TABLE_ORDER) {
    throw new RewardError('INVALID_OPTIONS', `char_order must be an integer in [1, ${MAX_TABLE_ORDER}] (got ${charOrder})`, { path: 'char_order' });
  }
  if (!Number.isInteger(wordOrder) || wordOrder < 0 || wordOrder > MAX_TABLE_ORDER) {
    throw new RewardError('INVALID_OPTIONS', `word_order must be an integer in [0, ${MAX_TABLE_ORDER}] (got ${wordOrder})`, { path: 'word_order' });
  }
  if (!(Number.isFinite(beta) && beta > 0)) throw new RewardError('INVALID_OPTIONS', `beta must be a number > 0 (got ${beta})`, { path: 'beta' });
  return {
    charOrder,
    wordOrder,
    order: charOrder + wordOrder,
    beta,
    lowercase: options.lowercase ?? false,
    whitespace: options.whitespace ?? false,
    epsSmoothing: options.eps_smoothing ?? false,
  };
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

/** sacreBLEU's `CHRF._compute_f_score`, in the same order of floating-point operations. */
function fScore(statistics: readonly number[], prepared: PreparedChrf): number {
  const eps = 1e-16;
  let score = 0;
  let effective_order = 0;
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
      effective_order += 1;
    }
  }
  if (prepared.epsSmoothing) return (100 * score) / prepared.order;
  if (effective_order === 0) {
    averagePrecision = 0;
    averageRecall = 0;
  } else {
    averagePrecision /= effective_order;
    averageRecall /= effective_order;
  }
  if (averagePrecision + averageRecall) {
    let result = (1 + factor) * averagePrecision * averageRecall;
    result /= factor * averagePrecision + averageRecall;
    return 100 * result;
  }
  return 0;
}

/** Code points of `text` as ids (a lone surrogate is its code unit), Python whitespace dropped unless `keepWhitespace`. */
function codePoints(text: string, keepWhitespace: boolean): Int32Array {
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
    } else if (!keepWhitespace && isPythonSpace(code)) {
      continue;
    }
    ids[length++] = code;
  }
  return length === ids.length ? ids : ids.slice(0, length);
}

/** One line's characters (code points) and words as ids. */
interface ChrfLine {
  chars: Int32Array;
  words: Int32Array;
}

/** Word ids, cached lines and recent reference tables of one chrF configuration. */
interface ChrfSpace {
  wordIds: TokenIds;
  lines: ContentCache<ChrfLine>;
  charTables: RecentTables;
  wordTables: RecentTables;
}

/** Distinct words one space numbers before it is replaced (bounded memory). */
const MAX_SPACE_WORDS = 1 << 22;
/** Spaces by a number made of the orders and flags (no key string built per call). */
const spaces = new Map<number, ChrfSpace>();
const EMPTY = new Int32Array(0);

function spaceOf(prepared: PreparedChrf): ChrfSpace {
  // orders are at most 0xffff each, so the key stays below 2^34
  const key = (prepared.charOrder * 0x10000 + prepared.wordOrder) * 4 + (prepared.lowercase ? 2 : 0) + (prepared.whitespace ? 1 : 0);
  let space = spaces.get(key);
  if (space === undefined || space.wordIds.size > MAX_SPACE_WORDS) {
    space = { wordIds: new TokenIds(), lines: new ContentCache(1 << 16, 1 << 23), charTables: new RecentTables(16), wordTables: new RecentTables(16) };
    spaces.set(key, space);
  }
  return space;
}

function readLine(line: string, prepared: PreparedChrf, space: ChrfSpace): ChrfLine {
  return space.lines.get(
    line,
    (raw) => {
      const text = prepared.lowercase ? raw.toLowerCase() : raw;
      return { chars: codePoints(text, prepared.whitespace), words: prepared.wordOrder > 0 ? space.wordIds.of(separatePunctuation(text)) : EMPTY };
    },
    (read) => read.chars.length + read.words.length + 8,
  );
}

/**
 * [hypothesis n-grams (0 when the reference has none of that order), reference n-grams, matches]
 * for orders 1..maxOrder, as sacreBLEU's `_get_match_statistics` on its counters.
 */
function orderStatistics(hypothesis: Int32Array, reference: Int32Array, table: NgramTable, maxOrder: number, into: number[]): void {
  const matches = new Array<number>(maxOrder).fill(0);
  table.matchInto(hypothesis, maxOrder, matches);
  for (let n = 1; n <= maxOrder; n++) {
    const referenceCount = Math.max(0, reference.length - n + 1);
    into.push(referenceCount > 0 ? Math.max(0, hypothesis.length - n + 1) : 0, referenceCount, matches[n - 1] as number);
  }
}

/**
 * Statistics of one segment against its best reference, as sacreBLEU's
 * `_compute_segment_statistics`. Characters are code points compared as integers, words are
 * numbered once per configuration; each reference's n-gram tables (every order, built in one pass)
 * and each line's ids are cached by content, so the references of one prompt are read once for all
 * its rollouts.
 */
function segmentStatistics(hypothesis: string, references: readonly string[], prepared: PreparedChrf): number[] {
  const space = spaceOf(prepared);
  const hypothesisLine = readLine(hypothesis, prepared, space);
  let best: number[] = [];
  let bestScore = -1;
  for (const reference of references) {
    const referenceLine = readLine(reference, prepared, space);
    const statistics: number[] = [];
    const charTable = space.charTables.get(reference, () => [referenceLine.chars], prepared.charOrder);
    orderStatistics(hypothesisLine.chars, referenceLine.chars, charTable, prepared.charOrder, statistics);
    if (prepared.wordOrder > 0) {
      const wordTable = space.wordTables.get(reference, () => [referenceLine.words], prepared.wordOrder);
      orderStatistics(hypothesisLine.words, referenceLine.words, wordTable, prepared.wordOrder, statistics);
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

/** A chrF score whose name and signature are formatted on first read. */
class ChrfResult implements ChrfScore {
  readonly #prepared: PreparedChrf;
  readonly #nrefs: number | 'var';

  constructor(
    readonly score: number,
    readonly statistics: number[],
    prepared: PreparedChrf,
    nrefs: number | 'var',
  ) {
    this.#prepared = prepared;
    this.#nrefs = nrefs;
  }

  get name(): string {
    return `chrF${this.#prepared.beta}${'+'.repeat(this.#prepared.wordOrder)}`;
  }

  get signature(): string {
    return signatureOf(this.#prepared, this.#nrefs, false);
  }

  toJSON(): ChrfScore {
    return { score: this.score, name: this.name, statistics: this.statistics, signature: this.signature };
  }
}

function scoreSegments(segments: ReadonlyArray<{ hypothesis: string; references: string[] }>, prepared: PreparedChrf): ChrfScore {
  const sum = new Array<number>(prepared.order * 3).fill(0);
  const referenceCounts = new Set<number>();
  for (const { hypothesis, references } of segments) {
    referenceCounts.add(references.length);
    const statistics = segmentStatistics(hypothesis, references, prepared);
    for (let index = 0; index < sum.length; index++) sum[index] = (sum[index] as number) + (statistics[index] as number);
  }
  return new ChrfResult(fScore(sum, prepared), sum, prepared, referenceCountLabel(referenceCounts));
}

/**
 * Sentence-level chrF (chrF++ with `word_order: 2`), as sacreBLEU's `CHRF().sentence_score`;
 * with several references the one with the best F-score counts.
 * @returns chrF with `score` in [0, 100]
 */
export function sentenceChrf(hypothesis: string, references: SegmentReferences, options?: ChrfOptions): ChrfScore {
  if (typeof hypothesis !== 'string') throw new RewardError('INVALID_INPUT', 'hypothesis must be a string', { path: 'hypothesis' });
  const prepared = prepare(options ?? NO_OPTIONS);
  const usable = usableReferences(references);
  const statistics = segmentStatistics(hypothesis, usable, prepared);
  return new ChrfResult(fScore(statistics, prepared), statistics, prepared, usable.length);
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
