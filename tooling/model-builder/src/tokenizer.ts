/**
 * A BERT-style WordPiece vocabulary and its Hugging Face `tokenizer.json`, plus an independent
 * reference tokenizer (BERT's basic tokenizer and WordPiece, written from the algorithm) that tests
 * use to compute expected ids without the tokenizer library.
 */

/** Special tokens, in id order: `[PAD]`=0, `[UNK]`=1, `[CLS]`=2, `[SEP]`=3, `[MASK]`=4, `<step>`=5. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '<step>'] as const;

/** Id of `[PAD]`. */
export const PAD_ID = 0;
/** Id of `[UNK]`. */
export const UNK_ID = 1;
/** Id of `[CLS]`. */
export const CLS_ID = 2;
/** Id of `[SEP]`. */
export const SEP_ID = 3;
/** Id of `<step>`, the step separator of the step-score model. */
export const STEP_ID = 5;

const PUNCTUATION = ['.', ',', '!', '?', ':', ';', "'", '"', '(', ')', '-', '+', '=', '*', '/', '$', '%'];

/** The default word list (after the special tokens and punctuation); ids follow this order. */
export const DEFAULT_WORDS: readonly string[] = [
  ...'0 1 2 3 4 5 6 7 8 9 10 12 42 100'.split(' '),
  ...`the a an is are was were be of to and or in on at for with it this that there
    cat cats dog dogs sat sits mat red blue green yellow black white big small image photo picture
    man woman person people car tree house sky water sun moon apple banana
    answer question step so then first next finally therefore we have get add subtract multiply
    divide equals plus minus times one two three four five six seven eight nine ten zero
    hello world good bad yes no not correct wrong true false quick brown fox jumps over lazy
    le chat est sur tapis der hund ist rot`
    .split(/\s+/)
    .filter((word) => word.length > 0),
];

/** The full vocabulary: token -> id. */
export function buildVocabulary(words: readonly string[] = DEFAULT_WORDS): Map<string, number> {
  const vocabulary = new Map<string, number>();
  for (const token of [...SPECIAL_TOKENS, ...PUNCTUATION, ...words]) {
    if (!vocabulary.has(token)) vocabulary.set(token, vocabulary.size);
  }
  return vocabulary;
}

/** The `tokenizer.json` object (Hugging Face tokenizers format, BERT-like WordPiece). */
export function tokenizerJson(vocabulary: Map<string, number>): Record<string, unknown> {
  const special = (content: string) => ({
    id: vocabulary.get(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const token = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [token('[CLS]', 0), sequence('A', 0), token('[SEP]', 0)],
      pair: [token('[CLS]', 0), sequence('A', 0), token('[SEP]', 0), sequence('B', 1), token('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [CLS_ID], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [SEP_ID], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary),
    },
  };
}

/** The `tokenizer_config.json` object that goes with {@link tokenizerJson}. */
export function tokenizerConfigJson(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: maxLength,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
  };
}

/** BERT's CJK ideograph blocks (`_is_chinese_char`): CJK Unified Ideographs and extensions A–E, compatibility ideographs. Kana and Hangul are not among them. */
const CJK_IDEOGRAPHS: readonly (readonly [number, number])[] = [
  [0x4e00, 0x9fff],
  [0x3400, 0x4dbf],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f],
  [0x2b820, 0x2ceaf],
  [0xf900, 0xfaff],
  [0x2f800, 0x2fa1f],
];

const isCjkIdeograph = (code: number): boolean => CJK_IDEOGRAPHS.some(([low, high]) => code >= low && code <= high);
/** BERT `_is_control`: Unicode category C* except tab, newline and carriage return. */
const isControl = (char: string): boolean => char !== '\t' && char !== '\n' && char !== '\r' && /^\p{C}$/u.test(char);
/** BERT `_is_whitespace`: space, tab, newline, carriage return, and the separator categories. */
const isWhitespace = (char: string): boolean => char === ' ' || char === '\t' || char === '\n' || char === '\r' || /^[\p{Zs}\p{Zl}\p{Zp}]$/u.test(char);
/** BERT `_is_punctuation`: every non-alphanumeric ASCII printable character, and Unicode category P*. Other symbols (S*: €, ©, emoji) are word characters. */
const isPunctuation = (char: string): boolean => {
  const code = char.codePointAt(0) as number;
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
  return /^\p{P}$/u.test(char);
};

/** BERT's BasicTokenizer on text without special tokens: clean, space CJK ideographs, lowercase, strip accents, split on whitespace and punctuation. */
function basicTokenize(text: string): string[] {
  let spaced = '';
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code === 0 || code === 0xfffd || isControl(char)) continue;
    if (isWhitespace(char)) spaced += ' ';
    else if (isCjkIdeograph(code)) spaced += ` ${char} `;
    else spaced += char;
  }
  const words: string[] = [];
  for (const word of spaced.split(' ')) {
    const plain = word.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
    let current = '';
    for (const char of plain) {
      if (isPunctuation(char)) {
        if (current !== '') words.push(current);
        words.push(char);
        current = '';
      } else current += char;
    }
    if (current !== '') words.push(current);
  }
  return words;
}

