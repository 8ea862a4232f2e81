import { definePlugin, ok, perRollout, skipped, type CreateContext, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { z } from 'zod';
import { completionOf, createFromPlugin, invalidReference, show } from './reward-common.js';
import { answerRegion } from './answer-region.js';

const orderOptions = z
  .object({
    mode: z
      .enum(['kendall', 'exact'])
      .default('kendall')
      .describe('kendall (default): Kendall tau over every pair of reference events mapped to [0, 1] as (tau + 1) / 2; exact: 1 when the order is exactly the reference order (no unknown or repeated id), else 0.'),
    extract: z
      .enum(['answer', 'anywhere'])
      .default('answer')
      .describe('answer (default): read the last <answer> block when there is one, else the whole completion; anywhere: the whole completion. <think> blocks never count.'),
    answer_tag: z.string().min(1).default('answer').describe('Name of the answer tag, without brackets. Default answer.'),
    case_sensitive: z.boolean().default(false).describe('Compare ids with case (default false: "b" is "B").'),
  })
  .strict();

/** Options of `video.order` as a user writes them (every key optional). */
export type VideoOrderOptions = z.input<(typeof videoOrderPlugin)['options']>;

/** The ids a completion lists, in order, and what could not be used. */
export interface ParsedOrder {
  /** Reference ids in the order first written. */
  sequence: string[];
  /** Reference ids written more than once (their position is ambiguous). */
  repeated: string[];
  /** Single-token items that are no reference id ("D" when the events are A, B, C). */
  unknown: string[];
}

const MAX_CHARS = 20_000;
const ITEM_SEPARATORS = /,|;|\n|\||->|=>|→|⟶|>|\bthen\b|\band\b|\bfinally\b|\bfollowed by\b|\bafter that\b|\bnext\b/i;
const LEAD = /^[\s"'`*[\](){}<.:#-]*(?:(?:\d+[.)]|[-*•])\s+)?(?:(?:event|step|scene|clip|shot|id)\s*)?/i;

function normalize(text: string, caseSensitive: boolean): string {
  const collapsed = text.trim().replace(/\s+/g, ' ');
  return caseSensitive ? collapsed : collapsed.toLowerCase();
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}_]/u.test(char);
}

/**
 * Read the order of events a completion lists: items split at commas, semicolons, new lines,
 * arrows, `>`, "then", "and"; each item is a reference id (`B`, `"B"`, `(2)`, `Event B`, `1. B`) or
 * contains reference ids as whole words (in the order written). Linear in the text (capped at
 * 20,000 characters) times the number of ids.
 *
 * @param text the completion (or its answer block)
 * @param ids the reference ids
 * @param caseSensitive compare ids with case
 */
export function parseOrder(text: string, ids: readonly string[], caseSensitive = false): ParsedOrder {
  const keys = new Map<string, string>();
  for (const id of ids) keys.set(normalize(id, caseSensitive), id);
  const positions = new Map<string, number>();
  const repeated = new Set<string>();
  const unknown: string[] = [];
  const sequence: string[] = [];
  const add = (id: string): void => {
    if (positions.has(id)) repeated.add(id);
    else {
      positions.set(id, sequence.length);
      sequence.push(id);
    }
  };
  const limited = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  for (const raw of limited.split(ITEM_SEPARATORS)) {
    const stripped = raw.replace(LEAD, '').replace(/[\s"'`*[\](){}<>.:!?]+$/, '');
    if (stripped.length === 0) continue;
    const whole = keys.get(normalize(stripped, caseSensitive));
    if (whole !== undefined) {
      add(whole);
      continue;
    }
    const haystack = caseSensitive ? stripped : stripped.toLowerCase();
    const found: Array<[number, string]> = [];
    for (const [key, id] of keys) {
      let at = haystack.indexOf(key);
      while (at >= 0) {
        if (!isWordChar(haystack[at - 1]) && !isWordChar(haystack[at + key.length])) {
          found.push([at, id]);
          break;
        }
        at = haystack.indexOf(key, at + 1);
      }
    }
    if (found.length === 0) {
      if (!/\s/.test(stripped) && stripped.length <= 24) unknown.push(stripped);
      continue;
    }
    found.sort((a, b) => a[0] - b[0]);
    for (const [, id] of found) add(id);
  }
  return { sequence: sequence.filter((id) => !repeated.has(id)), repeated: [...repeated], unknown };
}

/**
 * Kendall tau of a predicted order against the reference order, over every pair of reference ids:
 * a pair is concordant when both ids appear in the same relative order, discordant when reversed or
 * when either id is missing. tau = (concordant − discordant) / pairs.
 * @returns tau in [-1, 1]; 1 for a single reference id that is present, -1 when it is missing
 */
export function kendallTau(predicted: readonly string[], reference: readonly string[]): number {
  const position = new Map<string, number>();
  predicted.forEach((id, index) => position.set(id, index));
  const pairs = (reference.length * (reference.length - 1)) / 2;
  if (pairs === 0) return reference.length === 1 && position.has(reference[0] as string) ? 1 : -1;
  let concordant = 0;
  for (let i = 0; i < reference.length; i++) {
    const a = position.get(reference[i] as string);
    if (a === undefined) continue;
    for (let j = i + 1; j < reference.length; j++) {
      const b = position.get(reference[j] as string);
      if (b !== undefined && a < b) concordant++;
    }
  }
  return (2 * concordant - pairs) / pairs;
}

function parseOrderReference(raw: unknown): string[] {
  let list: unknown = raw;
  if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw);
    } catch {
      throw invalidReference('', `expected {"order": [ids]} or JSON of it, got the string ${JSON.stringify(raw.slice(0, 60))}`);
    }
  }
  if (typeof list === 'object' && list !== null && !Array.isArray(list)) list = (list as { order?: unknown }).order;
  if (!Array.isArray(list) || list.length === 0) throw invalidReference('.order', 'expected a non-empty list of event ids');
  const ids = list.map((item, index) => {
    if ((typeof item !== 'string' && typeof item !== 'number') || String(item).trim() === '') throw invalidReference(`.order[${index}]`, `expected an id (a string or a number), got ${JSON.stringify(item)}`);
    return String(item).trim();
  });
  const seen = new Set<string>();
  for (const [index, id] of ids.entries()) {
    const key = id.toLowerCase();
    if (seen.has(key)) throw invalidReference(`.order[${index}]`, `id ${JSON.stringify(id)} appears twice`);
    seen.add(key);
  }
  return ids;
}

