import { RewardError } from '@mixreward/core';
import { pyNormalizeSpaces, pySplit, pyStrip } from './python-text.js';

/** The BLEU tokenizers that run in this package (sacreBLEU's names). */
export type BleuTokenizerName = '13a' | 'intl' | 'zh' | 'char' | 'none';

/** Every tokenizer name sacreBLEU 2.x accepts; those not in {@link BleuTokenizerName} need external tools. */
export type SacrebleuTokenizerName = BleuTokenizerName | 'ja-mecab' | 'ko-mecab' | 'spm' | 'flores101' | 'flores200';

/** The tokenizer names that run here, for option schemas and error messages. */
export const BLEU_TOKENIZERS: readonly BleuTokenizerName[] = ['13a', 'intl', 'zh', 'char', 'none'];

/** The sacreBLEU tokenizer names that need MeCab or SentencePiece models, which have no maintained JS port. */
export const UNAVAILABLE_TOKENIZERS: readonly string[] = ['ja-mecab', 'ko-mecab', 'spm', 'flores101', 'flores200'];

/** A BLEU tokenizer: a line in, the line with tokens separated by single spaces out. */
export type Tokenizer = (line: string) => string;

// sacreBLEU's TokenizerRegexp (shared by 13a and zh): each pattern is a one- or two-character
// window, so every pass is linear in the line length. Two shortcuts that give the same tokens:
// the space (0x20) is left out of the first class (padding a space with spaces changes nothing, and
// a space is inert in the later patterns, first or second), and passes whose trigger character is
// absent are skipped. Without the `u` flag a surrogate pair is matched unit by unit, which inserts
// the same spaces as matching it whole.
const PUNCTUATION_13A = /([\x7b-\x7e\x5b-\x60\x21-\x26\x28-\x2b\x3a-\x40\x2f])/g;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/g;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/g;
const DASH_AFTER_DIGIT = /([0-9])(-)/g;

/** The regex passes without the final whitespace normalisation. */
function regexpPostTokenizeRaw(line: string): string {
  let out = line.replace(PUNCTUATION_13A, ' $1 ');
  if (out.includes('.') || out.includes(',')) {
    out = out.replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ');
    out = out.replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2');
  }
  if (out.includes('-')) out = out.replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return out;
}

/**
 * sacreBLEU's `13a` tokenizer (mteval-v13a.pl): drops `<skipped>`, joins lines, unescapes four XML
 * entities, pads with spaces and splits off punctuation (period and comma only away from digits).
 */
export function tokenize13a(line: string): string {
  return pyNormalizeSpaces(tokenize13aRaw(line));
}

function tokenize13aRaw(line: string): string {
  let text = line;
  if (text.includes('<skipped>')) text = text.split('<skipped>').join('');
  if (text.includes('\n')) text = text.split('-\n').join('').split('\n').join(' ');
  if (text.includes('&')) {
    text = text.split('&quot;').join('"').split('&amp;').join('&').split('&lt;').join('<').split('&gt;').join('>');
  }
  return regexpPostTokenizeRaw(` ${text} `);
}

/** The characters of `PUNCTUATION_13A`, by code (ASCII). */
const PUNCTUATION_13A_CODES: Uint8Array = (() => {
  const table = new Uint8Array(128);
  const once = new RegExp(PUNCTUATION_13A.source);
  for (let code = 0; code < 128; code++) table[code] = once.test(String.fromCharCode(code)) ? 1 : 0;
  return table;
})();

const SPACE = 0x20;
/** An element of the scan buffers: a character's code in the low 7 bits, 1 + its index in the line above them (0 for an inserted space). */
const INSERTED_SPACE = SPACE;
/** Longest line the fast path takes (indices must fit above the 7 code bits of an int32). */
const MAX_FAST_LINE = 1 << 23;

let scanFrom: Int32Array = new Int32Array(1024);
let scanTo: Int32Array = new Int32Array(1024);

function isDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/**
 * The 13a tokenizer and Python's `split()` on a printable-ASCII line, without building strings:
 * the token ranges of `line[0..end)` as [start, end) pairs into `ranges` (which grows as needed and
 * is returned in `ranges.value`). Each pass of {@link tokenize13a}'s regular expressions is
 * replayed on an array of the line's characters and inserted spaces (each pattern is one or two
 * characters wide, so a left-to-right scan that resumes after each match replaces exactly what the
 * global regular expression replaces); since 13a only inserts spaces, every token is a run of the
 * line itself.
 * @returns the number of tokens, or -1 when the line is not for the fast path (a character outside
 * 0x20-0x7e, or `&` or `<`, which 13a's entity and `<skipped>` handling may change)
 * @internal
 */
