/**
 * Final-answer extraction from a completion: `<answer>` tags, `\boxed{}`/`\fbox{}` (nested braces),
 * "the answer is", "Answer:", `**bold**`, math delimiters, LaTeX without delimiters, the last
 * number as a fallback, and multiple-choice letters. Linear in the completion's length.
 * @module
 */

/** Where a final answer was found, in priority order. */
export type AnswerSource = 'answer-tag' | 'boxed' | 'anchor' | 'bold' | 'latex' | 'bare' | 'last-number';

/** The candidates of the first source that found any, in order of appearance. */
export interface ExtractedAnswers {
  /** Which extractor found them. */
  source: AnswerSource;
  /** Every candidate of that source, in order (several when e.g. two `\boxed{}` appear). */
  candidates: string[];
}

/** Which of several `\boxed{}` answers is the final one. */
export type BoxedSelection = 'last' | 'first';

/** Settings of {@link extractAnswers}. */
export interface ExtractionSettings {
  /** Fall back to the last number in the text when nothing else is found. Default true. */
  lastNumberFallback: boolean;
}

/** Text after the last `</think>`; `undefined` when a `<think>` block is never closed (no final answer given). */
export function finalSection(completion: string): string | undefined {
  const close = completion.lastIndexOf('</think>');
  if (close >= 0) return completion.slice(close + '</think>'.length);
  if (/<think>/i.test(completion)) return undefined;
  return completion;
}

const JOINER = /^(?:[\s,;$]|\\[()[\]]|\\[,;:! ]|\\q?quad\b|\band\b|\bor\b|\\text\{\s*(?:and|or|,)\s*\}|[a-zA-Z](?:_\{?\w+\}?)?\s*=)*$/i;
const PERCENT_AFTER = /^\s*\$?\s*(?:\\?%|percent(?:age)?\b|pct\b)/i;

/** Contents of every `\boxed{...}` and `\fbox{...}` (balanced braces), and `\boxed 5` forms, in order. */
export function findBoxed(text: string): string[] {
  if (!text.includes('\\boxed') && !text.includes('\\fbox')) return [];
  const closing = matchBraces(text);
  const found: string[] = [];
  const ends: number[] = [];
  const pattern = /\\(?:boxed|fbox)\s*(\{|\s)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null && found.length < 10_000) {
    const start = match.index + match[0].length;
    if (match[1] === '{') {
      const close = closing.get(start - 1);
      if (close !== undefined) {
        // `$\boxed{28}$ pct`: a percent sign written after the box belongs to the answer.
        const content = text.slice(start, close) + (PERCENT_AFTER.test(text.slice(close + 1, close + 17)) ? '%' : '');
        // `\boxed{1}, \boxed{2} and \boxed{3}`: one answer boxed piece by piece.
        const previousEnd = ends[ends.length - 1];
        if (previousEnd !== undefined && found.length > 0 && JOINER.test(text.slice(previousEnd, match.index))) {
          found[found.length - 1] = `${found[found.length - 1]}, ${content}`;
        } else found.push(content);
        ends.push(close + 1);
        pattern.lastIndex = close + 1;
      }
    } else {
      const rest = /^[^\s$]+/.exec(text.slice(start, start + 200));
      if (rest) found.push(rest[0].replace(/[.,]$/, ''));
    }
  }
  return found;
}

/** Position of the matching `}` for every `{` (escaped braces `\{` skipped), in one linear pass. */
function matchBraces(text: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') {
      index++;
      continue;
    }
    if (char === '{') open.push(index);
    else if (char === '}') {
      const from = open.pop();
      if (from !== undefined) pairs.set(from, index);
    }
  }
  return pairs;
}

function findAnswerTags(text: string): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  // indexOf scans keep this linear on hostile input (thousands of unclosed tags).
  while (found.length < 1_000) {
    const open = lower.indexOf('<answer>', from);
    if (open < 0) break;
    const close = lower.indexOf('</answer>', open + 8);
    if (close < 0) break;
    const inner = text.slice(open + 8, close);
    const nested = inner.toLowerCase().lastIndexOf('<answer>');
    found.push(nested >= 0 ? inner.slice(nested + 8) : inner);
    from = close + 9;
  }
  return found;
}

/**
 * Markdown emphasis left around or next to an answer: `** 17`, `17**`, `__42__`, `*5*` (the markers of
 * `**Final Answer:** 17` after the marker is cut off).
 */
