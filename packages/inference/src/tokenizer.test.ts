import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildEmbeddingModel, DEFAULT_WORDS, type EmbeddingModel, CLS_ID, SEP_ID } from '@mixreward/model-builder';
import { loadTokenizer } from '@mixreward/core';
import { TextTokenizer } from './index.js';

let root: string;
let built: EmbeddingModel;
let tokenizer: TextTokenizer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-tokenizer-'));
  built = await buildEmbeddingModel({ dir: join(root, 'm') });
  tokenizer = await TextTokenizer.load(join(built.dir, 'tokenizer.json'), join(built.dir, 'tokenizer_config.json'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const long = { maxLength: 10_000, side: 'right' as const };

test('tokenizer.json encodes as the reference BERT encoding, with special-token flags', () => {
  const encoded = tokenizer.encode('The Cat sat, on the MAT!', undefined, long);
  expect(encoded.ids).toEqual(built.encode('The Cat sat, on the MAT!').ids);
  expect(encoded.ids[0]).toBe(CLS_ID);
  expect(encoded.special).toEqual(encoded.ids.map((id) => id === CLS_ID || id === SEP_ID));
  expect(tokenizer.padId).toBe(0);
});

test('pairs get token types 0 then 1 and longest-first truncation', () => {
  const pair = tokenizer.encode('red cat sat', 'blue dog', { maxLength: 7, side: 'right' });
  const vocabulary = built.vocabulary;
  expect(pair.ids).toEqual([CLS_ID, vocabulary.get('red'), vocabulary.get('cat'), SEP_ID, vocabulary.get('blue'), vocabulary.get('dog'), SEP_ID]);
  expect(pair.typeIds).toEqual([0, 0, 0, 0, 1, 1, 1]);
});

test('left truncation keeps the end of the text', () => {
  const encoded = tokenizer.encode('one two three four five', undefined, { maxLength: 4, side: 'left' });
  expect(encoded.ids).toEqual([CLS_ID, built.vocabulary.get('four'), built.vocabulary.get('five'), SEP_ID]);
});

test('property: any text of vocabulary words encodes like the reference, truncated to maxLength', () => {
  const word = fc.constantFrom(...DEFAULT_WORDS, 'zebra', ',', '!');
  fc.assert(
    fc.property(fc.array(word, { maxLength: 60 }), fc.array(word, { maxLength: 20 }), fc.integer({ min: 5, max: 40 }), (first, second, maxLength) => {
      const single = tokenizer.encode(first.join(' '), undefined, { maxLength, side: 'right' });
      expect(single.ids).toEqual(built.encode(first.join(' ')).ids.slice(0, Math.min(maxLength - 1, first.length + 1)).concat([SEP_ID]));
      const pair = tokenizer.encode(first.join(' '), second.join(' '), { maxLength, side: 'right' });
      expect(pair.ids.length).toBeLessThanOrEqual(maxLength);
      expect(pair.ids.length).toBe(Math.min(maxLength, first.length + second.length + 3));
    }),
    { numRuns: 60 },
  );
});

test('a missing or broken tokenizer.json is a RewardError naming the file', async () => {
  await expect(TextTokenizer.load(join(root, 'none.json'))).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', path: join(root, 'none.json') });
  const broken = join(root, 'broken.json');
  await writeFile(broken, '{"model": ');
  await expect(TextTokenizer.load(broken)).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', path: broken });
  const unknown = join(root, 'unknown.json');
  await writeFile(unknown, JSON.stringify({ model: { type: 'Mystery' }, added_tokens: [], normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null }));
  await expect(TextTokenizer.load(unknown)).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', path: unknown });
});

test('a byte-level BPE tokenizer (RoBERTa-style post-processor) encodes singles and pairs', async () => {
  const vocab = {
    '<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3, h: 4, e: 5, l: 6, o: 7, 'Ġ': 8, w: 9, r: 10, d: 11,
    he: 12, ll: 13, llo: 14, hello: 15, 'Ġw': 16, or: 17, 'Ġwor': 18, ld: 19, 'Ġworld': 20,
  };
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special('<s>', 0), special('<pad>', 1), special('</s>', 2), special('<unk>', 3)],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges: ['h e', 'l l', 'll o', 'he llo', 'Ġ w', 'o r', 'Ġw or', 'l d', 'Ġwor ld'] },
  };
  const file = join(root, 'bpe.json');
  await writeFile(file, JSON.stringify(json));
  await writeFile(join(root, 'bpe_config.json'), JSON.stringify({ pad_token: '<pad>' }));
  const bpe = await TextTokenizer.load(file, join(root, 'bpe_config.json'));
  expect(bpe.padId).toBe(1);
  // "hello world": merges give hello + Ġworld.
  const single = bpe.encode('hello world', undefined, long);
  expect(single.ids).toEqual([0, 15, 20, 2]);
  expect(single.special).toEqual([true, false, false, true]);
  // RoBERTa pairs: <s> A </s></s> B </s>; "world" without a leading space is w + or + ld.
  expect(bpe.encode('hello', 'world', long).ids).toEqual([0, 15, 2, 2, 9, 17, 19, 2]);
  // maxLength 6 leaves 2 tokens for the texts: longest first keeps hello and w.
  expect(bpe.encode('hello', 'world', { maxLength: 6, side: 'right' }).ids).toEqual([0, 15, 2, 2, 9, 2]);
  // Whitespace is part of byte-level tokens (Ġ), so these are tokenized whole, never word by word:
  // "hello  world" has a lone space token before Ġworld.
  const raw = await loadTokenizer(file, { configFile: join(root, 'bpe_config.json') });
  for (const text of ['hello  world', ' hello world ', 'hello\tworld\nhello', 'helloworld hello']) {
    expect(bpe.encode(text, undefined, long).ids).toEqual(raw.encode(text).ids);
    expect(bpe.encode(text, 'world hello', long).ids).toEqual(raw.encode(text, { text_pair: 'world hello' }).ids);
  }
});

