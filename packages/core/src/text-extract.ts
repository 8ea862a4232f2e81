/**
 * The content of the last `<tag>…</tag>` in a text, or `undefined`. Linear time: searches with
 * `lastIndexOf`, never a backtracking regex.
 */
export function lastTagContent(text: string, tag: string): string | undefined {
  const close = `</${tag}>`;
  const end = text.lastIndexOf(close);
  if (end < 0) return undefined;
  const start = text.lastIndexOf(`<${tag}>`, end);
  if (start < 0) return undefined;
  return text.slice(start + tag.length + 2, end);
}

/**
 * The answer part of a completion: the content of its last `<answer>` block when there is one,
 * else the whole completion.
 */
export function answerText(completion: string, tag = 'answer'): string {
  return lastTagContent(completion, tag) ?? completion;
}

/** The text of a reference that should be a string (a number is turned into its decimal string). */
export function referenceText(reference: unknown): string | undefined {
  if (typeof reference === 'string') return reference;
  if (typeof reference === 'number' && Number.isFinite(reference)) return String(reference);
  return undefined;
}
