/**
 * Financial figures as they are written: currency symbols and codes, thousands and decimal
 * separators of several locales, scale words and suffixes, accounting negatives, percent, basis
 * points and multiples, and ranges. One linear scan; no backtracking regular expression runs over
 * the whole text.
 */

/** What a figure measures. */
export type FigureKind = 'number' | 'percent' | 'multiple';

/** How to read `1.234` and `1,234` when the shape leaves a doubt. */
export type NumberLocale = 'auto' | 'us' | 'eu' | 'ch' | 'in';

/** One figure found in a text. */
export interface Figure {
  /** The value: for `percent`, the number of percent (`12.5%` and `1250 bps` are 12.5); otherwise the amount with its scale applied (`$1.2 million` is 1,200,000). */
  value: number;
  /** `number`, `percent` or `multiple` (`4.2x`). */
  kind: FigureKind;
  /** Canonical currency when one is written: `USD`, `EUR`, `GBP`, `JPY`, `CNY`, `INR`, `CHF`, …; `$` (a dollar of unstated country) and `¥` (yen or yuan) stay as symbols. */
  currency?: string;
  /** Scale multiplier applied (1, 1e3, 1e6, 1e9, 1e12, 1e4 for 万, 1e8 for 亿, 1e5 lakh, 1e7 crore); basis points use 0.01. */
  scale: number;
  /** Digits shown after the decimal separator, >= 0 (for "match at the precision shown"). */
  decimals: number;
  /** The figure as written. */
  text: string;
  /** Offset of the first character in the scanned (normalised) text, >= 0. */
  start: number;
  /** Offset after the last character in the scanned (normalised) text. */
  end: number;
  /** True when a year-like bare integer (1900-2100, no unit). */
  yearLike: boolean;
}

/** A single figure, or a range of two. */
export type FigureItem = { kind: 'single'; figure: Figure } | { kind: 'range'; low: Figure; high: Figure };

const CURRENCY_PREFIX: [string, string][] = [
  ['US$', 'USD'], ['USD', 'USD'], ['U.S.$', 'USD'], ['C$', 'CAD'], ['CA$', 'CAD'], ['A$', 'AUD'], ['AU$', 'AUD'], ['HK$', 'HKD'], ['S$', 'SGD'], ['NZ$', 'NZD'],
  ['EUR', 'EUR'], ['GBP', 'GBP'], ['JPY', 'JPY'], ['CNY', 'CNY'], ['RMB', 'CNY'], ['INR', 'INR'], ['CHF', 'CHF'], ['CAD', 'CAD'], ['AUD', 'AUD'], ['HKD', 'HKD'],
  ['Rs.', 'INR'], ['Rs', 'INR'], ['₹', 'INR'], ['$', '$'], ['€', 'EUR'], ['£', 'GBP'], ['¥', '¥'], ['￥', '¥'], ['元', 'CNY'], ['RM', 'MYR'],
];
const CURRENCY_SUFFIX: [string, string][] = [
  ['US dollars', 'USD'], ['dollars', '$'], ['dollar', '$'], ['euros', 'EUR'], ['euro', 'EUR'], ['pounds', 'GBP'], ['pound', 'GBP'], ['yen', 'JPY'], ['yuan', 'CNY'], ['renminbi', 'CNY'],
  ['rupees', 'INR'], ['rupee', 'INR'], ['francs', 'CHF'], ['USD', 'USD'], ['EUR', 'EUR'], ['GBP', 'GBP'], ['JPY', 'JPY'], ['CNY', 'CNY'], ['RMB', 'CNY'], ['INR', 'INR'], ['CHF', 'CHF'],
  ['CAD', 'CAD'], ['AUD', 'AUD'], ['HKD', 'HKD'], ['€', 'EUR'], ['元', 'CNY'], ['円', 'JPY'], ['$', '$'],
];
const SCALE_WORDS: [string, number][] = [
  ['thousand', 1e3], ['million', 1e6], ['billion', 1e9], ['trillion', 1e12], ['lakhs', 1e5], ['lakh', 1e5], ['crores', 1e7], ['crore', 1e7],
  ['mln', 1e6], ['bln', 1e9], ['mn', 1e6], ['bn', 1e9], ['tn', 1e12], ['MM', 1e6], ['百万', 1e6], ['千万', 1e7], ['万亿', 1e12], ['十亿', 1e9], ['万', 1e4], ['亿', 1e8], ['千', 1e3],
];
/** Entries of a word list by their first character, lower-cased (so a probe tries only the words that can match). */
function byFirstCharacter<Value>(entries: readonly [string, Value][]): Map<string, [string, Value][]> {
  const map = new Map<string, [string, Value][]>();
  for (const entry of entries) {
    const key = entry[0][0]!.toLowerCase();
    const list = map.get(key) ?? [];
    list.push(entry);
    map.set(key, list);
  }
  return map;
}
const SCALE_BY_FIRST = byFirstCharacter(SCALE_WORDS);
const CURRENCY_SUFFIX_BY_FIRST = byFirstCharacter(CURRENCY_SUFFIX);

