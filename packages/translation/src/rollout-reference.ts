import { RewardError, type Rollout } from '@mixreward/core';
import { pyStrip } from './python-text.js';

/**
 * A translation reference as a rollout carries it: one reference, several, or an object with
 * `refs` and an optional `source` sentence.
 */
export type TranslationReference = string | string[] | { refs: string | string[]; source?: string };

/** A parsed translation reference. */
export interface ParsedTranslationReference {
  /** Non-empty references (at least one). */
  refs: string[];
  /** The source sentence, from the reference object or `meta.source`, when given. */
  source: string | undefined;
}

/**
 * Read a rollout's translation reference: `"ref"`, `["ref 1", "ref 2"]` or
 * `{"refs": [...], "source"?: "..."}` (the source may also come from `meta.source`).
 * @returns the references, or `null` when the rollout has none or all are empty (the reward then
 *   abstains); throws `RewardError('INVALID_REFERENCE')` naming the field for any other shape
 */
export function parseTranslationReference(rollout: Rollout): ParsedTranslationReference | null {
  const raw = rollout.reference;
  const metaSource = typeof rollout.meta?.source === 'string' ? rollout.meta.source : undefined;
  if (raw === undefined || raw === null) return null;
  let list: unknown;
  let source = metaSource;
  if (typeof raw === 'string' || Array.isArray(raw)) {
    list = raw;
  } else if (typeof raw === 'object') {
    const record = raw as Record<string, unknown>;
    if (!('refs' in record)) {
      throw new RewardError('INVALID_REFERENCE', 'reference object must have a "refs" field (a string or an array of strings)', { path: 'reference.refs' });
    }
    list = record.refs;
    if (record.source !== undefined) {
      if (typeof record.source !== 'string') {
        throw new RewardError('INVALID_REFERENCE', 'reference.source must be a string', { path: 'reference.source' });
      }
      source = record.source;
    }
  } else {
    throw new RewardError(
      'INVALID_REFERENCE',
      `reference must be a string, an array of strings or {"refs": [...]} (got ${typeof raw})`,
      { path: 'reference' },
    );
  }
  const field = typeof raw === 'object' && !Array.isArray(raw) ? 'reference.refs' : 'reference';
  const items = typeof list === 'string' ? [list] : list;
  if (!Array.isArray(items)) {
    throw new RewardError('INVALID_REFERENCE', `${field} must be a string or an array of strings`, { path: field });
  }
  const refs: string[] = [];
  items.forEach((item, index) => {
    if (typeof item !== 'string') {
      throw new RewardError('INVALID_REFERENCE', `${field}[${index}] must be a string (got ${item === null ? 'null' : typeof item})`, {
        path: `${field}[${index}]`,
      });
    }
    if (pyStrip(item) !== '') refs.push(item);
  });
  return refs.length === 0 ? null : { refs, source };
}

/**
 * The target language of a rollout: the reward's `lang` option, else `meta.target_lang` (also
 * `meta.tgt_lang`, `meta.lang`), normalised to a lowercase primary subtag (`zh-CN` -> `zh`).
 * @returns the language code, or `undefined` when none is given
 */
export function targetLanguage(rollout: Rollout, optionLang: string | undefined): string | undefined {
  const meta = rollout.meta ?? {};
  const raw = optionLang ?? [meta.target_lang, meta.tgt_lang, meta.lang].find((value) => typeof value === 'string' && value.trim() !== '');
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return raw.trim().split(/[-_]/)[0]?.toLowerCase();
}

function lastBlock(completion: string, tag: string): string | undefined {
  const close = `</${tag}>`;
  const end = completion.lastIndexOf(close);
  if (end < 0) return undefined;
  const open = `<${tag}>`;
  const start = completion.lastIndexOf(open, end);
  return start < 0 ? undefined : completion.slice(start + open.length, end);
}

/**
 * The translation in a completion, stripped of surrounding whitespace (as MT-R1-Zero): the content
 * of the last `<answer_tag>…</answer_tag>` block; with `auto`, the last `<translate>` block
 * (MT-R1-Zero's template), else the last `<answer>` block (R1 templates); the whole completion when
 * there is no such block or the tag is null. Linear time (`lastIndexOf`, no regex).
 */
export function translationText(completion: string, answer_tag: string | null): string {
  if (typeof completion !== 'string') throw new RewardError('INVALID_ROLLOUT', 'completion: expected a string', { path: 'completion' });
  if (answer_tag === 'auto') {
    const block = lastBlock(completion, 'translate') ?? lastBlock(completion, 'answer');
    return pyStrip(block ?? completion);
  }
  if (answer_tag) {
    const block = lastBlock(completion, answer_tag);
    if (block !== undefined) return pyStrip(block);
  }
  return pyStrip(completion);
}
