import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isAbsolute, join, resolve } from 'node:path';
import { RewardError } from './errors.js';
import type { Rollout } from './types.js';
import type { Tokenizer } from '@huggingface/tokenizers';

/** The `tokenizer` and `unit` options every length reward shares. */
export const lengthUnitOptions = {
  tokenizer: z.string().optional().describe('Path to a tokenizer.json (or its folder), relative to the config file: lengths in tokens. Default none: characters (or meta.completion_tokens when unit is "tokens").'),
  unit: z.enum(['auto', 'tokens', 'characters']).default('auto').describe('auto: tokens with a tokenizer, else characters. Default auto.'),
};

/** Counts the length of a completion in one unit. */
export interface LengthCounter {
  /** `tokens` (a tokenizer, or the trainer's token count) or `characters` (Unicode code points). */
  readonly unit: 'tokens' | 'characters';
  /** The length of the rollout's completion in `unit`, >= 0. */
  count(rollout: Rollout): number;
}

const tokenizerCache = new Map<string, Promise<Tokenizer>>();

/**
 * Load a Hugging Face `tokenizer.json` (a file, or a folder holding one) once per path, with its
 * `tokenizer_config.json` (optional: `options.configFile`, default the one beside tokenizer.json).
 * An unreadable, malformed or unsupported tokenizer.json is `RewardError('MODEL_UNAVAILABLE')`
 * naming the file. The tokenizer is shared by every caller of the same path: do not mutate it.
 */
export function loadTokenizer(path: string, options: { configFile?: string | undefined } = {}): Promise<Tokenizer> {
  const key = options.configFile === undefined ? path : `${path}\u0000${options.configFile}`;
  let cached = tokenizerCache.get(key);
  if (!cached) {
    cached = (async () => {
      const file = path.endsWith('.json') ? path : join(path, 'tokenizer.json');
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new RewardError('MODEL_UNAVAILABLE', `cannot read tokenizer ${file}: ${(error as Error).message}; set "tokenizer" to a tokenizer.json file or its folder`, { path: file, cause: error });
      }
      let config: unknown = {};
      try {
        config = JSON.parse(await readFile(options.configFile ?? join(file, '..', 'tokenizer_config.json'), 'utf8'));
      } catch {
        // tokenizer_config.json is optional
      }
      const { Tokenizer } = await import('@huggingface/tokenizers');
      try {
        return new Tokenizer(json as object, config as object);
      } catch (error) {
        throw new RewardError('MODEL_UNAVAILABLE', `${file} is not a usable tokenizer.json: ${(error as Error).message}`, { path: file, cause: error });
      }
    })();
    cached.catch(() => tokenizerCache.delete(key));
    tokenizerCache.set(key, cached);
  }
  return cached;
}

function tokenCountFromMeta(rollout: Rollout): number | undefined {
  const meta = rollout.meta ?? {};
  for (const key of ['completion_tokens', 'response_length', 'num_tokens']) {
    const value = meta[key] ?? rollout[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}

/**
 * Make a length counter. With `tokenizer` (path to tokenizer.json or its folder, relative to
 * `baseDir`), lengths are tokens of the completion (no special tokens); else, when `unit` is
 * `tokens`, the trainer's count in `meta.completion_tokens` (or `response_length`, `num_tokens`) is
 * used; else characters (Unicode code points).
 */
export async function createLengthCounter(options: { tokenizer?: string | undefined; unit?: 'auto' | 'tokens' | 'characters'; baseDir: string }): Promise<LengthCounter> {
  const unit = options.unit ?? 'auto';
  if (options.tokenizer) {
    const path = isAbsolute(options.tokenizer) ? options.tokenizer : resolve(options.baseDir, options.tokenizer);
    const tokenizer = await loadTokenizer(path);
    return { unit: 'tokens', count: (rollout) => tokenizer.encode(rollout.completion, { add_special_tokens: false }).ids.length };
  }
  if (unit === 'tokens') {
    return {
      unit: 'tokens',
      count: (rollout) => {
        const count = tokenCountFromMeta(rollout);
        if (count === undefined) throw new RewardError('INVALID_ROLLOUT', 'unit is "tokens" but no tokenizer is set and the rollout has no meta.completion_tokens');
        return count;
      },
    };
  }
  return { unit: 'characters', count: (rollout) => codePointLength(rollout.completion) };
}

/** Length of a string in Unicode code points. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    count++;
  }
  return count;
}