// Single-letter suffixes: only directly after the digits (or after one space for capitals), and not followed by a letter.
const SCALE_LETTERS: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, b: 1e9, B: 1e9, T: 1e12 };

// Percent words right at a position (sticky: no slice of the text per figure).
const PERCENT_WORD = /(percent|per\s+cent|pct|percentage\s+points|pp|basis\s+points?|bps|bp)(?![\p{L}\p{N}])/iuy;

const NEEDS_NORMALISING = /[\\{−‒０-９]|[ \t]{2}/;

/** Normalise LaTeX and typography around figures: `\$`, `\%`, `{,}`, `\,`, `\text{…}`, `−`. */
export function normalizeFigureText(text: string): string {
  if (!NEEDS_NORMALISING.test(text)) return text;
  return text
    .replace(/\\(?:text|mathrm|textrm|mbox|operatorname)\s*\{([^{}]*)\}/g, ' $1 ')
    .replace(/\\%/g, '%')
    .replace(/\\\$/g, '$')
    .replace(/\{,\}/g, ',')
    .replace(/(\d)\\[,;:!]\s?(?=\d)/g, '$1\u2009')
    .replace(/\\(?:times|cdot)/g, '×')
    .replace(/\\(?:left|right)/g, '')
    .replace(/[−‒]/g, '-')
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[ \t]{2,}/g, ' ');
}

const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';
const LETTER = /\p{L}/u;
const isLetter = (char: string | undefined): boolean => {
  if (char === undefined) return false;
  const code = char.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return LETTER.test(char);
};
const GROUP_SPACES = '\u00a0\u202f\u2009';

