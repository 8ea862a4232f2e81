/**
 * Temporal spans read from free text: every way models write a start and an end time. One linear
 * scan turns the text into tokens (numbers, clock times, words, punctuation), a second pass turns
 * numbers into time mentions (units, compounds, frames) and drops numbers that are not times, and
 * a third pairs consecutive mentions into spans when the text between them says "range".
 * No backtracking regular expression runs on the input, so the work is linear in its length.
 */

import { answerRanges } from './answer-region.js';

/** One span as written: seconds, in the order the text gives them (`end < start` is possible). */
export interface ParsedSpan {
  /** Start in seconds (may be negative when the text writes a minus sign). */
  start: number;
  /** End in seconds. */
  end: number;
  /** The text the span was read from (trimmed, at most 80 characters). */
  text: string;
}

/** Where spans are read: the last answer block when there is one (`answer`), or the whole text (`anywhere`). */
export type SpanExtract = 'answer' | 'anywhere';

/** Options of {@link parseSpans}. */
export interface ParseSpansOptions {
  /** `answer` (default): the last `<answer>` block when the text has one, else the whole text; `anywhere`: the whole text. `<think>` blocks never count. */
  extract?: SpanExtract;
  /** Name of the answer tag, without brackets. Default `answer`. */
  answerTag?: string;
  /** Frames per second (> 0) for frame numbers ("frame 30 to frame 45"); without it frame spans are ignored. */
  fps?: number;
  /** What a number without a unit means: `seconds` (default) or `frames` (needs `fps`). */
  bareUnit?: 'seconds' | 'frames';
}

/** What {@link parseSpans} found. */
export interface ParsedSpans {
  /** The spans in the order written. */
  spans: ParsedSpan[];
  /** Where they were read: `answer` (an answer block), `text` (the whole text, think blocks removed). */
  region: 'answer' | 'text';
  /** Things a reason should mention (frame numbers without fps, a lone timestamp). */
  notes: string[];
}

const enum Kind {
  Number,
  Word,
  Punct,
  Newline,
}

interface Token {
  kind: Kind;
  start: number;
  end: number;
  /** Word: lower-cased text; punct: the character. */
  text: string;
  /** Number: its value (seconds for a clock time). */
  value: number;
  /** Number: written as a clock time (`mm:ss`, `hh:mm:ss`). */
  clock: boolean;
}

type Unit = 'h' | 'm' | 's' | 'ms' | 'frame';

interface Mention {
  /** Seconds (units applied), or frames for `frame`, or a bare number. */
  value: number;
  /** `time`: a number with a time unit (value in seconds); `clock`: a clock time (seconds); `frame`: a frame number; `bare`: no unit. */
  unit: 'time' | 'bare' | 'clock' | 'frame';
  /** For `time`: seconds per unit of its largest unit (what a bare partner takes: "1 to 2 minutes"). */
  scale: number;
  /** Index of the first and last token of the mention. */
  first: number;
  last: number;
  /** A bare number followed by a word that is not a time unit ("3 scenes"): a range with it is no time span. */
  countNoun: boolean;
}

const UNIT_WORDS = new Map<string, Unit>([
  ['h', 'h'],
  ['hr', 'h'],
  ['hrs', 'h'],
  ['hour', 'h'],
  ['hours', 'h'],
  ['m', 'm'],
  ['min', 'm'],
  ['mins', 'm'],
  ['minute', 'm'],
  ['minutes', 'm'],
  ['s', 's'],
  ['sec', 's'],
  ['secs', 's'],
  ['second', 's'],
  ['seconds', 's'],
  ['ms', 'ms'],
  ['msec', 'ms'],
  ['millisecond', 'ms'],
  ['milliseconds', 'ms'],
  ['frame', 'frame'],
  ['frames', 'frame'],
  ['fr', 'frame'],
  ['\u79d2', 's'],
  ['\u5206', 'm'],
  ['\u5e27', 'frame'],
]);

const UNIT_SECONDS: Record<Exclude<Unit, 'frame'>, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
const UNIT_RANK: Record<Unit, number> = { h: 4, m: 3, s: 2, ms: 1, frame: 0 };

