import { CLS_ID, SEP_ID, STEP_ID, UNK_ID, buildVocabulary, referenceEncode, referenceTokenize } from './tokenizer.js';

// Expected ids derived by hand from BERT's BasicTokenizer + WordPiece rules (tokenization.py), not
// from the code under test; the comparison with the tokenizer library on the same tokenizer.json is
// packages/inference/src/tokenizer.test.ts.
const vocabulary = buildVocabulary(['cat', 'sat', '猫', '狗', 'ねこ', 'cafe', 'ein', '##s', '€5']);
const id = (token: string) => vocabulary.get(token) as number;

test('CJK ideographs are words of their own, with or without spaces around them', () => {
  expect(referenceTokenize('猫狗', vocabulary)).toEqual([id('猫'), id('狗')]);
  expect(referenceTokenize('cat猫sat', vocabulary)).toEqual([id('cat'), id('猫'), id('sat')]);
  // 的 is an ideograph not in the vocabulary: one [UNK] of its own, not merged with its neighbours
  expect(referenceTokenize('猫的狗', vocabulary)).toEqual([id('猫'), UNK_ID, id('狗')]);
});

test('kana and Hangul are not split per character; Hangul syllables decompose to jamo (accent stripping is NFD)', () => {
  expect(referenceTokenize('ねこ', vocabulary)).toEqual([id('ねこ')]);
  expect(referenceTokenize('ねこ猫', vocabulary)).toEqual([id('ねこ'), id('猫')]);
  expect(referenceTokenize('고양이', vocabulary)).toEqual([UNK_ID]);
  expect(referenceTokenize('고양이', buildVocabulary(['고양이'.normalize('NFD')]))).toEqual([buildVocabulary(['고양이'.normalize('NFD')]).get('고양이'.normalize('NFD'))]);
});

test('lowercase and accents; punctuation splits, other symbols do not', () => {
  expect(referenceTokenize('CAFÉ', vocabulary)).toEqual([id('cafe')]);
  expect(referenceTokenize('cat.', vocabulary)).toEqual([id('cat'), id('.')]);
  expect(referenceTokenize('€5', vocabulary)).toEqual([id('€5')]);
  // 。 and « are Unicode punctuation (P*), one token each; not in this vocabulary
  expect(referenceTokenize('猫。«cat', vocabulary)).toEqual([id('猫'), UNK_ID, UNK_ID, id('cat')]);
});

test('WordPiece continuation, control characters dropped, special tokens matched exactly', () => {
  expect(referenceTokenize('eins', vocabulary)).toEqual([id('ein'), id('##s')]);
  expect(referenceTokenize('ca\u200bt', vocabulary)).toEqual([id('cat')]);
  expect(referenceTokenize('cat[SEP]sat<step>', vocabulary)).toEqual([id('cat'), SEP_ID, id('sat'), STEP_ID]);
  // a lowercase look-alike is ordinary text: '[' 'sep' ']' (brackets are not in this vocabulary)
  expect(referenceTokenize('[sep]', vocabulary)).toEqual([UNK_ID, UNK_ID, UNK_ID]);
  expect(referenceTokenize('(cat)', vocabulary)).toEqual([id('('), id('cat'), id(')')]);
});

test('encode adds [CLS]/[SEP] and truncates the longer sequence first (a tie cuts the second, as Hugging Face)', () => {
  expect(referenceEncode(vocabulary, '猫狗', 'cat sat', 6)).toEqual({ ids: [CLS_ID, id('猫'), id('狗'), SEP_ID, id('cat'), SEP_ID], typeIds: [0, 0, 0, 0, 1, 1] });
  expect(referenceEncode(vocabulary, '猫狗猫', 'cat sat', 6)).toEqual({ ids: [CLS_ID, id('猫'), id('狗'), SEP_ID, id('cat'), SEP_ID], typeIds: [0, 0, 0, 0, 1, 1] });
});