function stripEmphasis(text: string): string {
  return text.replace(/^(?:[*_]{1,3}[ \t]*)+(?=\S)/, '').replace(/(?<=\S)(?:[ \t]*[*_]{1,3})+$/, '').trim();
}

/** A markdown heading, list or quote marker at the start of a line (`### `, `- `, `1. `, `> `). */
const LINE_MARKER = /^[ \t]*(?:#{1,6}|[-+*>]|\d{1,2}[.)])[ \t]+/;

/** Strip `$`, `\(`, `\[` and markdown emphasis around a whole answer, a trailing full stop, and filler after it. */
export function cleanCandidate(raw: string): string {
  let text = raw.trim();
  text = text.replace(/\s*(?:I hope (?:it|this) is correct|Hope this helps)[\s\S]*$/i, '');
  for (let pass = 0; pass < 3; pass++) {
    const before = text;
    text = text
      .replace(/^\$\$([\s\S]*)\$\$$/, '$1')
      .replace(/^\$([\s\S]*)\$$/, '$1')
      .replace(/^\\\[([\s\S]*)\\\]$/, '$1')
      .replace(/^\\\(([\s\S]*)\\\)$/, '$1')
      .replace(/^\*\*([\s\S]*)\*\*$/, '$1')
      .replace(/^__([\s\S]*)__$/, '$1')
      .trim()
      .replace(/[.;,]+$/, '')
      .trim();
    text = stripEmphasis(text);
    if (text === before) break;
  }
  // A boxed answer inside the candidate wins.
  const boxed = findBoxed(text);
  if (boxed.length > 0) return (boxed[boxed.length - 1] as string).trim();
  return text;
}

const ANCHOR_PREFIX = /^(?:the\s+)?(?:final answer|answer)\s*(?:is|:|=)\s*:?\s*/i;
// GSM8K's `#### 18` is an anchor too.
// Markdown emphasis may sit inside the marker: `**Final Answer:** 17`, `**Answer**: 3`, `*Answer:* 5`.
const ANCHOR = /(?:(?:final answer|the answer|answer)[ \t]*(?:[*_]{1,3}[ \t]*)?(?:is|:|=|should be|would be)|^[ \t]*####(?!#))[ \t]*(?:[*_]{1,3})?[ \t]*:?[ \t]*([^\n]*)/gim;
// A heading or a bold line that is only the marker (`### Final Answer`, `**Final answer:**`): the answer is on the next line.
const ANCHOR_HEADING = /^[ \t]*(?:#{1,6}[ \t]*|[-*+][ \t]+)?(?:[*_]{1,3}[ \t]*)?(?:the[ \t]+)?(?:final[ \t]+)?answer[ \t]*(?:[*_]{1,3}[ \t]*)?:?[ \t]*(?:[*_]{1,3})?[ \t]*:?[ \t]*\n+[ \t]*([^\n]+)/gim;

function findAnchored(text: string): string[] {
  const found: string[] = [];
  let match: RegExpExecArray | null;
  ANCHOR.lastIndex = 0;
  while ((match = ANCHOR.exec(text)) !== null) {
    let rest = stripEmphasis((match[1] as string).trim());
    // `#### Final Answer` is a markdown heading, not GSM8K's `#### 18`.
    if (/^[ \t]*####/.test(match[0]) && /^(?:the\s+)?(?:final\s+)?answer\b/i.test(rest)) continue;
    // "Final Answer: The final answer is $6$": the innermost anchor points at the answer.
    for (let inner = ANCHOR_PREFIX.exec(rest); inner !== null; inner = ANCHOR_PREFIX.exec(rest)) rest = rest.slice(inner[0].length).trim();
    if (rest.length === 0) continue;
    rest = firstMathSpan(rest);
    if (rest.length > 0) found.push(rest);
  }
  if (found.length === 0) {
    // Matched in full first: reading a line below recurses into this function (and its regexes).
    for (const heading of [...text.matchAll(ANCHOR_HEADING)]) {
      // The line under the heading is read as a completion of its own ("The area is $36$.").
      const line = stripEmphasis((heading[1] as string).replace(LINE_MARKER, '').trim());
      const inner = extractAnswers(line, { lastNumberFallback: true });
      const rest = inner ? (inner.candidates[inner.candidates.length - 1] as string) : '';
      if (rest.length > 0) found.push(rest);
    }
  }
  return found;
}

/**
 * From text after an anchor, the answer part: a delimited math span if it starts with one,
 * else up to the end of the sentence.
 */
function firstMathSpan(text: string): string {
  // `$\$50$`: an escaped dollar inside inline math does not close it.
  const delimited = /^(\$\$[\s\S]+?\$\$|\$(?:\\\$|[^$])+\$|\\\([\s\S]+?\\\)|\\\[[\s\S]+?\\\])/.exec(text);
  if (delimited) {
    const rest = text.slice((delimited[0] as string).length).trim();
    // "$12$ and $13$": keep both sides of a joined answer.
    const joined = /^(,?\s*(?:and|or)\s+|,\s*)(\$(?:\\\$|[^$])+\$)/.exec(rest);
    return joined ? `${delimited[0]}${joined[1]}${joined[2]}` : (delimited[0] as string);
  }
  const boxed = findBoxed(text);
  if (boxed.length > 0) return `\\boxed{${boxed[0]}}`;
  // Up to a sentence end: ". " or end; keep decimal points.
  const sentence = /^(.*?)(?:\.(?:\s|$)|$)/.exec(text);
  return (sentence?.[1] ?? text).trim();
}

function findBold(text: string): string[] {
  const found: string[] = [];
  const pattern = /\*\*([^*\n]{1,200})\*\*|(?<![\w\\])__([^_\n]{1,200})__(?!\w)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const content = (match[1] ?? (match[2] as string)).trim();
    if (/[0-9\\]/.test(content) && !/:$/.test(content) && !/^step\b/i.test(content)) found.push(content);
  }
  return found;
}

/** Math-delimited spans in order, with where they end in `text`. */
function findLatexSpans(text: string): { index: number; end: number; content: string }[] {
  const found: { index: number; end: number; content: string }[] = [];
  const patterns = [/\$\$([\s\S]+?)\$\$/g, /\\\[([\s\S]+?)\\\]/g, /\\\(([^\n]+?)\\\)/g, /(?<![\\$\d])\$(?!\$)((?:\\\$|[^\n$])+?)(?<!\\)\$/g];
  // Characters already inside a span: a later (lower-priority) delimiter may not reuse them.
  const taken = new Uint8Array(text.length + 1);
  for (const pattern of patterns) {
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null && found.length < 10_000) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken[start] === 1 || taken[end - 1] === 1) continue;
      taken.fill(1, start, end);
      const percent = PERCENT_AFTER.test(text.slice(end, end + 16)) && !/%$/.test(match[1] as string) ? '%' : '';
      const content = (match[1] as string).trim() + percent;
      if (content.length > 0) found.push({ index: start, end, content });
    }
  }
  found.sort((a, b) => a.index - b.index);
  // "$x < 1$ or $x > 2$", "$3$, $4$ and $5$": one answer written in several spans.
  const merged: { index: number; end: number; content: string }[] = [];
  for (const entry of found) {
    const previous = merged[merged.length - 1];
    if (previous && /^\s*(?:,|,?\s*and|,?\s*or)\s*$/i.test(text.slice(previous.end, entry.index))) {
      previous.content = `${previous.content}, ${entry.content}`;
      previous.end = entry.end;
    } else merged.push({ ...entry });
  }
  return merged;
}

