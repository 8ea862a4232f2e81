import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildEmbeddingModel, DEFAULT_WORDS, type EmbeddingModel, CLS_ID, SEP_ID } from '@mixreward/model-builder';
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
  await expect(TextTokenizer.load(broken)).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: broken });
  const unknown = join(root, 'unknown.json');
  await writeFile(unknown, JSON.stringify({ model: { type: 'Mystery' }, added_tokens: [], normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null }));
  await expect(TextTokenizer.load(unknown)).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: unknown });
});
