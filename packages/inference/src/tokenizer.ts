import { readFile } from 'node:fs/promises';
import { RewardError, errorMessage, loadTokenizer } from '@mixreward/core';
import type { Tokenizer } from '@huggingface/tokenizers';

const CACHE_ENTRIES = 2048;
const CACHE_MAX_CHARS = 4096;
const WORD_CACHE_ENTRIES = 65_536;
const WORD_CACHE_MAX_CHARS = 64;

type NormalizerConfig = NonNullable<Tokenizer['normalizer']>['config'];

/** Normalizers that act on each character (or each whitespace-free run) alone: they never join text across whitespace. */
const LOCAL_NORMALIZERS = new Set(['BertNormalizer', 'Lowercase', 'NFD', 'NFKD', 'NFC', 'NFKC', 'StripAccents', 'Strip']);

function isLocalNormalizer(config: NormalizerConfig): boolean {
  return config.type === 'Sequence' ? config.normalizers.every(isLocalNormalizer) : LOCAL_NORMALIZERS.has(config.type);
}

/**
 * Whether tokenizing a text equals tokenizing its whitespace-separated words one by one and
 * concatenating: true for BERT-style tokenizers (a character-local normalizer, a pre-tokenizer that
 * splits on whitespace and drops it, a per-word model, no added token containing whitespace). Then
 * words are tokenized once and cached, which is where the time goes (the library's normalizer
 * walks every character). Byte-level BPE and SentencePiece tokenizers keep whitespace in their
 * pre-tokens (`Ġb`, `▁b`) and are tokenized whole. The pre-tokenizer is recognised by what it
 * does to a probe with every kind of whitespace, as the library does not expose its type.
 */
function splitsOnWhitespace(tokenizer: Tokenizer): boolean {
  const pre = tokenizer.pre_tokenizer;
  const probe = pre === null ? [] : pre(' ab  cd\te\u00a0f\ng\u3000h ');
  const dropsWhitespace = probe.join('|') === 'ab|cd|e|f|g|h';
  const modelType = tokenizer.model?.config.type;
  const wordModel = modelType === 'WordPiece' || modelType === 'BPE' || modelType === 'Unigram';
  const normalizer = tokenizer.normalizer;
  const localNormalizer = normalizer === null || isLocalNormalizer(normalizer.config);
  const addedWithSpace = [...tokenizer.get_added_tokens_decoder().values()].some((token) => /\s/.test(token.content));
  return dropsWhitespace && wordModel && localNormalizer && !addedWithSpace;
}