/** The math at the end of the last non-empty line, for LaTeX written without delimiters. */
const ALLOWED_WORDS = /\b(?:percent(?:age)?|pct|and|or|degrees?|units?|cm|mm|km|meters?|dollars?|cents?|hours?|minutes?|seconds?|infinity|infty|inf|thousand|million|billion|trillion|sin|cos|tan|sec|csc|cot|arcsin|arccos|arctan|sinh|cosh|tanh|ln|log|exp|sqrt|pi)\b/gi;
const SHORT_WORDS = /\b(?:is|so|at|we|it|to|be|as|of|in|by|if|on|an|my|no|me|do|the)\b/i;

/** The words of a span outside `\commands`, `\text{}` and the unit and function words a formula may hold. */
function proseWords(span: string): string {
  return span.replace(/\\(?:begin|end)\{[^}]*\}|\\text\{[^}]*\}|\\[a-zA-Z]+/g, ' ').replace(ALLOWED_WORDS, ' ');
}

function findBare(text: string): string[] {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const lastLine = lines[lines.length - 1];
  if (!lastLine || lastLine.length > 300) return [];
  const last = stripEmphasis(lastLine.replace(LINE_MARKER, ''));
  const whole = last.replace(/[.;,!]+$/, '').trim();
  // A last line that is nothing but a formula (`x^2 - 1`, `(-2, 5)`, `e`, `a/b`) is the answer whole.
  const words = proseWords(whole);
  if (whole.length > 0 && whole.length <= 200 && !/[a-zA-Z]{3,}/.test(words) && !SHORT_WORDS.test(words) && /[\\0-9a-zA-Z]/.test(whole)) return [whole];
  // A completion that is one word (`Evelyn`, `Yes`) answers with that word.
  if (lines.length === 1 && /^[A-Za-z][A-Za-z'-]{0,30}$/.test(whole)) return [whole];
  return [];
}

/** The formula that ends the last line, from its first digit or command (`so we get 2A`), when no prose follows it. */
function findLastLineFormula(text: string): string[] {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const last = lines[lines.length - 1];
  if (!last || last.length > 300 || !/[\\0-9]/.test(last)) return [];
  const start = last.search(/\\[a-zA-Z]|[-([{]?\d|[-(]?\\/);
  if (start < 0) return [];
  const span = last.slice(start).replace(/[.;,!]+$/, '').trim();
  // Prose ("8 and 9 to get 17 apples") is not a bare formula: words outside \commands and \text{} reject it.
  if (/[a-zA-Z]{3,}/.test(proseWords(span))) return [];
  return [span];
}

interface TailToken {
  text: string;
  start: number;
  end: number;
  /** Ends a sentence or a clause (`.`, `!`, `?`, `;`, `:` or `,` after it). */
  stop: 'sentence' | 'comma' | undefined;
}

/** Words of the tail of `text` (from `from`), split at whitespace outside braces, with their positions. */
function tailTokens(text: string, from: number): TailToken[] {
  const tokens: TailToken[] = [];
  let depth = 0;
  let start = -1;
  const push = (end: number): void => {
    if (start < 0) return;
    let raw = text.slice(start, end);
    let stop: TailToken['stop'];
    const punctuation = /(?:[.!?;:]+|,)$/.exec(raw.replace(/[*_]+$/, ''));
    // A trailing full stop ends a sentence; a decimal point (`3.5`) has digits after it.
    if (punctuation) stop = punctuation[0] === ',' ? 'comma' : 'sentence';
    raw = stripEmphasis(raw.replace(/[*_]+$/, '').replace(/[.!?;:,]+$/, ''));
    const offset = text.indexOf(raw, start);
    if (raw.length > 0) tokens.push({ text: raw, start: offset, end: offset + raw.length, stop });
    start = -1;
  };
  for (let index = from; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '\\') {
      if (start < 0) start = index;
      index++;
      continue;
    }
    if (char === '{') depth++;
    else if (char === '}') depth = Math.max(0, depth - 1);
    if (/\s/.test(char) && depth === 0) push(index);
    else if (start < 0) start = index;
  }
  push(text.length);
  return tokens;
}

const FUNCTION_WORDS = /\b(?:infinity|sin|cos|tan|sec|csc|cot|sinh|cosh|tanh|arcsin|arccos|arctan|ln|log|exp|sqrt|min|max|gcd|lcm|det|mod|inf|infty)\b/g;

/** A word of a formula: operators, digits, `\commands`, `^`, `_`, brackets, and no run of three or more letters outside commands. */
function isMathToken(token: string): boolean {
  if (!/[0-9\\^_=+*/<>()[\]{}|−±×÷]/.test(token) && !/^[-–]$/.test(token)) return false;
  const letters = token.replace(/\\text\{[^}]*\}|\\[a-zA-Z]+/g, ' ').replace(FUNCTION_WORDS, ' ');
  return !/[a-zA-Z]{3,}/.test(letters) && !/\$/.test(token);
}

/** An operator word (`+`, `-`, `=`, `\times`, `\le`): a single letter next to one is a variable. */
function isOperatorToken(token: string): boolean {
  return /^(?:[-+*/=<>−–±×÷^]|\\(?:times|cdot|div|pm|mp|le|leq|ge|geq|ne|neq|approx|to|in|cup|cap))$/.test(token) || /^[-+*/=<>^]|[-+*/=<>^]$/.test(token);
}

/**
 * The last mathematical expression of the text (LaTeX without delimiters, `2x^2 - 3`,
 * `\frac{\pi}{6}` before "radians"): the last run of formula words, read back from the end,
 * stopping at a sentence end, a clause comma, prose or a `$` span. Looks at the last 2,000 characters.
 */
function findFinalExpression(text: string): { text: string; index: number } | undefined {
  const tokens = tailTokens(text, Math.max(0, text.length - 2_000));
  let last = tokens.length - 1;
  while (last >= 0 && !isMathToken((tokens[last] as TailToken).text)) {
    if ((tokens[last] as TailToken).text.includes('$')) return undefined;
    last--;
  }
  if (last < 0) return undefined;
  let first = last;
  let open = 0;
  const balance = (token: string): number => (token.match(/[)\]]/g)?.length ?? 0) - (token.match(/[([]/g)?.length ?? 0);
  open += balance((tokens[last] as TailToken).text);
  while (first > 0) {
    const left = tokens[first - 1] as TailToken;
    const right = tokens[first] as TailToken;
    if (left.stop === 'sentence' || (left.stop === 'comma' && open <= 0) || left.text.includes('$')) break;
    const variable = /^[a-zA-Z]$/.test(left.text) && (isOperatorToken(right.text) || (first > 1 && isOperatorToken((tokens[first - 2] as TailToken).text)));
    if (!isMathToken(left.text) && !variable) break;
    open += balance(left.text);
    first--;
  }
  const from = (tokens[first] as TailToken).start;
  let expression = text.slice(from, (tokens[last] as TailToken).end).trim();
  // "28 percent": the word after the number belongs to it.
  const after = tokens[last + 1]?.text;
  if (after !== undefined && /^(?:%|percent(?:age)?|pct)$/i.test(after)) expression += '%';
  return { text: expression, index: from };
}

// A number, maybe with a unit or currency glued on (`1,000.99€`, `5cm`): the last-number reading handles it.
const PLAIN_NUMBER = /^[-+]?[$€£¥]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[a-zA-Z€£¥°%]{0,6})?$/;
const NUMBER = /-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*\/\s*\d+)?(?:\s*(?:%|percent(?:age)?\b|pct\b))?/g;

function findLastNumber(text: string): { text: string; index: number } | undefined {
  let last: RegExpExecArray | undefined;
  NUMBER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = NUMBER.exec(text)) !== null) last = match;
  return last ? { text: last[0].trim(), index: last.index } : undefined;
}

