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

/**
 * The text of a prompt: a string as it is; chat messages as their text (string contents, and the
 * `text` of `{ type: 'text' }` parts). `messages: 'all'` (default) joins every message's text with
 * newlines; `'lastUser'` takes the last user message only (what a text-to-image prompt asks for).
 * @returns undefined when there is no prompt (or no user message, for `lastUser`)
 */
export function promptText(prompt: unknown, options: { messages?: 'all' | 'lastUser' } = {}): string | undefined {
  if (typeof prompt === 'string') return prompt;
  if (!Array.isArray(prompt)) return undefined;
  const textOf = (content: unknown): string => {
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '';
    return content
      .map((part: unknown) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .filter((text) => text.length > 0)
      .join(options.messages === 'lastUser' ? '\n' : ' ');
  };
  if (options.messages === 'lastUser') {
    for (let index = prompt.length - 1; index >= 0; index--) {
      const message = prompt[index] as { role?: unknown; content?: unknown } | null;
      if (message?.role !== 'user') continue;
      const text = textOf(message.content);
      if (text.length > 0) return text;
    }
    return undefined;
  }
  return prompt
    .map((message) => textOf((message as { content?: unknown } | null)?.content))
    .filter((text) => text.length > 0)
    .join('\n');
}