test('property: ids and token types equal the tokenizer library\'s own encode, for singles and pairs (word-cached BERT tokenizer)', async () => {
  const raw = await loadTokenizer(join(built.dir, 'tokenizer.json'), { configFile: join(built.dir, 'tokenizer_config.json') });
  const piece = fc.oneof(
    fc.constantFrom(...DEFAULT_WORDS, 'Zebra', 'CAFÉ', '猫狗', 'ねこ', '[SEP]', '<step>', '5€', 'a.b', '¿qué?', '😀'),
    fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '\u3000', '\u200b', ',', '!'),
  );
  const text = fc.array(piece, { maxLength: 30 }).map((parts) => parts.join(''));
  fc.assert(
    // (an empty pair string is left out: the library reads '' as "no pair", Hugging Face's Python
    // tokenizers and this package as an empty second sequence, [CLS] [SEP] [SEP])
    fc.property(text, fc.option(text.filter((value) => value.length > 0), { nil: undefined }), (first, second) => {
      const encoded = tokenizer.encode(first, second, long);
      const reference = second === undefined ? raw.encode(first, { return_token_type_ids: true }) : raw.encode(first, { text_pair: second, return_token_type_ids: true });
      expect(encoded.ids).toEqual(reference.ids);
      expect(encoded.typeIds).toEqual(reference.token_type_ids);
    }),
    { numRuns: 200 },
  );
});

test('property: a single text truncated right, left or not at all: ids, types and special flags from the library\'s own encode and tokenizer.json\'s special tokens', async () => {
  const raw = await loadTokenizer(join(built.dir, 'tokenizer.json'), { configFile: join(built.dir, 'tokenizer_config.json') });
  const json = JSON.parse(await readFile(join(built.dir, 'tokenizer.json'), 'utf8')) as { added_tokens: { id: number; special: boolean }[] };
  const specialIds = new Set(json.added_tokens.filter((token) => token.special).map((token) => token.id));
  const piece = fc.oneof(fc.constantFrom(...DEFAULT_WORDS, 'Zebra', '[SEP]', '[CLS]', '<step>', 'a.b', '😀'), fc.constantFrom(' ', '  ', '\n', ','));
  const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(text, fc.integer({ min: 2, max: 30 }), fc.constantFrom('right' as const, 'left' as const, 'none' as const), (value, maxLength, side) => {
      const full = raw.encode(value).ids;
      const inner = full.slice(1, -1);
      const budget = maxLength - 2;
      if (side === 'none' && inner.length > budget) {
        expect(() => tokenizer.encode(value, undefined, { maxLength, side })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
        return;
      }
      const kept = inner.length <= budget ? inner : side === 'left' ? inner.slice(inner.length - budget) : inner.slice(0, budget);
      const expected = [full[0], ...kept, full[full.length - 1]];
      // Twice: the second encode may come from shared per-length arrays.
      for (let round = 0; round < 2; round++) {
        const encoded = tokenizer.encode(value, undefined, { maxLength, side });
        expect(encoded.ids).toEqual(expected);
        expect(encoded.typeIds).toEqual(expected.map(() => 0));
        expect(encoded.special).toEqual(expected.map((id) => specialIds.has(id as number)));
      }
    }),
    { numRuns: 300 },
  );
});