/**
 * `video.order`: the order of events a completion lists against `{"order": [ids]}`. Kendall tau over
 * every pair of reference events mapped to [0, 1], or exact order. An id written twice counts as
 * missing (its position is ambiguous, so listing both orders earns nothing); missing ids make all
 * their pairs discordant; unknown ids are ignored by tau and fail exact mode.
 */
export const videoOrderPlugin = definePlugin({
  name: 'video.order',
  description: 'Order of events in the answer against the reference order (Kendall tau in [0, 1], or exact)',
  follows: 'ChronusOmni temporal-order reward; Kendall rank correlation',
  reference: '{"order": ["A", "B", "C"]} (ids as strings or numbers), or a bare list of ids',
  options: orderOptions,
  create(options) {
    return perRollout((rollout) => scoreOrder(rollout, options));
  },
});

function scoreOrder(rollout: Rollout, options: z.output<typeof orderOptions>): RewardResult {
  const completion = completionOf(rollout, 'video.order');
  if (rollout.reference === undefined) return skipped('no reference: video.order needs rollout.reference ({"order": [ids]})');
  const reference = parseOrderReference(rollout.reference);
  const region = answerRegion(completion, options.extract, options.answer_tag);
  const parsed = parseOrder(region.text, reference, options.case_sensitive);
  const tau = kendallTau(parsed.sequence, reference);
  const missing = reference.filter((id) => !parsed.sequence.includes(id));
  const components: Record<string, number | null> = {
    kendall_tau: tau,
    matched: parsed.sequence.length,
    missing: missing.length,
    repeated: parsed.repeated.length,
    unknown: parsed.unknown.length,
  };
  const exact = parsed.sequence.length === reference.length && parsed.sequence.every((id, index) => id === reference[index]) && parsed.repeated.length === 0 && parsed.unknown.length === 0;
  const reward = options.mode === 'exact' ? (exact ? 1 : 0) : (tau + 1) / 2;
  const notes: string[] = [];
  if (missing.length > 0) notes.push(`missing ${missing.join(', ')}`);
  if (parsed.repeated.length > 0) notes.push(`repeated (counted as missing) ${parsed.repeated.join(', ')}`);
  if (parsed.unknown.length > 0) notes.push(`unknown ${parsed.unknown.slice(0, 8).join(', ')}`);
  const read = parsed.sequence.length > 0 ? `read ${parsed.sequence.join(' > ')}` : 'no reference id found';
  const verdict = options.mode === 'exact' ? (exact ? 'exactly the reference order' : 'not exactly the reference order') : `kendall tau ${show(tau)}`;
  return ok(reward, { components, reason: `${read} ${region.where}; ${verdict} against ${reference.join(' > ')}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}` });
}

/**
 * A `video.order` scorer for library use.
 * @param options the reward's options (all optional)
 * @param context base and media folders, and a logger
 */
export function createVideoOrderReward(options: VideoOrderOptions = {}, context: Partial<CreateContext> = {}): Promise<Scorer> {
  return createFromPlugin(videoOrderPlugin, options, context);
}
