import { readFile } from 'node:fs/promises';
import { RewardError, errorMessage, loadTokenizer } from '@mixreward/core';
import type { Tokenizer } from '@huggingface/tokenizers';

const CACHE_ENTRIES = 2048;
const CACHE_MAX_CHARS = 4096;

/** One encoded sequence (or pair), special tokens included. */
export interface EncodedText {
  /** Token ids. */
  ids: number[];
  /** Token type ids (0 for the first text, 1 for the pair), same length as `ids`. */
  typeIds: number[];
  /** True where the token is a special token ([CLS], [SEP], <s>, …). */
  special: boolean[];
}

/** Truncation settings of {@link TextTokenizer.encode}. */
export interface TruncationSettings {
  /** Maximum total tokens, special tokens included, >= 2. */
  maxLength: number;
  /** Which end is cut; `none`: a longer text is a RewardError. */
  side: 'right' | 'left' | 'none';
}

/**
 * A Hugging Face `tokenizer.json` loaded with @huggingface/tokenizers, with truncation (longest
 * first for pairs) applied before the post-processor adds special tokens, as Hugging Face does.
 */
export class TextTokenizer {
  private readonly specialIds: Set<number>;
  private readonly unknownId: number;
  private readonly specialsSingle: number;
  private readonly specialsPair: number;
  private readonly cache = new Map<string, string[]>();
  private readonly encodedCache = new Map<string, EncodedText>();
  /** The id of tokenizer_config.json's pad_token, when it names one the vocabulary has. */
  readonly padId: number | undefined;

  private constructor(
    private readonly tokenizer: Tokenizer,
    config: Record<string, unknown>,
  ) {
    this.specialIds = new Set([...tokenizer.get_added_tokens_decoder()].filter(([, token]) => token.special).map(([id]) => id));
    this.unknownId = tokenizer.model?.unk_token_id ?? 0;
    this.specialsSingle = this.postProcess(['a'], null).ids.length - 1;
    this.specialsPair = this.postProcess(['a'], ['b']).ids.length - 2;
    const pad = config.pad_token;
    const padToken = typeof pad === 'string' ? pad : typeof pad === 'object' && pad !== null && 'content' in pad && typeof pad.content === 'string' ? pad.content : undefined;
    this.padId = padToken === undefined ? undefined : tokenizer.token_to_id(padToken);
  }

  /**
   * Load `tokenizer.json` with core's {@link loadTokenizer} (one loader for the whole project; the
   * parsed tokenizer is shared per file) and read the pad token of an optional
   * `tokenizer_config.json`. A missing, malformed or unsupported tokenizer.json is
   * `RewardError('MODEL_UNAVAILABLE')` naming the file; a malformed tokenizer_config.json is
   * `INVALID_CONFIG`.
   */
  static async load(file: string, configFile?: string): Promise<TextTokenizer> {
    let config: Record<string, unknown> = {};
    if (configFile !== undefined) {
      const configText = await readFile(configFile, 'utf8').catch(() => undefined);
      if (configText !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(configText);
        } catch (error) {
          throw new RewardError('INVALID_CONFIG', `${configFile} is not valid JSON: ${errorMessage(error)}`, { path: configFile, cause: error });
        }
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) config = { ...parsed };
      }
    }
    const tokenizer = await loadTokenizer(file, { configFile });
    return new TextTokenizer(tokenizer, config);
  }

  /** The id of a token, or undefined when it is not in the vocabulary. */
  tokenId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /**
   * Encode a text (or pair) with special tokens, truncated to `truncation.maxLength` tokens. Recent
   * results are cached: treat the returned arrays as read-only.
   */
  encode(text: string, textPair: string | undefined, truncation: TruncationSettings): EncodedText {
    if (textPair !== undefined || text.length > CACHE_MAX_CHARS) return this.encodeUncached(text, textPair, truncation);
    const key = `${truncation.maxLength}\u0000${truncation.side}\u0000${text}`;
    const hit = this.encodedCache.get(key);
    if (hit) return hit;
    const encoded = this.encodeUncached(text, undefined, truncation);
    if (this.encodedCache.size >= CACHE_ENTRIES) this.encodedCache.delete(this.encodedCache.keys().next().value as string);
    this.encodedCache.set(key, encoded);
    return encoded;
  }

  private encodeUncached(text: string, textPair: string | undefined, truncation: TruncationSettings): EncodedText {
    // A text far past maxLength is cut by characters first (keeping at least 64 characters per
    // token, and 16384 in all), so a huge completion costs no more than a long one to tokenize.
    const characters = Math.max(16_384, truncation.maxLength * 64);
    const clip = (value: string) =>
      truncation.side === 'none' || value.length <= characters ? value : truncation.side === 'left' ? value.slice(-characters) : value.slice(0, characters);
    let first = this.tokenize(clip(text));
    let second = textPair === undefined ? null : this.tokenize(clip(textPair));
    const budget = Math.max(0, truncation.maxLength - (second === null ? this.specialsSingle : this.specialsPair));
    const total = first.length + (second?.length ?? 0);
    if (total > budget) {
      if (truncation.side === 'none') {
        throw new RewardError('INVALID_INPUT', `text: ${total} tokens do not fit the model's maxLength of ${truncation.maxLength} (manifest.json truncation is "none")`, {
          path: 'text',
        });
      }
      const cut = (tokens: string[], keep: number) => (truncation.side === 'left' ? tokens.slice(tokens.length - keep) : tokens.slice(0, keep));
      if (second === null) {
        first = cut(first, budget);
      } else {
        // longest_first: take one token at a time from the longer sequence.
        let keepFirst = first.length;
        let keepSecond = second.length;
        while (keepFirst + keepSecond > budget) {
          if (keepFirst > keepSecond) keepFirst -= 1;
          else keepSecond -= 1;
        }
        first = cut(first, keepFirst);
        second = cut(second, keepSecond);
      }
    }
    return this.postProcess(first, second);
  }

  /** Tokens of one text without special tokens; recent texts are cached (prompts and references repeat within a group). */
  private tokenize(text: string): string[] {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const tokens = this.tokenizer.tokenize(text);
    if (text.length <= CACHE_MAX_CHARS) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(text, tokens);
    }
    return tokens;
  }

  private postProcess(first: string[], second: string[] | null): EncodedText {
    let tokens: string[];
    let typeIds: number[];
    const processor = this.tokenizer.post_processor;
    if (processor) {
      const out = processor(first, second, true);
      tokens = out.tokens_pair ? [...out.tokens, ...out.tokens_pair] : out.tokens;
      typeIds = out.token_type_ids ?? [...new Array<number>(out.tokens.length).fill(0), ...new Array<number>(out.tokens_pair?.length ?? 0).fill(1)];
    } else {
      tokens = second ? [...first, ...second] : first;
      typeIds = [...new Array<number>(first.length).fill(0), ...new Array<number>(second?.length ?? 0).fill(1)];
    }
    const ids = tokens.map((token) => this.tokenizer.token_to_id(token) ?? this.unknownId);
    return { ids, typeIds, special: ids.map((id) => this.specialIds.has(id)) };
  }
}