/** Whether a UTF-16 unit is whitespace as JavaScript's `\\s` (the library's whitespace test): ASCII tab to carriage return, space, and the Unicode space separators, line and paragraph separators and BOM. */
function isJsWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

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
  private readonly cache = new Map<string, number[]>();
  private readonly encodedCache = new Map<string, EncodedText>();
  private readonly wordCache = new WordTable(WORD_CACHE_ENTRIES);
  private readonly template: PostTemplate | undefined;
  /** 1 at the id of every special token (ids past its end are not special). */
  private readonly specialTable: Uint8Array;
  /** For the single-text template: token types and special flags of a whole encoding by its length (shared, read-only); undefined when the template's types differ by part. */
  private readonly singleTypes: number[][] | undefined;
  private readonly singleSpecials: boolean[][] = [];
  /** The id of tokenizer_config.json's pad_token, when it names one the vocabulary has. */
  readonly padId: number | undefined;

  private constructor(
    private readonly tokenizer: Tokenizer,
    config: Record<string, unknown>,
    private readonly byWord: boolean,
  ) {
    this.specialIds = new Set([...tokenizer.get_added_tokens_decoder()].filter(([, token]) => token.special).map(([id]) => id));
    this.unknownId = tokenizer.model?.unk_token_id ?? 0;
    this.specialsSingle = this.processTokens(['a'], null).tokens.length - 1;
    this.specialsPair = this.processTokens(['a'], ['b']).tokens.length - 2;
    this.template = this.deriveTemplate();
    this.specialTable = new Uint8Array(this.specialIds.size === 0 ? 0 : Math.max(...this.specialIds) + 1);
    for (const id of this.specialIds) this.specialTable[id] = 1;
    const single = this.template?.single;
    const uniform = single !== undefined && [...single.prefix.types, ...single.suffix.types].every((type) => type === single.firstType);
    this.singleTypes = uniform ? [] : undefined;
    const pad = config.pad_token;
    const padToken = typeof pad === 'string' ? pad : typeof pad === 'object' && pad !== null && 'content' in pad && typeof pad.content === 'string' ? pad.content : undefined;
    this.padId = padToken === undefined ? undefined : tokenizer.token_to_id(padToken);
  }

  /**
   * Load `tokenizer.json` with core's `loadTokenizer` (one loader for the whole project; the
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
    return new TextTokenizer(tokenizer, config, splitsOnWhitespace(tokenizer));
  }

  /** The id of a token, or undefined when it is not in the vocabulary. */
  tokenId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /**
   * Encode a text (or pair) with special tokens, truncated to `truncation.maxLength` tokens. Results
   * may be cached: treat the returned arrays as read-only. A word-cached tokenizer keeps no
   * whole-text cache: encoding from cached words costs about as much as a lookup of the text, and
   * caching every new text only makes garbage.
   */
  encode(text: string, textPair: string | undefined, truncation: TruncationSettings): EncodedText {
    if (this.byWord || textPair !== undefined || text.length > CACHE_MAX_CHARS) return this.encodeUncached(text, textPair, truncation);
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
    if (textPair === undefined && this.byWord && this.template !== undefined) return this.encodeWords(clipText(text, characters, truncation.side), truncation, this.template.single);
    let first = this.tokenIds(clipText(text, characters, truncation.side));
    let second = textPair === undefined ? null : this.tokenIds(clipText(textPair, characters, truncation.side));
    const budget = Math.max(0, truncation.maxLength - (second === null ? this.specialsSingle : this.specialsPair));
    const total = first.length + (second?.length ?? 0);
    if (total > budget) {
      if (truncation.side === 'none') {
        throw new RewardError('INVALID_INPUT', `text: ${total} tokens do not fit the model's max_length of ${truncation.maxLength} (manifest.json truncation is "none")`, {
          path: 'text',
        });
      }
      if (second === null) {
        first = cutTokens(first, budget, truncation.side);
      } else {
        // longest_first: take one token at a time from the longer sequence.
        let keepFirst = first.length;
        let keepSecond = second.length;
        while (keepFirst + keepSecond > budget) {
          if (keepFirst > keepSecond) keepFirst -= 1;
          else keepSecond -= 1;
        }
        first = cutTokens(first, keepFirst, truncation.side);
        second = cutTokens(second, keepSecond, truncation.side);
      }
    }
    return this.postProcess(first, second);
  }

  /**
   * `encodeUncached` for one text of a word-cached tokenizer with a template post-processor, in
   * one pass: the words' ids go straight between the template's prefix and suffix (right
   * truncation stops reading words once the budget is passed), and the token types and special
   * flags of the usual case (uniform types, no special token typed in the text) are shared arrays.
   */
  private encodeWords(text: string, truncation: TruncationSettings, template: PostTemplate['single']): EncodedText {
    const ids: number[] = [];
    for (const id of template.prefix.ids) ids.push(id);
    const start = ids.length;
    const budget = Math.max(0, truncation.maxLength - this.specialsSingle);
    this.appendWordIds(ids, text, truncation.side === 'right' ? start + budget + 1 : Infinity);
    const count = ids.length - start;
    if (count > budget) {
      if (truncation.side === 'none') {
        throw new RewardError('INVALID_INPUT', `text: ${count} tokens do not fit the model's max_length of ${truncation.maxLength} (manifest.json truncation is "none")`, { path: 'text' });
      }
      if (truncation.side === 'right') ids.length = start + budget;
      else ids.splice(start, count - budget);
    }
    const kept = ids.length - start;
    for (const id of template.suffix.ids) ids.push(id);
    let typed = false;
    const table = this.specialTable;
    for (let index = start; index < start + kept; index++) {
      const id = ids[index] as number;
      if (id < table.length && table[id] === 1) typed = true;
    }
    let typeIds: number[];
    const sharedTypes = this.singleTypes;
    if (sharedTypes !== undefined) {
      typeIds = sharedTypes[ids.length] ??= new Array<number>(ids.length).fill(template.firstType);
    } else {
      typeIds = [...template.prefix.types, ...new Array<number>(kept).fill(template.firstType), ...template.suffix.types];
    }
    let special: boolean[];
    if (!typed) {
      special = this.singleSpecials[ids.length] ??= ids.map((id, index) => (index < start || index >= start + kept) && this.specialIds.has(id));
    } else {
      special = ids.map((id) => this.specialIds.has(id));
    }
    return { ids, typeIds, special };
  }

  /** Push the ids of a text's whitespace-separated words, each word tokenized once (see `splitsOnWhitespace`), until `ids` holds more than `limit`. */
  private appendWordIds(ids: number[], text: string, limit: number): void {
    let start = -1;
    let hash = 0;
    for (let index = 0; index <= text.length; index++) {
      const code = index < text.length ? text.charCodeAt(index) : 0x20;
      if (!isJsWhitespace(code)) {
        if (start < 0) {
          start = index;
          hash = 0;
        }
        hash = (Math.imul(hash, 31) + code) | 0;
        continue;
      }
      if (start < 0) continue;
      let pieces = index - start <= WORD_CACHE_MAX_CHARS ? this.wordCache.get(text, start, index, hash) : undefined;
      if (pieces === undefined) {
        const word = text.slice(start, index);
        pieces = this.toIds(this.tokenizer.tokenize(word));
        if (word.length <= WORD_CACHE_MAX_CHARS) this.wordCache.set(word, hash, pieces);
      }
      start = -1;
      for (let piece = 0; piece < pieces.length; piece++) ids.push(pieces[piece] as number);
      if (ids.length > limit) return;
    }
  }

  /** Token ids of one text without special tokens; recent texts are cached (prompts and references repeat within a group). */
  private tokenIds(text: string): number[] {
    if (this.byWord) return this.tokenIdsByWord(text);
    const hit = this.cache.get(text);
    if (hit) return hit;
    const ids = this.toIds(this.tokenizer.tokenize(text));
    if (text.length <= CACHE_MAX_CHARS) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(text, ids);
    }
    return ids;
  }

  /** Token ids of a text as the concatenation of its whitespace-separated words' ids, each word tokenized once (see `splitsOnWhitespace`). */
  private tokenIdsByWord(text: string): number[] {
    const ids: number[] = [];
    this.appendWordIds(ids, text, Infinity);
    return ids;
  }

  private toIds(tokens: readonly string[]): number[] {
    return tokens.map((token) => this.tokenizer.token_to_id(token) ?? this.unknownId);
  }

  /** The post-processor's output tokens and token types for token sequences (special tokens added). */
  private processTokens(first: string[], second: string[] | null): { tokens: string[]; typeIds: number[] } {
    const processor = this.tokenizer.post_processor;
    if (processor) {
      const out = processor(first, second, true);
      const tokens = out.tokens_pair ? [...out.tokens, ...out.tokens_pair] : out.tokens;
      return { tokens, typeIds: out.token_type_ids ?? [...new Array<number>(out.tokens.length).fill(0), ...new Array<number>(out.tokens_pair?.length ?? 0).fill(1)] };
    }
    return { tokens: second ? [...first, ...second] : first, typeIds: [...new Array<number>(first.length).fill(0), ...new Array<number>(second?.length ?? 0).fill(1)] };
  }

  /**
   * The post-processor as a fixed template (special-token ids before, between and after the
   * sequences, and each part's token type), read off two probes of different lengths; undefined
   * when the processor's output is not such a template (then it runs on every encode).
   */
  private deriveTemplate(): PostTemplate | undefined {
    const probe = (count: number, tag: string) => Array.from({ length: count }, (_, index) => `\u0000${tag}${index}`);
    const read = (first: string[], second: string[] | null) => {
      const { tokens, typeIds } = this.processTokens(first, second);
      const start = tokens.indexOf(first[0] as string);
      const secondStart = second === null ? -1 : tokens.indexOf(second[0] as string);
      const end = second === null ? start + first.length : secondStart + second.length;
      const slice = (from: number, to: number) => ({ ids: this.toIds(tokens.slice(from, to)), types: typeIds.slice(from, to) });
      const firstEnd = start + first.length;
      return {
        tokens,
        prefix: slice(0, start),
        middle: second === null ? { ids: [], types: [] } : slice(firstEnd, secondStart),
        suffix: slice(end, tokens.length),
        firstType: typeIds[start] ?? 0,
        secondType: second === null ? 1 : (typeIds[secondStart] ?? 1),
      };
    };
    const single = read(probe(2, 'a'), null);
    const pair = read(probe(2, 'a'), probe(3, 'b'));
    const template: PostTemplate = {
      single: { prefix: single.prefix, suffix: single.suffix, firstType: single.firstType },
      pair: { prefix: pair.prefix, middle: pair.middle, suffix: pair.suffix, firstType: pair.firstType, secondType: pair.secondType },
    };
    // The template must reproduce the processor on other lengths, token for token and type for type.
    for (const [first, second] of [
      [probe(1, 'c'), null],
      [probe(4, 'c'), null],
      [probe(3, 'c'), probe(1, 'd')],
      [probe(1, 'c'), probe(5, 'd')],
    ] as const) {
      const expected = this.processTokens([...first], second === null ? null : [...second]);
      const built = this.applyTemplate(template, this.toIds(first), second === null ? null : this.toIds(second));
      if (built.ids.join(',') !== this.toIds(expected.tokens).join(',') || built.typeIds.join(',') !== expected.typeIds.join(',')) return undefined;
      const sequences = expected.tokens.filter((token) => token.startsWith('\u0000'));
      if (sequences.join('|') !== [...first, ...(second ?? [])].join('|')) return undefined;
    }
    return template;
  }

  private applyTemplate(template: PostTemplate, first: number[], second: number[] | null): { ids: number[]; typeIds: number[] } {
    const ids: number[] = [];
    const typeIds: number[] = [];
    if (second === null) {
      const { prefix, suffix, firstType } = template.single;
      appendPart(ids, typeIds, prefix.ids, prefix.types);
      appendPart(ids, typeIds, first, firstType);
      appendPart(ids, typeIds, suffix.ids, suffix.types);
    } else {
      const { prefix, middle, suffix, firstType, secondType } = template.pair;
      appendPart(ids, typeIds, prefix.ids, prefix.types);
      appendPart(ids, typeIds, first, firstType);
      appendPart(ids, typeIds, middle.ids, middle.types);
      appendPart(ids, typeIds, second, secondType);
      appendPart(ids, typeIds, suffix.ids, suffix.types);
    }
    return { ids, typeIds };
  }

  private postProcess(first: number[], second: number[] | null): EncodedText {
    let ids: number[];
    let typeIds: number[];
    if (this.template) {
      ({ ids, typeIds } = this.applyTemplate(this.template, first, second));
    } else {
      const vocabulary = (values: number[]) => values.map((id) => this.tokenizer.id_to_token(id) ?? '');
      const out = this.processTokens(vocabulary(first), second === null ? null : vocabulary(second));
      ids = this.toIds(out.tokens);
      typeIds = out.typeIds;
    }
    const special = new Array<boolean>(ids.length);
    for (let index = 0; index < ids.length; index++) special[index] = this.specialIds.has(ids[index] as number);
    return { ids, typeIds, special };
  }
}

