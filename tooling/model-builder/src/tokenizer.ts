/**
 * A BERT-style WordPiece vocabulary and its Hugging Face `tokenizer.json`, plus an independent
 * reference tokenizer (lowercase, split on spaces and punctuation, whole-word lookup) that tests use
 * to compute expected ids without the tokenizer library.
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

/**
 * Reference tokenization, written independently of any tokenizer library: lowercase, strip
 * accents, split into words and single punctuation marks, `<step>` kept whole, unknown words -> `[UNK]`.
 * @returns token ids without special tokens
 */
export function referenceTokenize(text: string, vocabulary: Map<string, number>): number[] {
  const ids: number[] = [];
  const pieces = text.split(/(<step>)/);
  for (const piece of pieces) {
    if (piece === '<step>') {
      ids.push(STEP_ID);
      continue;
    }
    const normal = piece.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
    for (const word of normal.match(/[\p{P}\p{S}]|[^\s\p{P}\p{S}]+/gu) ?? []) ids.push(vocabulary.get(word) ?? UNK_ID);
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