/** Words that may follow a bare time ("from 10 to 20 he runs"); any other word makes the number a count ("3 scenes"). */
const FUNCTION_WORDS = new Set(
  (
    'to and or until till til through thru in on at of for with by from into onto the a an this that these those there ' +
    'he she it they we i you his her its their our my your when where while which who whom as so then than but ' +
    'is are was were be been being am do does did has have had will would can could may might should ' +
    'before after during within since about around approximately roughly approx nearly almost up down ' +
    'respectively also only just mark point timestamp time moment start starts end ends begin begins finish finishes ' +
    'inclusive exclusive'
  ).split(' '),
);

const START_WORDS = new Set(['start', 'starts', 'started', 'starting', 'begin', 'begins', 'beginning', 'began', 'start_time', 'starttime', 'start_sec', 'start_s', 'onset', 'from']);
const END_WORDS = new Set(['end', 'ends', 'ended', 'ending', 'end_time', 'endtime', 'end_sec', 'end_s', 'finish', 'finishes', 'finished', 'stop', 'stops', 'stopped', 'offset', 'until', 'till', 'to']);
const RANGE_WORDS = new Set(['to', 'until', 'till', 'til', 'through', 'thru', 'up', '\u5230', '\u81f3']);
const FILLER_WORDS = new Set(['\u949f', '\u7b2c', '\u4ece', '\u5927\u7ea6', 'about', 'around', 'approximately', 'approx', 'roughly', 'nearly', 'almost', 'the', 'second', 'seconds', 'sec', 's', 'time', 'timestamp', 'mark', 'at']);
const RANGE_PUNCT = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '~', '\u301c', '\uff5e', '>', '\u2192', '\u27f6', '\u21d2', '=']);
const FILLER_PUNCT = new Set(['"', "'", '\u201c', '\u201d', '\u2018', '\u2019', '`', '*', '_']);
const OPEN_BRACKETS = new Set(['[', '(', '{', '<', '\uff08', '\u3010']);
const CLOSE_BRACKETS = new Set([']', ')', '}', '>', '\uff09', '\u3011']);
const DURATION_BEFORE = new Set(['lasts', 'lasting', 'last', 'duration', 'length', 'lasted', 'total', 'spans', 'long']);
const LABEL_BEFORE = new Set(['event', 'events', 'segment', 'segments', 'step', 'steps', 'scene', 'scenes', 'clip', 'clips', 'shot', 'shots', 'part', 'parts', 'span', 'spans', 'interval', 'intervals', 'action', 'moment', 'no', 'number', 'option', 'query', 'answer', 'top', 'rank', 'round', 'video', 'chapter', 'line']);
const MAX_SPANS = 1000;
const MAX_CHARS = 200_000;

/** Loop iterations of the last parses (tokens visited, look-behinds, pairings): a machine-independent measure of work. */
let work = 0;

/**
 * The work counter of the parser (loop iterations since the last reset), for tests that check the
 * parser stays linear without timing it.
 * @internal
 */
export function parserWork(reset = false): number {
  const value = work;
  if (reset) work = 0;
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || (code > 0x2e7f && !(code >= 0x3000 && code <= 0x303f) && !(code >= 0xff00 && code <= 0xff65));
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 0xa0 || code === 0x3000 || code === 0x2009 || code === 0x202f || code === 11 || code === 12;
}

/** Read digits from `index`; returns the end index. */
function digitsEnd(text: string, index: number): number {
  let at = index;
  while (at < text.length && isDigit(text.charCodeAt(at))) at++;
  return at;
}