/** WordPiece, greedy longest match first with the `##` continuation prefix; a word with no full cover, or over 100 characters, is `[UNK]`. */
function wordPiece(word: string, vocabulary: Map<string, number>): number[] {
  const chars = [...word];
  if (chars.length > 100) return [UNK_ID];
  const ids: number[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = chars.length;
    let found: number | undefined;
    while (end > start) {
      const piece = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
      found = vocabulary.get(piece);
      if (found !== undefined) break;
      end -= 1;
    }
    if (found === undefined) return [UNK_ID];
    ids.push(found);
    start = end;
  }
  return ids;
}

/**
 * Reference tokenization, written from BERT's `BasicTokenizer` and `WordpieceTokenizer` (Devlin et
 * al., tokenization.py) and Hugging Face's added-token splitting, independently of any tokenizer
 * library: special tokens (`[CLS]`, `<step>`, …) are matched first, exactly; the rest is cleaned
 * (control characters dropped, whitespace to spaces), CJK ideographs become words of their own,
 * it is lowercased and accents are stripped (NFD, marks dropped), split on whitespace and
 * punctuation, and each word is looked up with WordPiece (unknown words -> `[UNK]`).
 * Known difference: @huggingface/tokenizers 0.2 (JavaScript) tests CJK ideographs per UTF-16 unit,
 * so it does not split ideographs outside the Basic Multilingual Plane (extension B and later);
 * Hugging Face's Rust and Python tokenizers do, as this reference does.
 * @returns token ids without the `[CLS]`/`[SEP]` the post-processor adds
 */
export function referenceTokenize(text: string, vocabulary: Map<string, number>): number[] {
  const ids: number[] = [];
  const specials = new RegExp(`(${SPECIAL_TOKENS.map((token) => token.replace(/[[\]]/g, '\\$&')).join('|')})`);
  for (const piece of text.split(specials)) {
    const special = vocabulary.get(piece);
    if ((SPECIAL_TOKENS as readonly string[]).includes(piece) && special !== undefined) {
      ids.push(special);
      continue;
    }
    for (const word of basicTokenize(piece)) ids.push(...wordPiece(word, vocabulary));
  }
  return ids;
}

/**
 * Reference encoding with BERT special tokens and right truncation: `[CLS] a [SEP]` or
 * `[CLS] a [SEP] b [SEP]` (token types 0 then 1). Truncation removes tokens from the end of the
 * longer sequence first, as Hugging Face's `longest_first`.
 * @param maxLength maximum total length in tokens, >= 3 (5 for pairs)
 */
export function referenceEncode(
  vocabulary: Map<string, number>,
  text: string,
  textPair?: string,
  maxLength = Number.POSITIVE_INFINITY,
): { ids: number[]; typeIds: number[] } {
  let first = referenceTokenize(text, vocabulary);
  if (textPair === undefined) {
    first = first.slice(0, Math.max(0, maxLength - 2));
    return { ids: [CLS_ID, ...first, SEP_ID], typeIds: new Array(first.length + 2).fill(0) };
  }
  let second = referenceTokenize(textPair, vocabulary);
  while (first.length + second.length + 3 > maxLength && first.length + second.length > 0) {
    if (first.length > second.length) first = first.slice(0, -1);
    else second = second.slice(0, -1);
  }
  return {
    ids: [CLS_ID, ...first, SEP_ID, ...second, SEP_ID],
    typeIds: [...new Array(first.length + 2).fill(0), ...new Array(second.length + 1).fill(1)],
  };
}
