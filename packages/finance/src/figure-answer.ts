import { lastTagContent } from '@mixreward/core';
import { figureItems, scanFigures, type FigureItem, type NumberLocale } from './figure-parse.js';

/** The final figure of a completion, or why there is none. */
export type FinalFigure =
  | { item: FigureItem; source: 'tag' | 'boxed' | 'marker' | 'last_line'; text: string }
  | { item?: undefined; problem: string; source?: 'tag' | 'boxed' | 'marker' | 'last_line'; text?: string };

const MARKER = /\b(?:final\s+answer|the\s+answer|answer|result)\s*(?:is|would\s+be|should\s+be|=|:|:=|equals)\s*:?|\bans\s*[:=]/gi;
const REFUSAL = /\b(?:cannot|can['’]?t|unable\s+to|not\s+possible\s+to)\s+(?:be\s+)?(?:determine|determined|calculate|calculated|compute|computed|answer|know)|\b(?:insufficient|not\s+enough)\s+(?:information|data)\b|^\s*(?:n\/?a|none|unknown)\s*\.?\s*$/i;

function withoutThinking(completion: string): string {
  let text = completion.replace(/<think>[\s\S]*?<\/think>/g, ' ');
  const open = text.indexOf('<think>');
  if (open >= 0) text = text.slice(0, open);
  const stray = text.lastIndexOf('</think>');
  return stray >= 0 ? text.slice(stray + 8) : text;
}

function lastBoxed(text: string): string | undefined {
  const start = text.lastIndexOf('\\boxed{');
  if (start < 0) return undefined;
  let depth = 0;
  for (let index = start + 6; index < text.length && index < start + 4000; index++) {
    if (text[index] === '{') depth++;
    else if (text[index] === '}' && --depth === 0) return text.slice(start + 7, index);
  }
  return undefined;
}

/**
 * Decide what a region of text answers: one figure or range. Several figures joined as alternatives
 * (`10, 12, 15 or 20`, `5% or 6%`, `100 or (100)`) are not an answer. With `firstWins` (a tagged,
 * boxed or marked answer) the first figure or range is the answer and the rest is explanation
 * (`$40 million, up from $32 million`); otherwise (a last line) it must hold a single figure.
 */
export function answerOfRegion(region: string, locale: NumberLocale, firstWins: boolean): { item: FigureItem } | { problem: string } {
  if (REFUSAL.test(region)) return { problem: 'a refusal, not a figure' };
  const scan = scanFigures(region, locale);
  const items = figureItems(scan);
  if (items.length === 0) return { problem: 'no figure in the answer' };
  if (items.length === 1) return { item: items[0] as FigureItem };
  // Alternatives: "or", "/", "either", or a bare comma list between the first two items.
  const firstEnd = items[0]?.kind === 'single' ? items[0].figure.end : (items[0] as Extract<FigureItem, { kind: 'range' }>).high.end;
  const secondStart = items[1]?.kind === 'single' ? items[1].figure.start : (items[1] as Extract<FigureItem, { kind: 'range' }>).low.start;
  const between = scan.text.slice(firstEnd, secondStart);
  if (/\bor\b|\/|\beither\b|^\s*,\s*$|^\s*;\s*$/i.test(between)) return { problem: `several candidate figures (${items.map(describeItem).join(', ')})` };
  if (firstWins) return { item: items[0] as FigureItem };
  return { problem: `the last line holds several figures (${items.map(describeItem).join(', ')})` };
}

/** A short description of an item for reasons: `12.5%`, `USD 1,200,000`, `10% to 12%`. */
export function describeItem(item: FigureItem): string {
  if (item.kind === 'range') return `${describeFigure(item.low)} to ${describeFigure(item.high)}`;
  return describeFigure(item.figure);
}

function describeFigure(figure: { value: number; kind: string; currency?: string }): string {
  // An integer below 10^12 has at most 12 digits, so toPrecision(12) would give it back unchanged.
  const value = Number.isInteger(figure.value) && Math.abs(figure.value) < 1e12 ? figure.value : Number(figure.value.toPrecision(12));
  const number = Math.abs(value) >= 1000 && Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(value);
  if (figure.kind === 'percent') return `${number}%`;
  if (figure.kind === 'multiple') return `${number}x`;
  return figure.currency ? `${figure.currency} ${number}` : number;
}

/**
 * Find the final figure of a completion: the last `<answer>` block (a `\boxed{}` inside it wins),
 * the last `\boxed{}`, the text after the last "answer is" / "Answer:" / "the result is" marker, else
 * the last non-empty line when it holds a single figure. A figure that only appears in the working
 * never counts. `<think>` blocks are ignored.
 */
export function finalFigure(completion: string, options: { answerTag: string; locale: NumberLocale }): FinalFigure {
  const tagged = lastTagContent(completion, options.answerTag);
  if (tagged !== undefined) {
    const inner = lastBoxed(tagged) ?? tagged;
    const read = answerOfRegion(inner, options.locale, true);
    return 'item' in read ? { item: read.item, source: 'tag', text: inner.trim() } : { problem: read.problem, source: 'tag', text: inner.trim() };
  }
  const visible = withoutThinking(completion);
  const boxed = lastBoxed(visible);
  if (boxed !== undefined) {
    const read = answerOfRegion(boxed, options.locale, true);
    return 'item' in read ? { item: read.item, source: 'boxed', text: boxed.trim() } : { problem: read.problem, source: 'boxed', text: boxed.trim() };
  }
  const tail = visible.length > 8000 ? visible.slice(-8000) : visible;
  const plain = tail.replace(/\*\*|__/g, '');
  let markerEnd = -1;
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(plain); match; match = MARKER.exec(plain)) markerEnd = match.index + match[0].length;
  if (markerEnd >= 0) {
    const rest = plain.slice(markerEnd);
    const region = (rest.split(/\n/).find((line) => line.trim().length > 0) ?? '').trim();
    if (region.length > 0) {
      const read = answerOfRegion(region, options.locale, true);
      return 'item' in read ? { item: read.item, source: 'marker', text: region } : { problem: read.problem, source: 'marker', text: region };
    }
  }
  const lines = visible.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const last = lines[lines.length - 1];
  if (last === undefined) return { problem: 'empty completion' };
  const read = answerOfRegion(last, options.locale, false);
  return 'item' in read ? { item: read.item, source: 'last_line', text: last } : { problem: read.problem, source: 'last_line', text: last };
}