/**
 * Find the final-answer candidates of a completion, by source priority: `<answer>` tags, boxed,
 * anchors ("the answer is", "Answer:"), bold, math delimiters, bare LaTeX on the last line, and,
 * if enabled, the last number. `undefined` when nothing is found.
 */
export function extractAnswers(completion: string, settings: ExtractionSettings): ExtractedAnswers | undefined {
  const section = finalSection(completion);
  if (section === undefined) return undefined;
  const tags = findAnswerTags(section);
  if (tags.length > 0) {
    const candidates = tags.map((tag) => {
      const inner = extractAnswers(tag, { lastNumberFallback: false });
      // In a tag, a lone value is the answer itself; otherwise use what the tag's text points at.
      const cleaned = cleanCandidate(tag);
      if (inner && inner.source !== 'bare' && inner.source !== 'latex') return inner.candidates[inner.candidates.length - 1] as string;
      if (inner && inner.source === 'latex' && inner.candidates.length === 1) return inner.candidates[0] as string;
      return cleaned;
    });
    return { source: 'answer-tag', candidates: trimAll(candidates, true) };
  }
  const boxed = trimAll(findBoxed(section), false);
  if (boxed.length > 0) return { source: 'boxed', candidates: boxed };
  const anchored = cleanAll(findAnchored(section), true);
  if (anchored.length > 0) return { source: 'anchor', candidates: anchored };
  const bold = cleanAll(findBold(section), false);
  if (bold.length > 0) return { source: 'bold', candidates: bold };
  // Unanchored candidates: like Math-Verify, the one written last wins (a bare formula on the last
  // line or a number after the last math span beats an earlier span).
  const latex = findLatexSpans(section);
  const latexEnd = latex.length > 0 ? (latex[latex.length - 1] as { end: number }).end : -1;
  const bare = findBare(section);
  const lastLine = section.trimEnd().lastIndexOf('\n') + 1;
  if (bare.length > 0 && (latex.length === 0 || lastLine >= latexEnd)) return { source: 'bare', candidates: bare };
  // The last expression written without delimiters (`hence the probability is \frac{5}{8}.`): read whole, not as its last number.
  const expression = findFinalExpression(section);
  if (expression && expression.index >= latexEnd && !PLAIN_NUMBER.test(expression.text)) return { source: 'bare', candidates: [expression.text] };
  const formula = findLastLineFormula(section);
  if (formula.length > 0 && (latex.length === 0 || lastLine >= latexEnd)) return { source: 'bare', candidates: formula };
  const number = settings.lastNumberFallback ? findLastNumber(section) : undefined;
  if (latex.length > 0 && !(number && number.index >= latexEnd)) return { source: 'latex', candidates: contentsOf(latex) };
  if (number) return { source: 'last-number', candidates: [number.text] };
  return undefined;
}

