import { lastTagContent } from '@mixreward/core';

/** Where the final answer of a completion was found. */
export interface AnswerRegion {
  /** The answer text, markdown emphasis removed, trimmed. */
  text: string;
  /** `tag` (`<answer>`), `boxed` (`\boxed{}`), `marker` ("Answer:", "the answer is"), `last_line`. */
  source: 'tag' | 'boxed' | 'marker' | 'last_line';
}

/** Longest completion tail searched for an answer marker, in characters. */
const TAIL = 4000;

/** Remove the `<think>` blocks (and an unclosed trailing one) so reasoning never counts as the answer. */
export function withoutThinking(completion: string): string {
  let text = completion;
  for (;;) {
    const open = text.indexOf('<think>');
    if (open < 0) break;
    const close = text.indexOf('</think>', open);
    if (close < 0) {
      text = text.slice(0, open);
      break;
    }
    text = text.slice(0, open) + text.slice(close + 8);
  }
  // A stray closing tag with its opening lost (some chat templates open <think> in the prompt).
  const stray = text.lastIndexOf('</think>');
  return stray >= 0 ? text.slice(stray + 8) : text;
}

/** Strip markdown emphasis, headings, list markers and quotes around a short answer. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/\*\*|__|`+/g, '')
    .replace(/(^|\s)[*_](\S[^*_\n]*?)[*_](?=\s|$|[.,;:!?])/g, '$1$2')
    .replace(/^\s*(?:#{1,6}\s+|[-*+•]\s+|>\s+)/gm, '')
    .replace(/\\text(?:bf|it|rm)?\{([^{}]*)\}/g, '$1')
    .trim();
}

function lastBoxed(text: string): string | undefined {
  const start = text.lastIndexOf('\\boxed{');
  if (start < 0) return undefined;
  let depth = 0;
  for (let index = start + 6; index < text.length && index < start + 2000; index++) {
    const char = text[index];
    if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) return text.slice(start + 7, index);
    }
  }
  return undefined;
}

// "Answer:", "Final answer:", "The (correct|final|best) answer is", "Correct option:", "I choose", …
const MARKER = /(?:\b(?:final|correct|best|right|most\s+likely)\s+)?(?:\banswer|\bans|\boption|\bchoice)\s*(?:(?:is|would\s+be|should\s+be)\s*[:=]?|:|=|-)\s*|\b(?:i\s+(?:would\s+)?(?:choose|select|pick))\s*/gi;

/**
 * Find the final answer of a completion, in order: the last `<answer>` block, the last `\boxed{}`,
 * the text after the last answer marker ("Answer:", "**Final answer:**", "the correct answer is"),
 * else the last non-empty line. `<think>` blocks never count. Markdown is stripped.
 *
 * @param completion the model's output
 * @param tag the answer tag name (default `answer`)
 * @returns undefined when the completion has no text outside reasoning
 */
export function findAnswerRegion(completion: string, tag = 'answer'): AnswerRegion | undefined {
  const tagged = lastTagContent(completion, tag);
  if (tagged !== undefined) {
    const boxedInside = lastBoxed(tagged);
    return { text: stripMarkdown(boxedInside ?? tagged), source: 'tag' };
  }
  const visible = withoutThinking(completion);
  const boxed = lastBoxed(visible);
  if (boxed !== undefined) return { text: stripMarkdown(boxed), source: 'boxed' };
  const tail = visible.length > TAIL ? visible.slice(-TAIL) : visible;
  const plain = tail.replace(/\*\*|__/g, '');
  let markerEnd = -1;
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(plain); match; match = MARKER.exec(plain)) {
    markerEnd = match.index + match[0].length;
    if (match[0].length === 0) MARKER.lastIndex++;
  }
  if (markerEnd >= 0) {
    const rest = plain.slice(markerEnd);
    const line = (rest.split('\n').find((part) => part.trim().length > 0) ?? '').trim();
    if (line.length > 0) return { text: stripMarkdown(line).replace(/^[:=\-–—\s]+/, ''), source: 'marker' };
  }
  const lines = visible.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const last = lines[lines.length - 1];
  if (last === undefined) return undefined;
  return { text: stripMarkdown(last), source: 'last_line' };
}

/**
 * Normalise a short clinical text for comparison: lower case, punctuation and articles removed,
 * whitespace collapsed (`"The Metformin."` and `"metformin"` are equal).
 */
export function normalizeAnswerText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\b(?:a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
