/**
 * The ranges of a lower-cased completion to read, as index ranges: the last `<answer>` block outside
 * think blocks (an unclosed block runs to the end) for `answer` when there is one, else the whole
 * text; `<think>` blocks (an unclosed one runs to the end; a stray `</think>` ends thinking) never count.
 * @internal
 */
export function answerRanges(lower: string, extract: 'answer' | 'anywhere', answerTag: string): { ranges: Array<[number, number]>; region: 'answer' | 'text' } {
  const outside = withoutThink(lower, 0, lower.length);
  if (extract === 'answer') {
    const tag = answerTag.toLowerCase();
    const open = `<${tag}>`;
    let start = lower.lastIndexOf(open);
    // The last answer block that is not inside a think block (both walks go backwards once).
    let range = outside.length - 1;
    for (;;) {
      while (range >= 0 && (outside[range] as [number, number])[0] > start) range--;
      if (start < 0 || (range >= 0 && start < (outside[range] as [number, number])[1])) break;
      start = start === 0 ? -1 : lower.lastIndexOf(open, start - 1);
    }
    if (start >= 0) {
      const from = start + open.length;
      const close = lower.indexOf(`</${tag}>`, from);
      return { ranges: withoutThink(lower, from, close >= 0 ? close : lower.length), region: 'answer' };
    }
  }
  return { ranges: outside, region: 'text' };
}

function withoutThink(lower: string, from: number, to: number): Array<[number, number]> {
  let ranges: Array<[number, number]> = [];
  let at = from;
  while (at < to) {
    const open = lower.indexOf('<think>', at);
    if (open < 0 || open >= to) {
      ranges.push([at, to]);
      break;
    }
    if (open > at) ranges.push([at, open]);
    const close = lower.indexOf('</think>', open + 7);
    // An unclosed think block runs to the end.
    if (close < 0 || close >= to) break;
    at = close + 8;
  }
  // A closing tag without its opening tag (the prompt opened it): everything before it was thinking.
  const stray = lower.lastIndexOf('</think>', to - 8);
  if (stray >= from) {
    const cut = stray + 8;
    ranges = ranges.map(([start, end]): [number, number] => [Math.max(start, cut), end]).filter(([start, end]) => end > start);
  }
  return ranges;
}

/**
 * The text a reward reads: {@link answerRanges} joined by new lines, and where it came from.
 * @internal
 */
export function answerRegion(completion: string, extract: 'answer' | 'anywhere', answerTag: string): { text: string; where: string } {
  const { ranges, region } = answerRanges(completion.toLowerCase(), extract, answerTag);
  return { text: ranges.map(([from, to]) => completion.slice(from, to)).join('\n'), where: region === 'answer' ? 'in the answer block' : 'in the completion' };
}
