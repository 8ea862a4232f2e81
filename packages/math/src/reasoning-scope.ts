/**
 * The part of a completion a step reward reads: all of it, or only its `<think>…</think>` reasoning.
 * @module
 */

/**
 * The text a step reward scores: the whole completion (`completion`), or the inside of its first
 * `<think>` block (`reasoning`; an unclosed block runs to the end, and a completion without one is
 * used whole).
 */
export function reasoningOf(completion: string, scope: 'completion' | 'reasoning'): string {
  if (scope === 'completion') return completion;
  const match = /<think>([\s\S]*?)(?:<\/think>|$)/i.exec(completion);
  return match ? (match[1] as string) : completion;
}