test('the word cache stays exact past its size: 70,000 distinct words (it grows, then empties at 65,536) encode as the library does', async () => {
  const raw = await loadTokenizer(join(built.dir, 'tokenizer.json'), { configFile: join(built.dir, 'tokenizer_config.json') });
  const fresh = await TextTokenizer.load(join(built.dir, 'tokenizer.json'), join(built.dir, 'tokenizer_config.json'));
  // Distinct words made of vocabulary words glued to a counter (most become [UNK] or word pieces),
  // each text also repeating words seen in earlier texts.
  const words = Array.from({ length: 70_000 }, (_, index) => `${DEFAULT_WORDS[index % DEFAULT_WORDS.length]}${index.toString(36)}`);
  for (let start = 0; start < words.length; start += 500) {
    const text = [...words.slice(start, start + 500), ...words.slice(Math.max(0, start - 100), start)].join(' ');
    expect(fresh.encode(text, undefined, long).ids).toEqual(raw.encode(text).ids);
  }
  // After the cache emptied, the first words are tokenized again, and still agree.
  const again = words.slice(0, 300).join(' ');
  expect(fresh.encode(again, undefined, long).ids).toEqual(raw.encode(again).ids);
});

test('words whose cache hashes collide are told apart', async () => {
  const raw = await loadTokenizer(join(built.dir, 'tokenizer.json'), { configFile: join(built.dir, 'tokenizer_config.json') });
  const fresh = await TextTokenizer.load(join(built.dir, 'tokenizer.json'), join(built.dir, 'tokenizer_config.json'));
  // The cache hashes a word as sum(code * 31^k): raising one character by 1 and lowering the next by
  // 31 keeps the hash ('cat' and 'dBt'), while the tokens differ.
  const word = 'cat';
  const twin = String.fromCharCode(word.charCodeAt(0) + 1, word.charCodeAt(1) - 31) + word.slice(2);
  expect(twin).toBe('dBt');
  expect(raw.encode(twin).ids).not.toEqual(raw.encode(word).ids);
  for (const text of [`${twin} ${word}`, `${word} ${twin}`, `${twin} ${word} ${twin}`]) {
    expect(fresh.encode(text, undefined, long).ids).toEqual(raw.encode(text).ids);
  }
});

describe("the model-builder's reference encode agrees with its tokenizer.json on mixed scripts", () => {
  // Words of several scripts in the vocabulary, so that a wrong split shows as different ids, not
  // only as a different number of [UNK]s; '##' pieces exercise WordPiece continuation. Accents are
  // stripped after NFD, which also splits Hangul syllables into jamo: an uncased vocabulary holds
  // Korean in NFD, and 'cafe' rather than 'café'.
  const words = [...DEFAULT_WORDS, '猫', '狗', '我', '爱', '家', '人', 'ねこ', '고양이'.normalize('NFD'), 'cafe', 'naive', 'ein', '##s', 'uber', 'мир', '€5'];
  let mixed: EmbeddingModel;
  let raw: TextTokenizer;

  beforeAll(async () => {
    mixed = await buildEmbeddingModel({ dir: join(root, 'mixed'), words, maxLength: 512 });
    raw = await TextTokenizer.load(join(mixed.dir, 'tokenizer.json'), join(mixed.dir, 'tokenizer_config.json'));
  });

  const texts = [
    '我爱我的家人。',
    '猫坐在垫子上,the cat sat on the mat',
    'ねこが好き 고양이 좋아',
    'CAFÉ naïve Über мир!',
    'cats dogs eins',
    'price: 5€ or €5 (about $5)',
    '«quoted» — dash… and “curly”',
    'tab\there\nnewline\u00a0nbsp\u3000ideographic space',
    'zero\u200bwidth and soft\u00adhyphen',
    'emoji 😀 and ✓ check',
    'literal [SEP] and [CLS] tokens <step> inside',
    '狗狗 cat猫dog',
  ];

  test.each(texts)('%s', (text) => {
    const encoded = raw.encode(text, undefined, { maxLength: 512, side: 'right' });
    expect(encoded.ids).toEqual(mixed.encode(text).ids);
  });

  test('pairs of mixed scripts', () => {
    const encoded = raw.encode('我爱我的家人。', 'I love my family.', { maxLength: 512, side: 'right' });
    const reference = mixed.encode('我爱我的家人。', 'I love my family.');
    expect(encoded.ids).toEqual(reference.ids);
    expect(encoded.typeIds).toEqual(reference.typeIds);
  });

  test('hand-derived: each CJK ideograph is a word of its own; kana and hangul runs are not', () => {
    const id = (token: string) => mixed.vocabulary.get(token) as number;
    // 我 爱 我 的 家 人 。: 的 is not in the vocabulary ([UNK] = 1), 。 is punctuation (not in it either)
    expect(mixed.encode('我爱我的家人。').ids).toEqual([CLS_ID, id('我'), id('爱'), id('我'), 1, id('家'), id('人'), 1, SEP_ID]);
    expect(mixed.encode('ねこ 고양이').ids).toEqual([CLS_ID, id('ねこ'), id('고양이'.normalize('NFD')), SEP_ID]);
    expect(mixed.encode('Café ÜBER').ids).toEqual([CLS_ID, id('cafe'), id('uber'), SEP_ID]);
    // WordPiece: "cats" is a word; "eins" = "ein" + "##s"
    expect(mixed.encode('eins').ids).toEqual([CLS_ID, id('ein'), id('##s'), SEP_ID]);
  });
});