/** Tokenise `text[from, to)`: one pass, each character looked at a bounded number of times. */
function tokenize(text: string, from: number, end: number): Token[] {
  const tokens: Token[] = [];
  const to = Math.min(end, text.length);
  let index = from;
  while (index < to) {
    work++;
    const code = text.charCodeAt(index);
    if (code === 10) {
      tokens.push({ kind: Kind.Newline, start: index, end: index + 1, text: '\n', value: 0, clock: false });
      index++;
      continue;
    }
    if (isSpace(code)) {
      index++;
      continue;
    }
    const startsNumber = isDigit(code) || (code === 46 && index + 1 < to && isDigit(text.charCodeAt(index + 1)) && !(index > from && isDigit(text.charCodeAt(index - 1))));
    if (startsNumber) {
      // A number glued to a Latin word before it ("Qwen2", "x264") is part of a name, not a time.
      const glued = index > from && isLetter(text.charCodeAt(index - 1)) && text.charCodeAt(index - 1) < 0x2e80 && !UNIT_WORDS.has(lastWord(tokens)) && lastWord(tokens) !== 'f';
      let end = digitsEnd(text, index);
      let clock = false;
      let value: number;
      if (end < to && text.charCodeAt(end) === 58 && end - index <= 2 && end + 2 < to + 1 && isDigit(text.charCodeAt(end + 1)) && isDigit(text.charCodeAt(end + 2)) && !(end + 3 < to && isDigit(text.charCodeAt(end + 3)))) {
        // Clock time: m:ss, mm:ss, h:mm:ss, hh:mm:ss, with an optional fraction (. or ,).
        const parts = [Number(text.slice(index, end)), Number(text.slice(end + 1, end + 3))];
        end += 3;
        if (end + 2 < to + 1 && text.charCodeAt(end) === 58 && isDigit(text.charCodeAt(end + 1)) && isDigit(text.charCodeAt(end + 2)) && !(end + 3 < to && isDigit(text.charCodeAt(end + 3)))) {
          parts.push(Number(text.slice(end + 1, end + 3)));
          end += 3;
        }
        let fraction = 0;
        const separator = text.charCodeAt(end);
        if ((separator === 46 || separator === 44) && end + 1 < to && isDigit(text.charCodeAt(end + 1))) {
          const fractionEnd = digitsEnd(text, end + 1);
          if (!(fractionEnd < to && text.charCodeAt(fractionEnd) === 58)) {
            fraction = Number(`0.${text.slice(end + 1, fractionEnd)}`);
            end = fractionEnd;
          }
        }
        value = parts.reduce((total, part) => total * 60 + part, 0) + fraction;
        clock = true;
      } else {
        if (end < to && text.charCodeAt(end) === 46 && end + 1 < to && isDigit(text.charCodeAt(end + 1))) end = digitsEnd(text, end + 1);
        value = Number(text.slice(index, end));
      }
      if (glued || (end < to && (isDigit(text.charCodeAt(end)) || text.charCodeAt(end) === 46 && end + 1 < to && isDigit(text.charCodeAt(end + 1))))) {
        // A name such as "Qwen2.5" or a version "1.2.3": skip the whole run of digits, dots and Latin letters.
        while (end < to && (isDigit(text.charCodeAt(end)) || text.charCodeAt(end) === 46 || (isLetter(text.charCodeAt(end)) && text.charCodeAt(end) < 0x2e80))) end++;
        tokens.push({ kind: Kind.Word, start: index, end, text: '#name', value: 0, clock: false });
      } else {
        tokens.push({ kind: Kind.Number, start: index, end, text: '', value, clock });
      }
      index = end;
      continue;
    }
    if (isLetter(code)) {
      let end = index + 1;
      // CJK characters are one word each (no spaces between words); Latin words run on.
      if (code < 0x2e80) while (end < to && isLetter(text.charCodeAt(end)) && text.charCodeAt(end) < 0x2e80) end++;
      // A unit glued to the next number ("1h05m", "1m5s") ends the word before the digits.
      tokens.push({ kind: Kind.Word, start: index, end, text: text.slice(index, end).toLowerCase(), value: 0, clock: false });
      index = end;
      continue;
    }
    const char = text[index] as string;
    tokens.push({ kind: Kind.Punct, start: index, end: index + 1, text: char, value: 0, clock: false });
    index++;
  }
  return tokens;
}

function lastWord(tokens: readonly Token[]): string {
  const last = tokens[tokens.length - 1];
  return last !== undefined && last.kind === Kind.Word ? last.text : '';
}