/**
 * The word cache: words (at most WORD_CACHE_MAX_CHARS characters) to their token ids, in an
 * open-addressing table found by a hash of the word's characters that the caller computes while
 * scanning the text. A known word is compared in place (`startsWith` at its offset), so it costs
 * no substring and no string hashing. The table doubles up to twice `capacity` slots and is
 * emptied when `capacity` words are held.
 */
class WordTable {
  private words: (string | undefined)[] = new Array<string | undefined>(1024).fill(undefined);
  private pieces: (number[] | undefined)[] = new Array<number[] | undefined>(1024).fill(undefined);
  private hashes = new Int32Array(1024);
  private count = 0;

  constructor(private readonly capacity: number) {}

  /** The ids of `text.slice(start, end)`, whose hash is `hash`, or undefined when it is not held. */
  get(text: string, start: number, end: number, hash: number): number[] | undefined {
    const mask = this.words.length - 1;
    const length = end - start;
    for (let slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
      const word = this.words[slot];
      if (word === undefined) return undefined;
      if (this.hashes[slot] === hash && word.length === length && text.startsWith(word, start)) return this.pieces[slot];
    }
  }

  /** Hold `word` (hash `hash`, not held yet) and its ids. */
  set(word: string, hash: number, pieces: number[]): void {
    if (this.count >= this.capacity) {
      this.words.fill(undefined);
      this.pieces.fill(undefined);
      this.count = 0;
    } else if (2 * (this.count + 1) > this.words.length) {
      const words = this.words;
      const held = this.pieces;
      const hashes = this.hashes;
      this.words = new Array<string | undefined>(2 * words.length).fill(undefined);
      this.pieces = new Array<number[] | undefined>(2 * words.length).fill(undefined);
      this.hashes = new Int32Array(2 * words.length);
      this.count = 0;
      for (let slot = 0; slot < words.length; slot++) {
        const old = words[slot];
        if (old !== undefined) this.insert(old, hashes[slot] as number, held[slot] as number[]);
      }
    }
    this.insert(word, hash, pieces);
  }