/** Read the digits of one number body (`1,234.56`, `1.234,56`, `1'234`, `1,23,456`): its value and decimals, or the list of numbers it really is (`10,12,15`). */
function readBody(body: string, locale: NumberLocale): { value: number; decimals: number } | { parts: string[] } | undefined {
  // Plain digits, or digits with one dot not followed by exactly three digits (never a grouping):
  // the common case, read without splitting. Everything else takes the full path below.
  let dot = -1;
  let simple = true;
  for (let at = 0; at < body.length; at++) {
    const code = body.charCodeAt(at);
    if (code === 46 && dot < 0) dot = at;
    else if (code < 48 || code > 57) {
      simple = false;
      break;
    }
  }
  if (simple && (dot < 0 || body.length - dot - 1 !== 3)) {
    const value = Number(dot === 0 ? `0${body}` : body);
    if (Number.isFinite(value)) return { value, decimals: dot < 0 ? 0 : body.length - dot - 1 };
  }
  let digits = body;
  for (const space of GROUP_SPACES) {
    if (digits.includes(space)) {
      const groups = digits.split(space);
      if (!groups.slice(1).every((group, index) => (index === groups.length - 2 ? /^\d{3}([.,]\d+)?$/ : /^\d{3}$/).test(group)) || !/^\d{1,3}$/.test(groups[0] as string)) return undefined;
      digits = groups.join('');
    }
  }
  if (/['’]/.test(digits)) {
    const groups = digits.split(/['’]/);
    if (!/^\d{1,3}$/.test(groups[0] as string) || !groups.slice(1).every((group, index) => (index === groups.length - 2 ? /^\d{3}(\.\d+)?$/ : /^\d{3}$/).test(group))) return undefined;
    digits = groups.join('');
  }
  const commas = (digits.match(/,/g) ?? []).length;
  const dots = (digits.match(/\./g) ?? []).length;
  let decimalSeparator: ',' | '.' | undefined;
  if (commas > 0 && dots > 0) decimalSeparator = digits.lastIndexOf(',') > digits.lastIndexOf('.') ? ',' : '.';
  else if (commas === 1) {
    const after = digits.length - digits.indexOf(',') - 1;
    decimalSeparator = after === 3 && locale !== 'eu' ? undefined : ',';
    if (after === 3 && locale === 'eu') decimalSeparator = ',';
  } else if (dots === 1) {
    const after = digits.length - digits.indexOf('.') - 1;
    decimalSeparator = after === 3 && locale === 'eu' ? undefined : '.';
  } else if (dots > 1 && commas === 0) decimalSeparator = undefined;
  else if (commas > 1 && dots === 0) decimalSeparator = undefined;
  const thousands = decimalSeparator === ',' ? '.' : decimalSeparator === '.' ? ',' : dots > 0 && commas === 0 ? '.' : ',';
  const [whole, fraction = ''] = decimalSeparator ? splitLast(digits, decimalSeparator) : [digits, ''];
  if (whole.includes(decimalSeparator ?? '\0')) return undefined;
  if (whole.includes(thousands)) {
    const groups = whole.split(thousands);
    const us = /^\d{1,3}$/.test(groups[0] as string) && groups.slice(1).every((group) => /^\d{3}$/.test(group));
    const indian = groups.length >= 3 && /^\d{1,2}$/.test(groups[0] as string) && groups.slice(1, -1).every((group) => /^\d{2}$/.test(group)) && /^\d{3}$/.test(groups[groups.length - 1] as string);
    const indianShort = groups.length === 2 && locale === 'in' && /^\d{1,2}$/.test(groups[0] as string) && /^\d{3}$/.test(groups[1] as string);
    if (!us && !indian && !indianShort) {
      // Not a grouping: a list of numbers written without spaces ("10,12,15").
      if (thousands === ',' && !decimalSeparator) return { parts: whole.split(',') };
      return undefined;
    }
  }
  if (!/^\d*$/.test(whole.split(thousands).join('')) || !/^\d*$/.test(fraction)) return undefined;
  const plain = `${whole.split(thousands).join('') || '0'}${fraction ? `.${fraction}` : ''}`;
  const value = Number(plain);
  if (!Number.isFinite(value)) return undefined;
  return { value, decimals: fraction.length };
}

function splitLast(text: string, separator: string): [string, string] {
  const at = text.lastIndexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}

function startsWithAt(text: string, at: number, word: string, caseSensitive: boolean): boolean {
  if (caseSensitive) return text.startsWith(word, at);
  if (at + word.length > text.length) return false;
  return text.slice(at, at + word.length).toLowerCase() === word.toLowerCase();
}

function wordBoundaryAfter(text: string, at: number): boolean {
  return !isLetter(text[at]) && !isDigit(text[at]);
}

/**
 * Scan a text for figures, in order. Years (bare integers 1900-2100 with no unit) are marked
 * `yearLike`. Linear in the text's length.
 *
 * @param input the text (LaTeX is normalised first: `\$`, `\%`, `{,}`, `\text{}`)
 * @param locale how to read `1.234` / `1,234` when the shape leaves a doubt (default `auto`: US
 *   unless both separators or a decimal comma that cannot be a thousands separator are present)
 */
export function scanFigures(input: string, locale: NumberLocale = 'auto'): { text: string; figures: Figure[]; links: ('range' | undefined)[] } {
  const text = normalizeFigureText(input.length > 200_000 ? input.slice(-200_000) : input);
  const figures: Figure[] = [];
  const links: ('range' | undefined)[] = [];
  let index = 0;
  while (index < text.length) {
    if (!isDigit(text[index]) && !(text[index] === '.' && isDigit(text[index + 1]) && !isDigit(text[index - 1]))) {
      index++;
      continue;
    }
    if (isLetter(text[index - 1]) && !/[$€£¥₹元]/.test(text[index - 1] as string) && !startsWithCurrencyEnding(text, index)) {
      // Digits glued to a word (Q3, FY2023, 10-K's K is after): skip the whole token.
      index++;
      while (index < text.length && (isDigit(text[index]) || isLetter(text[index]))) index++;
      continue;
    }
    // The body: digits and separators, ending on a digit.
    let end = index;
    while (end < text.length && (isDigit(text[end]) || ((text[end] === ',' || text[end] === '.' || text[end] === "'" || text[end] === '’' || GROUP_SPACES.includes(text[end] as string)) && isDigit(text[end + 1])))) end++;
    const body = text.slice(index, end);
    if (text[end] === '-' && isLetter(text[end + 1]) && !/[%万亿]/.test(text[end + 1] as string)) {
      // "10-K", "5-year", "S-1": part of a word, not a figure.
      index = end + 1;
      while (index < text.length && isLetter(text[index])) index++;
      continue;
    }
    // Prefix: currency, sign, accounting parenthesis (looked at backwards, up to 8 characters).
    let start = index;
    let negative = false;
    let currency: string | undefined;
    let accounting = false;
    const prefixStart = start;
    let cursor = start;
    for (let round = 0; round < 3; round++) {
      let moved = false;
      let probe = cursor;
      while (probe > 0 && text[probe - 1] === ' ') probe--;
      for (const [symbol, code] of CURRENCY_PREFIX) {
        if (currency === undefined && probe >= symbol.length && text.startsWith(symbol, probe - symbol.length) && !(isLetter(symbol[0]) && isLetter(text[probe - symbol.length - 1]))) {
          currency = code;
          cursor = probe - symbol.length;
          moved = true;
          break;
        }
      }
      if (moved) continue;
      if (probe > 0 && text[probe - 1] === '(' && !accounting) {
        accounting = true;
        cursor = probe - 1;
        moved = true;
        continue;
      }
      if (text[cursor - 1] === '-' || text[cursor - 1] === '+') {
        // A hyphen right after another figure is a range, not a minus sign.
        const previous = figures[figures.length - 1];
        const between = previous ? text.slice(previous.end, cursor - 1) : undefined;
        if (previous && between !== undefined && /^\s*$/.test(between)) break;
        if (text[cursor - 1] === '-') negative = !negative;
        cursor -= 1;
        moved = true;
        continue;
      }
      if (!moved) break;
    }
    start = cursor === prefixStart ? index : cursor;
    const read = readBody(body, locale);
    if (read === undefined) {
      index = end;
      continue;
    }
    if ('parts' in read) {
      let offset = index;
      for (const part of read.parts) {
        const value = Number(part);
        figures.push({ value, kind: 'number', scale: 1, decimals: 0, text: part, start: offset, end: offset + part.length, yearLike: false });
        links.push(undefined);
        offset += part.length + 1;
      }
      index = end;
      continue;
    }
    // Suffixes: scale, currency, percent / bps / multiple, in any order, each once.
    let cursorEnd = end;
    let scale = 1;
    let kind: FigureKind = 'number';
    let closedAccounting = false;
    for (let round = 0; round < 5; round++) {
      let probe = cursorEnd;
      while (probe < text.length && (text[probe] === ' ' || text[probe] === '\u00a0') && probe - cursorEnd < 2) probe++;
      const spaced = probe > cursorEnd;
      let matched = false;
      if (accounting && !closedAccounting && text[probe] === ')') {
        closedAccounting = true;
        cursorEnd = probe + 1;
        continue;
      }
      if (scale === 1 && kind === 'number') {
        for (const [word, factor] of SCALE_BY_FIRST.get((text[probe] ?? '').toLowerCase()) ?? []) {
          if (startsWithAt(text, probe, word, word === 'MM') && (!/^[a-z]/i.test(word) || wordBoundaryAfter(text, probe + word.length))) {
            scale = factor;
            cursorEnd = probe + word.length;
            matched = true;
            break;
          }
        }
        if (!matched) {
          const letter = text[probe] as string;
          const factor = SCALE_LETTERS[letter];
          if (factor !== undefined && wordBoundaryAfter(text, probe + 1) && (!spaced || /[A-Z]/.test(letter))) {
            scale = factor;
            cursorEnd = probe + 1;
            matched = true;
          }
        }
        if (matched) continue;
      }
      if (kind === 'number') {
        if (text[probe] === '%' || text[probe] === '％') {
          kind = 'percent';
          cursorEnd = probe + 1;
          continue;
        }
        PERCENT_WORD.lastIndex = probe;
        const word = PERCENT_WORD.exec(text);
        if (word) {
          const lower = (word[1] as string).toLowerCase();
          kind = 'percent';
          if (lower.startsWith('b')) scale = scale * 0.01;
          cursorEnd = probe + (word[0] as string).length;
          continue;
        }
        if ((text[probe] === 'x' || text[probe] === '×' || text[probe] === 'X') && !spaced && wordBoundaryAfter(text, probe + 1)) {
          kind = 'multiple';
          cursorEnd = probe + 1;
          continue;
        }
      }
      if (currency === undefined) {
        for (const [word, code] of CURRENCY_SUFFIX_BY_FIRST.get((text[probe] ?? '').toLowerCase()) ?? []) {
          if (startsWithAt(text, probe, word, /^[A-Z]{3}$/.test(word)) && (!isLetter(word[0]) || wordBoundaryAfter(text, probe + word.length))) {
            currency = code;
            cursorEnd = probe + word.length;
            matched = true;
            break;
          }
        }
        if (matched) continue;
      }
      break;
    }
    if (accounting && !closedAccounting) {
      // "(2.5" with no closing parenthesis: not an accounting negative.
      accounting = false;
      if (start < index && text[start] === '(') start++;
    }
    const value = (negative !== accounting ? -1 : 1) * read.value * scale;
    const yearLike = kind === 'number' && scale === 1 && currency === undefined && read.decimals === 0 && !negative && !accounting && read.value >= 1900 && read.value <= 2100 && /^\d{4}$/.test(body);
    const figure: Figure = { value, kind, scale, decimals: read.decimals, text: text.slice(start, cursorEnd).trim(), start, end: cursorEnd, yearLike };
    if (currency !== undefined) figure.currency = currency;
    figures.push(figure);
    links.push(undefined);
    // A range: "10-12%", "10 to 12", "between 10 and 12", "10%–12%".
    const previous = figures[figures.length - 2];
    if (previous) {
      const between = text.slice(previous.end, start);
      if (/^\s*(?:-|–|—|to|through|~)\s*$/i.test(between) || (/^\s*and\s*$/i.test(between) && /\bbetween\s*$/i.test(text.slice(Math.max(0, previous.start - 12), previous.start)))) links[links.length - 1] = 'range';
    }
    index = Math.max(cursorEnd, end);
  }
  return { text, figures, links };
}

function startsWithCurrencyEnding(text: string, index: number): boolean {
  return /(?:US\$|USD|EUR|GBP|JPY|CNY|RMB|INR|CHF|CAD|AUD|HKD|Rs\.?|RM)\s?$/.test(text.slice(Math.max(0, index - 5), index));
}

/** Give a range's bare end the unit of the other end (`10-12%`, `$1-2 million`). */
function completeRange(low: Figure, high: Figure): [Figure, Figure] {
  const fill = (bare: Figure, full: Figure): Figure => {
    let next = bare;
    if (bare.kind === 'number' && full.kind !== 'number') next = { ...next, kind: full.kind, value: (next.value / next.scale) * (full.kind === 'percent' ? full.scale : 1), scale: full.kind === 'percent' ? full.scale : next.scale };
    if (next.scale === 1 && full.scale !== 1 && full.kind === 'number') next = { ...next, value: next.value * full.scale, scale: full.scale };
    if (next.currency === undefined && full.currency !== undefined) next = { ...next, currency: full.currency };
    return next;
  };
  return [fill(low, high), fill(high, low)];
}

/**
 * Group scanned figures into items: single figures and ranges (`10%-12%`, `10 to 12%`, `between
 * 10% and 12%`). Year-like integers are left out when any other figure is present.
 */
export function figureItems(scan: ReturnType<typeof scanFigures>): FigureItem[] {
  const keep = scan.figures.some((figure) => !figure.yearLike) ? scan.figures.map((figure) => !figure.yearLike) : scan.figures.map(() => true);
  const items: FigureItem[] = [];
  for (let index = 0; index < scan.figures.length; index++) {
    const figure = scan.figures[index] as Figure;
    const next = scan.figures[index + 1];
    if (next && scan.links[index + 1] === 'range' && keep[index] && keep[index + 1]) {
      const [low, high] = completeRange(figure, next);
      items.push({ kind: 'range', low, high });
      index++;
      continue;
    }
    if (keep[index]) items.push({ kind: 'single', figure });
  }
  return items;
}