/** Turn tokens into time mentions: units, compounds ("1 min 5 s"), frames, signs; numbers that are not times are left out. */
function findMentions(tokens: readonly Token[]): Mention[] {
  const mentions: Mention[] = [];
  for (let index = 0; index < tokens.length; index++) {
    work++;
    const token = tokens[index] as Token;
    if (token.kind !== Kind.Number) continue;
    const previous = tokens[index - 1];
    const next = tokens[index + 1];
    // A list marker: a number at the start of a line followed by "." or ")" ("1. 3-5 s").
    if (!token.clock && isLineStart(tokens, index) && next?.kind === Kind.Punct && (next.text === '.' || next.text === ')') && next.start === token.end) continue;
    // A label: "Event 2:", "segment 3", "#4".
    if (!token.clock && previous !== undefined && ((previous.kind === Kind.Word && LABEL_BEFORE.has(previous.text)) || (previous.kind === Kind.Punct && previous.text === '#'))) continue;
    if (!token.clock && next?.kind === Kind.Punct && next.text === ':' && next.start === token.end) continue;
    // A percentage or an ordinal ("50%", "3rd").
    if (next?.kind === Kind.Punct && next.text === '%') continue;
    if (next?.kind === Kind.Word && next.start === token.end && (next.text === 'st' || next.text === 'nd' || next.text === 'rd' || next.text === 'th')) continue;
    let sign = 1;
    if (previous?.kind === Kind.Punct && (previous.text === '-' || previous.text === '\u2212') && previous.end === token.start) {
      const before = tokens[index - 2];
      const afterNumber = before !== undefined && (before.kind === Kind.Number || (before.kind === Kind.Word && UNIT_WORDS.has(before.text)));
      if (!afterNumber) sign = -1;
    }
    const first = previous?.kind === Kind.Word && (previous.text === 'frame' || previous.text === 'frames' || previous.text === 'f') ? index - 1 : index;
    const frameBefore = first !== index;
    let value = token.value;
    let unit: Mention['unit'] = token.clock ? 'clock' : 'bare';
    let scale = 1;
    let last = index;
    let countNoun = false;
    if (frameBefore) unit = 'frame';
    else if (!token.clock && next?.kind === Kind.Word && UNIT_WORDS.has(next.text)) {
      const nextUnit = UNIT_WORDS.get(next.text) as Unit;
      last = index + 1;
      if (nextUnit === 'frame') unit = 'frame';
      else {
        scale = UNIT_SECONDS[nextUnit];
        value *= scale;
        // Compound: "1 min 5 s", "1h05m30s", "2 minutes and 5 seconds", "1 min, 5 s".
        let rank = UNIT_RANK[nextUnit];
        for (;;) {
          work++;
          let probe = last + 1;
          const joiner = tokens[probe];
          if (joiner !== undefined && ((joiner.kind === Kind.Word && joiner.text === 'and') || (joiner.kind === Kind.Punct && joiner.text === ','))) probe++;
          const part = tokens[probe];
          const partUnit = tokens[probe + 1];
          if (part?.kind !== Kind.Number || part.clock || partUnit?.kind !== Kind.Word || !UNIT_WORDS.has(partUnit.text)) break;
          const unitOf = UNIT_WORDS.get(partUnit.text) as Unit;
          if (unitOf === 'frame' || UNIT_RANK[unitOf] >= rank || (unitOf !== 'ms' && part.value >= 60)) break;
          value += part.value * UNIT_SECONDS[unitOf];
          rank = UNIT_RANK[unitOf];
          last = probe + 1;
        }
        unit = 'time';
      }
    } else if (!token.clock && next?.kind === Kind.Word && next.text !== '#name' && !FUNCTION_WORDS.has(next.text) && !START_WORDS.has(next.text) && !END_WORDS.has(next.text) && !RANGE_WORDS.has(next.text) && !FILLER_WORDS.has(next.text)) {
      countNoun = true;
    }
    // A duration, not a time: "95 seconds long", "lasts 12 s", "a length of 30 s".
    const after = tokens[last + 1];
    const skipTo = last;
    if (after?.kind === Kind.Word && (after.text === 'long' || after.text === 'duration' || (after.text === 'in' && tokens[last + 2]?.text === 'length'))) {
      index = skipTo;
      continue;
    }
    const before = tokens[first - 1];
    const beforeWord = before?.kind === Kind.Word ? before.text : before?.kind === Kind.Punct && before.text === ':' ? tokens[first - 2]?.text : undefined;
    index = skipTo;
    if (beforeWord !== undefined && DURATION_BEFORE.has(beforeWord)) continue;
    if (beforeWord === 'of' && DURATION_BEFORE.has(tokens[first - 2]?.text ?? '')) continue;
    if (beforeWord === 'for' && unit === 'time') continue;
    mentions.push({ value: sign * value, unit, scale, first, last, countNoun });
  }
  return mentions;
}

function isLineStart(tokens: readonly Token[], index: number): boolean {
  for (let at = index - 1; at >= 0; at--) {
    work++;
    const token = tokens[at] as Token;
    if (token.kind === Kind.Newline) return true;
    // At most a bullet and a quote or two before the number.
    if (token.kind === Kind.Punct && at >= index - 3 && (FILLER_PUNCT.has(token.text) || token.text === '-' || token.text === '\u2022')) continue;
    return false;
  }
  return true;
}