// Plain loops rather than `map(...).filter(...)`: the candidate lists come in several element kinds,
// and each new one sent `extractAnswers` back to the interpreter in a fresh worker.
function trimAll(texts: readonly string[], dropEmpty: boolean): string[] {
  const trimmed: string[] = [];
  for (let index = 0; index < texts.length; index++) {
    const text = (texts[index] as string).trim();
    if (!dropEmpty || text.length > 0) trimmed.push(text);
  }
  return trimmed;
}

function contentsOf(spans: readonly { content: string }[]): string[] {
  const contents: string[] = [];
  for (let index = 0; index < spans.length; index++) contents.push((spans[index] as { content: string }).content);
  return contents;
}

function cleanAll(texts: readonly string[], dropEmpty: boolean): string[] {
  const cleaned: string[] = [];
  for (let index = 0; index < texts.length; index++) {
    const text = cleanCandidate(texts[index] as string);
    if (!dropEmpty || text.length > 0) cleaned.push(text);
  }
  return cleaned;
}

/**
 * The choice letters a candidate names: `(B)`, `B`, `\text{B}`, `B) 12`, `**C**`. Several distinct
 * letters (`A and C`) mean several answers.
 */
export function choiceLettersIn(candidate: string, letters: string): string[] {
  const text = candidate.replace(/\\text(?:bf)?\{([^}]*)\}/g, '$1').replace(/\*\*|\$|\\[()[\]]/g, '').trim();
  const set = `[${letters.replace(/[^A-Za-z]/g, '')}]`;
  const whole = new RegExp(`^\\(?(${set})\\)?[.:]?$`).exec(text);
  if (whole) return [whole[1] as string];
  const leading = new RegExp(`^\\(?(${set})[).:]\\s`).exec(text);
  if (leading) return [leading[1] as string];
  const found = new Set<string>();
  const pattern = new RegExp(`(?:^|[\\s(,])\\(?(${set})\\)?(?=$|[\\s),.:;])`, 'g');
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) found.add(match[1] as string);
  return [...found];
}