  private insert(word: string, hash: number, pieces: number[]): void {
    const mask = this.words.length - 1;
    let slot = mix(hash) & mask;
    while (this.words[slot] !== undefined) slot = (slot + 1) & mask;
    this.words[slot] = word;
    this.pieces[slot] = pieces;
    this.hashes[slot] = hash;
    this.count += 1;
  }
}

/** Spread a 31-multiplier string hash over the low bits (the table's slot is its low bits). */
function mix(hash: number): number {
  const spread = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  return spread ^ (spread >>> 16);
}

/** A text cut to its first (or, for left truncation, last) `characters` characters; whole when truncation is off. */
function clipText(value: string, characters: number, side: TruncationSettings['side']): string {
  if (side === 'none' || value.length <= characters) return value;
  return side === 'left' ? value.slice(-characters) : value.slice(0, characters);
}

/** The first `keep` tokens, or the last `keep` for left truncation (a copy). */
function cutTokens(tokens: number[], keep: number, side: TruncationSettings['side']): number[] {
  return side === 'left' ? tokens.slice(tokens.length - keep) : tokens.slice(0, keep);
}

/** Append token ids and their types (one type for all, or one per id) to an encoding being built. */
function appendPart(ids: number[], typeIds: number[], values: readonly number[], types: readonly number[] | number): void {
  for (let index = 0; index < values.length; index++) {
    ids.push(values[index] as number);
    typeIds.push(typeof types === 'number' ? types : (types[index] as number));
  }
}

/** A post-processor as a fixed template over token ids. */
interface PostTemplate {
  single: { prefix: { ids: number[]; types: number[] }; suffix: { ids: number[]; types: number[] }; firstType: number };
  pair: {
    prefix: { ids: number[]; types: number[] };
    middle: { ids: number[]; types: number[] };
    suffix: { ids: number[]; types: number[] };
    firstType: number;
    secondType: number;
  };
}