type Connection = 'range' | 'and' | 'comma' | 'keywords' | undefined;

/** How the tokens strictly between two mentions join them, if they do. */
function connection(tokens: readonly Token[], from: number, to: number): Connection {
  if (to - from > 24) return undefined;
  let range = false;
  let and = false;
  let comma = false;
  let endWord = false;
  let newline = false;
  let words = 0;
  for (let index = from; index < to; index++) {
    work++;
    const token = tokens[index] as Token;
    if (token.kind === Kind.Word) {
      if (END_WORDS.has(token.text) && !RANGE_WORDS.has(token.text)) endWord = true;
      if (RANGE_WORDS.has(token.text)) range = true;
      else if (token.text === 'and') and = true;
      else if (!FILLER_WORDS.has(token.text) && !END_WORDS.has(token.text)) words++;
    } else if (token.kind === Kind.Punct) {
      if (RANGE_PUNCT.has(token.text)) range = true;
      else if (token.text === ',' || token.text === ';' || token.text === '\uff0c') comma = true;
      else if (!FILLER_PUNCT.has(token.text) && token.text !== ':' && token.text !== '.' && !OPEN_BRACKETS.has(token.text) && !CLOSE_BRACKETS.has(token.text)) return undefined;
      else if (OPEN_BRACKETS.has(token.text) || CLOSE_BRACKETS.has(token.text) || token.text === '.') words++;
    } else if (token.kind === Kind.Newline) newline = true;
    else return undefined;
  }
  if (endWord) return words <= 6 ? 'keywords' : undefined;
  if (words > 0 || newline) return undefined;
  if (range) return and ? undefined : 'range';
  if (and) return 'and';
  if (comma) return 'comma';
  return undefined;
}

interface Lead {
  /** A start keyword ("starts at", "start:", `"start":`, "from") shortly before. */
  start: boolean;
  /** "between" shortly before. */
  between: boolean;
  /** An opening bracket just before (quotes aside). */
  bracket: boolean;
  /** Nothing but filler since the line start or the last colon ("Answer: 12.5, 15"). */
  clause: boolean;
}

/** Context before a mention, since the previous mention. */
function leadOf(tokens: readonly Token[], from: number, to: number): Lead {
  const lead: Lead = { start: false, between: false, bracket: false, clause: true };
  let clauseOpen = true;
  let adjacent = true;
  for (let index = to - 1, seen = 0; index >= from && seen < 10; index--, seen++) {
    work++;
    const token = tokens[index] as Token;
    if (token.kind === Kind.Newline) break;
    if (token.kind === Kind.Word) {
      adjacent = false;
      if (START_WORDS.has(token.text)) lead.start = true;
      if (token.text === 'between') lead.between = true;
      if (clauseOpen && !FILLER_WORDS.has(token.text)) lead.clause = false;
      continue;
    }
    if (token.kind !== Kind.Punct) break;
    if (OPEN_BRACKETS.has(token.text) && adjacent) lead.bracket = true;
    else if (!FILLER_PUNCT.has(token.text)) adjacent = false;
    if (token.text === ':') clauseOpen = false;
    if (token.text === '.' || token.text === ';' || token.text === '!' || token.text === '?') break;
  }
  return lead;
}

function toSeconds(mention: Mention, partner: Mention, options: ParseSpansOptions): number | 'frames' {
  if (mention.unit === 'frame') return fromFrames(mention.value, options);
  if (mention.unit !== 'bare') return mention.value;
  // A bare number takes its partner's unit: "12.5-15 s", "1 to 2 minutes", "frame 30 to 45".
  if (partner.unit === 'frame') return fromFrames(mention.value, options);
  if (partner.unit === 'time') return mention.value * partner.scale;
  if (partner.unit === 'bare' && options.bareUnit === 'frames') return fromFrames(mention.value, options);
  return mention.value;
}

function fromFrames(frames: number, options: ParseSpansOptions): number | 'frames' {
  const fps = options.fps;
  if (fps === undefined || !(fps > 0) || !Number.isFinite(fps)) return 'frames';
  return frames / fps;
}