export function ranges13aAscii(line: string, end: number, ranges: { value: Int32Array }): number {
  if (end >= MAX_FAST_LINE) return -1;
  if (scanFrom.length < end * 3 + 8) {
    scanFrom = new Int32Array(end * 3 + 8);
    scanTo = new Int32Array(end * 3 + 8);
  }
  // padding and the punctuation pass
  let from = scanFrom;
  let to = scanTo;
  let length = 0;
  let periods = false;
  let dashes = false;
  let swap: Int32Array;
  from[length++] = INSERTED_SPACE;
  for (let index = 0; index < end; index++) {
    const code = line.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === 0x26 || code === 0x3c) return -1;
    const element = code | ((index + 1) << 7);
    if (PUNCTUATION_13A_CODES[code] === 1 && code !== SPACE) {
      from[length++] = INSERTED_SPACE;
      from[length++] = element;
      from[length++] = INSERTED_SPACE;
    } else {
      from[length++] = element;
      if (code === 0x2e || code === 0x2c) periods = true;
      else if (code === 0x2d) dashes = true;
    }
  }
  from[length++] = INSERTED_SPACE;
  if (periods) {
    // ([^0-9])([.,]) -> '$1 $2 '
    if (to.length < length * 2) to = new Int32Array(length * 2);
    let out = 0;
    let index = 0;
    while (index < length) {
      const element = from[index] as number;
      if (index + 1 < length && !isDigitCode(element & 0x7f)) {
        const next = from[index + 1] as number;
        const nextCode = next & 0x7f;
        if (nextCode === 0x2e || nextCode === 0x2c) {
          to[out++] = element;
          to[out++] = INSERTED_SPACE;
          to[out++] = next;
          to[out++] = INSERTED_SPACE;
          index += 2;
          continue;
        }
      }
      to[out++] = element;
      index++;
    }
    swap = from;
    from = to;
    to = swap;
    length = out;
    // ([.,])([^0-9]) -> ' $1 $2'
    if (to.length < length * 2) to = new Int32Array(length * 2);
    out = 0;
    index = 0;
    while (index < length) {
      const element = from[index] as number;
      const code = element & 0x7f;
      if (index + 1 < length && (code === 0x2e || code === 0x2c)) {
        const next = from[index + 1] as number;
        if (!isDigitCode(next & 0x7f)) {
          to[out++] = INSERTED_SPACE;
          to[out++] = element;
          to[out++] = INSERTED_SPACE;
          to[out++] = next;
          index += 2;
          continue;
        }
      }
      to[out++] = element;
      index++;
    }
    swap = from;
    from = to;
    to = swap;
    length = out;
  }
  if (dashes) {
    // ([0-9])(-) -> '$1 $2 '
    if (to.length < length * 2) to = new Int32Array(length * 2);
    let out = 0;
    let index = 0;
    while (index < length) {
      const element = from[index] as number;
      if (index + 1 < length && isDigitCode(element & 0x7f)) {
        const next = from[index + 1] as number;
        if ((next & 0x7f) === 0x2d) {
          to[out++] = element;
          to[out++] = INSERTED_SPACE;
          to[out++] = next;
          to[out++] = INSERTED_SPACE;
          index += 2;
          continue;
        }
      }
      to[out++] = element;
      index++;
    }
    swap = from;
    from = to;
    to = swap;
    length = out;
  }
  // keep the larger buffers for the next line
  if (from.length > scanFrom.length || to.length > scanTo.length) {
    scanFrom = from.length >= to.length ? from : to;
    scanTo = new Int32Array(scanFrom.length);
  }
  // split: every run of non-spaces is a token, a run of the line
  let out = ranges.value;
  if (out.length < length + 2) {
    out = new Int32Array(length + 2);
    ranges.value = out;
  }
  let count = 0;
  let start = -1;
  let last = -1;
  for (let index = 0; index < length; index++) {
    const element = from[index] as number;
    if ((element & 0x7f) === SPACE) {
      if (start >= 0) {
        out[count * 2] = start;
        out[count * 2 + 1] = last + 1;
        count++;
        start = -1;
      }
    } else {
      last = (element >>> 7) - 1;
      if (start < 0) start = last;
    }
  }
  if (start >= 0) {
    out[count * 2] = start;
    out[count * 2 + 1] = last + 1;
    count++;
  }
  return count;
}

const INTL_PUNCTUATION_AFTER_NON_NUMBER = /(\P{N})(\p{P})/gu;
const INTL_PUNCTUATION_BEFORE_NON_NUMBER = /(\p{P})(\P{N})/gu;
const INTL_SYMBOL = /(\p{S})/gu;

/**
 * sacreBLEU's `intl` tokenizer (mteval-v14.pl international): splits Unicode punctuation (`\p{P}`)
 * not between digits, and every symbol (`\p{S}`).
 */
export function tokenizeIntl(line: string): string {
  return pyNormalizeSpaces(tokenizeIntlRaw(line));
}

