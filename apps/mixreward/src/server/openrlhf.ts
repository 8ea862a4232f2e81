import type { RewardResult, Rollout } from '@mixreward/core';

/** End-of-sequence tokens stripped from the end of an OpenRLHF query by default. */
export const defaultEosTokens: readonly string[] = ['<|im_end|>', '<|endoftext|>', '</s>', '<|eot_id|>', '<|end_of_text|>', '<｜end▁of▁sentence｜>'];

/**
 * Cut the completion out of an OpenRLHF query (prompt + response decoded with special tokens).
 * Rules, in order: the prompt is an exact prefix; the prompt matches a prefix when whitespace is
 * ignored (decoding round trips change spaces and newlines); the prompt occurs later in the query
 * (a BOS token was prepended): the text after its last occurrence; otherwise the whole query.
 * Trailing end-of-sequence tokens (and whitespace between them) are then removed.
 *
 * @param query prompt + response, as OpenRLHF sends it
 * @param prompt the templated prompt, or undefined
 * @param eosTokens tokens stripped from the end
 * @returns the completion and which rule cut it
 */
export function completionFromQuery(query: string, prompt: string | undefined, eosTokens: readonly string[] = defaultEosTokens): { completion: string; cut: 'prefix' | 'whitespace' | 'inside' | 'none' } {
  let completion = query;
  let cut: 'prefix' | 'whitespace' | 'inside' | 'none' = 'none';
  if (typeof prompt === 'string' && prompt.length > 0) {
    if (query.startsWith(prompt)) {
      completion = query.slice(prompt.length);
      cut = 'prefix';
    } else {
      const end = whitespaceInsensitivePrefix(query, prompt);
      if (end !== undefined) {
        completion = query.slice(end);
        cut = 'whitespace';
      } else {
        const at = query.lastIndexOf(prompt);
        if (at >= 0) {
          completion = query.slice(at + prompt.length);
          cut = 'inside';
        }
      }
    }
  }
  return { completion: stripEos(completion, eosTokens), cut };
}

function whitespaceInsensitivePrefix(query: string, prompt: string): number | undefined {
  let q = 0;
  for (let p = 0; p < prompt.length; p++) {
    const char = prompt[p] as string;
    if (/\s/.test(char)) continue;
    while (q < query.length && /\s/.test(query[q] as string)) q++;
    if (query[q] !== char) return undefined;
    q++;
  }
  return q;
}

function stripEos(text: string, eosTokens: readonly string[]): string {
  let end = text.length;
  for (;;) {
    while (end > 0 && /\s/.test(text[end - 1] as string)) end--;
    const token = eosTokens.find((candidate) => candidate.length > 0 && text.startsWith(candidate, end - candidate.length));
    if (!token) break;
    end -= token.length;
  }
  // Keep the completion's own trailing whitespace out, as decoders differ on it.
  return text.slice(0, end);
}

/**
 * Read an OpenRLHF label: a JSON object or list sent as a string (`"{\"tests\": …}"`) is decoded,
 * and so is a JSON-quoted string; anything else (`"42"`, `"\\frac12"`) stays the string it is. A
 * decoded object with a `reference` key is taken as rollout fields (`reference`, `task`, `meta`,
 * `media`), so a dataset can route OpenRLHF samples by task.
 */
export function rolloutFieldsFromLabel(label: unknown): Partial<Rollout> {
  let value = label;
  if (typeof label === 'string') {
    const trimmed = label.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('"')) {
      try {
        value = JSON.parse(trimmed);
      } catch {
        value = label;
      }
    }
  }
  if (value === '' || value === null || value === undefined) return {};
  if (typeof value === 'object' && !Array.isArray(value) && 'reference' in (value as object)) {
    const fields = value as Record<string, unknown>;
    const out: Partial<Rollout> = { reference: fields.reference };
    if (typeof fields.task === 'string') out.task = fields.task;
    if (typeof fields.meta === 'object' && fields.meta !== null) out.meta = fields.meta as Record<string, unknown>;
    if (typeof fields.media === 'object' && fields.media !== null) out.media = fields.media as Rollout['media'];
    return out;
  }
  return { reference: value };
}

/** OpenRLHF's response body (`rewards`, `scores`, `extra_logs`). */
export interface OpenRlhfBody {
  /** One reward per query. */
  rewards: number[];
  /** One score in [0, 1] per query (the reward clamped), for dynamic filtering. */
  scores: number[];
  /** Every component as a list (null where it did not score), plus `skipped` (1/0). */
  extra_logs: Record<string, (number | null)[]>;
}

/**
 * Build OpenRLHF's response from results that are all `ok` or `skipped` (the server answers a
 * fault with 5xx before it gets here). A skipped rollout gets `onSkip`.
 *
 * @param results one per query
 * @param components the config's component names, so every list has one entry per query
 * @param onSkip the reward of a skipped rollout (default 0)
 */
export function openRlhfBody(results: readonly RewardResult[], components: readonly string[], onSkip: number): OpenRlhfBody {
  const rewards = results.map((result) => (result.status === 'ok' && typeof result.reward === 'number' ? result.reward : onSkip));
  const scores = rewards.map((reward) => Math.min(1, Math.max(0, reward)));
  const names = new Set<string>(components);
  for (const result of results) for (const name of Object.keys(result.components ?? {})) names.add(name);
  const extra: Record<string, (number | null)[]> = {};
  for (const name of names) extra[name] = results.map((result) => result.components?.[name] ?? null);
  extra.skipped = results.map((result) => (result.status === 'skipped' ? 1 : 0));
  return { rewards, scores, extra_logs: extra };
}