/**
 * Read every temporal span a completion writes: "from 12.5 to 15 seconds", "between 12.5 and 15",
 * "[12.5, 15.0]", "(12.5, 15)", "12.5s-15s", "12.5–15 s", "starts at … ends at …", "until",
 * `hh:mm:ss(.f)` and `mm:ss(.f)` ranges, "1 min 5 s", JSON (`{"start": …, "end": …}`, lists of
 * pairs, nested lists), numbered lines, several spans joined by "and", and frame numbers with `fps`.
 * A hyphen between two numbers is a range; numbers that are not times ("95 seconds long", "3
 * scenes", "Qwen2.5") and a lone timestamp are not spans. Never throws; linear in the text length.
 *
 * @param completion the completion
 * @param options where to read, frame rate, the meaning of bare numbers
 * @returns the spans in seconds as written (an end-first span keeps its order), where they were read, and notes
 */
export function parseSpans(completion: string, options: ParseSpansOptions = {}): ParsedSpans {
  const notes: string[] = [];
  if (typeof completion !== 'string' || completion.length === 0) return { spans: [], region: 'text', notes };
  const text = completion.length > MAX_CHARS ? completion.slice(0, MAX_CHARS) : completion;
  if (text !== completion) notes.push(`only the first ${MAX_CHARS} characters were read`);
  const { ranges, region } = answerRanges(text.toLowerCase(), options.extract ?? 'answer', options.answerTag ?? 'answer');
  const spans: ParsedSpan[] = [];
  let frameNote = false;
  let loneCount = 0;
  for (const [from, to] of ranges) {
    const tokens = tokenize(text, from, to);
    const mentions = findMentions(tokens);
    let index = 0;
    let previousEnd = 0;
    while (index < mentions.length && spans.length < MAX_SPANS) {
      work++;
      const first = mentions[index] as Mention;
      const second = mentions[index + 1];
      if (second === undefined) {
        if (!first.countNoun) loneCount++;
        break;
      }
      const joined = connection(tokens, first.last + 1, second.first);
      const lead = leadOf(tokens, previousEnd, first.first);
      const afterSecond = tokens[second.last + 1];
      const closes = afterSecond === undefined || afterSecond.kind === Kind.Newline || (afterSecond.kind === Kind.Punct && (CLOSE_BRACKETS.has(afterSecond.text) || afterSecond.text === '.' || afterSecond.text === ',' || afterSecond.text === ';'));
      let accept = false;
      const chained = afterSecond?.kind === Kind.Punct && afterSecond.text === '-' && afterSecond.start === (tokens[second.last] as Token).end && tokens[second.last + 2]?.kind === Kind.Number;
      if (joined === 'range') accept = !chained;
      else if (joined === 'and') accept = lead.between || (lead.clause && closes);
      else if (joined === 'comma') accept = (lead.bracket && afterSecond?.kind === Kind.Punct && CLOSE_BRACKETS.has(afterSecond.text)) || (lead.clause && closes) || lead.start;
      else if (joined === 'keywords') accept = lead.start;
      if (accept && (first.countNoun || second.countNoun)) accept = false;
      if (chained) {
        // A date or a chain of hyphenated numbers ("2023-05-01"): no span in it.
        let end = index + 1;
        while (end + 1 < mentions.length && ++work > 0 && (tokens[(mentions[end] as Mention).last + 1] as Token | undefined)?.text === '-' && (mentions[end + 1] as Mention).first === (mentions[end] as Mention).last + 2) end++;
        previousEnd = (mentions[end] as Mention).last + 1;
        index = end + 1;
        continue;
      }
      if (!accept) {
        if (!first.countNoun) loneCount++;
        index++;
        previousEnd = first.last + 1;
        continue;
      }
      const start = toSeconds(first, second, options);
      const end = toSeconds(second, first, options);
      if (start === 'frames' || end === 'frames') frameNote = true;
      else if (Number.isFinite(start) && Number.isFinite(end)) {
        const from = (tokens[first.first] as Token).start;
        const to = (tokens[second.last] as Token).end;
        spans.push({ start, end, text: text.slice(from, Math.min(to, from + 80)).trim() });
      }
      previousEnd = second.last + 1;
      index += 2;
    }
  }
  if (frameNote) notes.push('frame numbers were found but no fps is set (option fps or reference.fps)');
  if (spans.length === 0 && loneCount > 0) notes.push('a lone timestamp is not a span');
  return { spans, region, notes };
}