function tokenizeIntlRaw(line: string): string {
  let out = line.replace(INTL_PUNCTUATION_AFTER_NON_NUMBER, '$1 $2 ');
  out = out.replace(INTL_PUNCTUATION_BEFORE_NON_NUMBER, ' $1 $2');
  return out.replace(INTL_SYMBOL, ' $1 ');
}

/**
 * The code-unit ranges sacreBLEU's `zh` tokenizer treats as Chinese characters, as its Python
 * comparison really evaluates them: its two "UTF16" entries are written `'\u20000'` and
 * `'\u2f800'`, which Python reads as two-character strings, so they cover U+2001..U+2A6D (general
 * punctuation, currency, arrows, math, ...) and U+2F81..U+2FA1, and never the astral CJK planes.
 */
const ZH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d],
  [0x2f81, 0x2fa1],
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

const ZH_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (const [start, end] of ZH_RANGES) table.fill(1, start, end + 1);
  return table;
})();

/** True when sacreBLEU's `zh` tokenizer separates this BMP code unit (surrogates never match). */
export function isZhSeparatedChar(code: number): boolean {
  return code < 0x10000 && ZH_TABLE[code] === 1;
}

/**
 * sacreBLEU's `zh` tokenizer: strips the line, puts spaces around every character of its Chinese
 * ranges (see `isZhSeparatedChar` in this file), then applies the `13a` punctuation rules (without 13a's
 * padding or XML unescaping).
 */
export function tokenizeZh(line: string): string {
  return pyNormalizeSpaces(tokenizeZhRaw(line));
}

function tokenizeZhRaw(line: string): string {
  const text = pyStrip(line);
  let out = '';
  let runStart = 0;
  for (let index = 0; index < text.length; index++) {
    if (ZH_TABLE[text.charCodeAt(index)] === 1) {
      out += `${text.slice(runStart, index)} ${text[index]} `;
      runStart = index + 1;
    }
  }
  out += text.slice(runStart);
  return regexpPostTokenizeRaw(out);
}

/** sacreBLEU's `char` tokenizer: every code point becomes a token (whitespace is dropped later). */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}

/** sacreBLEU's `none` tokenizer: the line unchanged (BLEU still splits it on whitespace). */
export function tokenizeNone(line: string): string {
  return line;
}

const RAW_TOKENIZERS: Record<BleuTokenizerName, Tokenizer> = {
  '13a': tokenize13aRaw,
  intl: tokenizeIntlRaw,
  zh: tokenizeZhRaw,
  char: tokenizeChar,
  none: tokenizeNone,
};

/**
 * The tokens of a line for BLEU: the named tokenizer followed by Python's `split()`, without
 * joining and re-splitting. Same errors as {@link getTokenizer}.
 * @internal
 */
export function getTokenListFunction(name: string): (line: string) => string[] {
  getTokenizer(name);
  const raw = RAW_TOKENIZERS[name as BleuTokenizerName];
  let tokens = TOKEN_LIST_FUNCTIONS.get(raw);
  if (tokens === undefined) {
    tokens = (line) => pySplit(raw(line));
    TOKEN_LIST_FUNCTIONS.set(raw, tokens);
  }
  return tokens;
}

const TOKEN_LIST_FUNCTIONS = new Map<Tokenizer, (line: string) => string[]>();

const TOKENIZERS: Record<BleuTokenizerName, Tokenizer> = {
  '13a': tokenize13a,
  intl: tokenizeIntl,
  zh: tokenizeZh,
  char: tokenizeChar,
  none: tokenizeNone,
};

/**
 * The BLEU tokenizer with sacreBLEU's name. `ja-mecab`, `ko-mecab` and the SentencePiece tokenizers
 * throw `RewardError('DEPENDENCY_UNAVAILABLE')`: they need MeCab/SentencePiece models that no
 * maintained JS package provides; an unknown name throws `RewardError('INVALID_OPTIONS')`.
 */
export function getTokenizer(name: string): Tokenizer {
  if (Object.prototype.hasOwnProperty.call(TOKENIZERS, name)) return TOKENIZERS[name as BleuTokenizerName];
  if (UNAVAILABLE_TOKENIZERS.includes(name)) {
    const fix =
      name === 'ja-mecab'
        ? "use tokenize: 'char' for Japanese (what translation.bleu picks for lang ja)"
        : name === 'ko-mecab'
          ? "use tokenize: '13a' or 'char' for Korean"
          : "use tokenize: '13a', 'intl' or 'char'";
    throw new RewardError(
      'DEPENDENCY_UNAVAILABLE',
      `the sacreBLEU tokenizer '${name}' needs ${name.endsWith('mecab') ? 'MeCab and its dictionary' : 'a SentencePiece model'}, which no maintained JavaScript package provides; ${fix}`,
    );
  }
  throw new RewardError('INVALID_OPTIONS', `unknown BLEU tokenizer '${name}'; expected one of ${BLEU_TOKENIZERS.join(', ')}`, { path: 'tokenize' });
}