/** Choice candidates in a completion: boxed, anchors, bold, then a letter alone on the last line. */
export function extractChoice(completion: string, letters: string): { source: AnswerSource; letters: string[] }[] | undefined {
  const section = finalSection(completion);
  if (section === undefined) return undefined;
  const tags = findAnswerTags(section);
  const boxed = findBoxed(tags.length > 0 ? tags.join('\n') : section);
  const groups: [AnswerSource, string[]][] = [
    ['answer-tag', tags.length > 0 && boxed.length === 0 ? tags.map(cleanCandidate) : []],
    ['boxed', boxed],
    ['anchor', findAnchoredChoice(section)],
    ['bold', findBold(section).concat(boldLetters(section))],
  ];
  for (const [source, candidates] of groups) {
    const named = candidates.map((candidate) => choiceLettersIn(candidate, letters)).filter((found) => found.length > 0);
    if (named.length > 0) return named.map((found) => ({ source, letters: found }));
  }
  const lines = section.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const last = lines[lines.length - 1];
  if (last) {
    const found = choiceLettersIn(last, letters);
    if (found.length > 0 && last.length <= 40) return [{ source: 'bare', letters: found }];
  }
  return undefined;
}

function boldLetters(text: string): string[] {
  return [...text.matchAll(/\*\*\(?([A-Z])\)?\*\*/g)].map((match) => match[1] as string);
}

function findAnchoredChoice(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:final answer|the answer|answer|correct (?:option|choice|answer))\s*(?:is|:|=)?\s*:?\s*(?:option\s*)?([^\n]{0,60})/gi;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    let rest = (match[1] as string).replace(/\$/g, '').replace(/\\text(?:bf)?\{([^}]*)\}/g, '$1').trim();
    for (let inner = ANCHOR_PREFIX.exec(rest); inner !== null; inner = ANCHOR_PREFIX.exec(rest)) rest = rest.slice(inner[0].length).trim();
    // Only the part before the sentence ends.
    const sentence = /^(.*?)(?:\.(?:\s|$)|$)/.exec(rest)?.[1] ?? rest;
    const clause = sentence.split(/\s+(?:because|since|as|which|that|from|for|is|was|with)\b/i)[0]?.trim() ?? '';
    if (clause.length > 0) found.push(clause);
  }
  return found;
}
