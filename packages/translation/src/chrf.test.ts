import fc from 'fast-check';
import { chrfSignature, corpusChrf, sentenceChrf } from './chrf.js';
import { pyRemoveWhitespace } from './python-text.js';

const close = (actual: number, expected: number, tolerance = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);

/** chrF from per-order precisions and recalls, in sacreBLEU's order of operations (effective order mode). */
function fromOrders(precisions: number[], recalls: number[], beta = 2): number {
  let p = 0;
  let r = 0;
  for (let index = 0; index < precisions.length; index++) {
    p += precisions[index] as number;
    r += recalls[index] as number;
  }
  p /= precisions.length;
  r /= recalls.length;
  const factor = beta ** 2;
  return (100 * ((1 + factor) * p * r)) / (factor * p + r);
}

describe('chrF: sacreBLEU test_chrf.py anchors (beta 3, printed to 1e-4)', () => {
  const eps = (hypotheses: string[], references: string[]) => corpusChrf(hypotheses, [references], { beta: 3, eps_smoothing: true }).score;
  const effective = (hypotheses: string[], references: string[]) => corpusChrf(hypotheses, [references], { beta: 3 }).score;
  test.each([
    [['abcdefg'], ['hijklmnop'], 0],
    [['a'], ['b'], 0],
    [[''], ['b'], 0],
    [[''], ['reference'], 0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50],
    [['a b c'], ['abc'], 50],
    [
      [' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'],
      63.36173,
    ],
    [[' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '], ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'], 64.1302698],
    [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100],
  ])('eps smoothing %j vs %j', (hypotheses, references, expected) => {
    close(eps(hypotheses, references), expected, 1e-4);
  });

  test.each([
    [['a'], ['a'], 100],
    [[''], ['reference'], 0],
    [['a b c'], ['a b c'], 100],
    [['a b c'], ['abc'], 100],
    [[''], ['c'], 0],
    [['a', 'b'], ['a', 'c'], 50],
    [['aa'], ['ab'], 25],
  ])('effective order %j vs %j', (hypotheses, references, expected) => {
    close(effective(hypotheses, references), expected);
  });

  test.each([
    [['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'], ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'], 67.3481606],
    [
      ['risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'],
      65.2414427,
    ],
  ])('whitespace kept %j', (hypotheses, references, expected) => {
    close(corpusChrf(hypotheses, [references], { beta: 3, whitespace: true }).score, expected, 1e-4);
  });

  test.each([
    ['Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.', 'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.', 39.14078509],
    ['Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.', 'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.', 31.22557079],
    ['Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.', 'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.', 57.15704367],
  ])('sentence level with eps smoothing: %s', (hypothesis, reference, expected) => {
    close(sentenceChrf(hypothesis, [reference], { eps_smoothing: true }).score, expected, 1e-4);
  });
});

test('sacreBLEU README corpus example: chrF2 = 59.73 (two reference streams, best reference per line)', () => {
  const references = [
    ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
    ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
  ];
  const result = corpusChrf(['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'], references);
  expect(result.score.toFixed(2)).toBe('59.73');
  expect(result.name).toBe('chrF2');
  expect(result.signature).toBe('nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0');
});

describe('chrF: hand-derived values at sacreBLEU defaults (beta 2, effective order)', () => {
  test('"aa" vs "ab": unigrams 1/2 both ways, bigram 0/1: P = R = 1/4, F = 25', () => {
    const result = sentenceChrf('aa', 'ab');
    expect(result.statistics.slice(0, 6)).toEqual([2, 2, 1, 1, 1, 0]);
    // orders 3..6: neither side has n-grams; hypothesis counts are zeroed when the reference has none
    expect(result.statistics.slice(6)).toEqual(new Array(12).fill(0));
    close(result.score, 25);
  });
  test('whitespace is removed before character n-grams', () => {
    close(sentenceChrf('a b c', 'abc').score, 100);
    close(sentenceChrf('a\u3000b\u00a0c', 'abc').score, 100);
  });
  test('"the cat" vs "the cat." : precisions 1, recalls 6/7, 5/6, ..., 1/2', () => {
    close(sentenceChrf('the cat', 'the cat.').score, fromOrders([1, 1, 1, 1, 1, 1], [6 / 7, 5 / 6, 4 / 5, 3 / 4, 2 / 3, 1 / 2]));
  });
  test('chrF++: words split off one trailing punctuation mark ("cat." -> "cat", ".")', () => {
    const result = sentenceChrf('the cat', 'the cat.', { word_order: 2 });
    // word unigrams 2/2 vs 3 reference words; bigram "the cat" 1/1 vs 2 reference bigrams
    expect(result.statistics.slice(18)).toEqual([2, 3, 2, 1, 2, 1]);
    close(result.score, fromOrders([1, 1, 1, 1, 1, 1, 1, 1], [6 / 7, 5 / 6, 4 / 5, 3 / 4, 2 / 3, 1 / 2, 2 / 3, 1 / 2]));
    expect(result.name).toBe('chrF2++');
  });
  test('chrF++ splits a leading punctuation mark only when the last character is not one', () => {
    // "(hi)" -> "(hi" + ")" (sacreBLEU #124); "(hi" -> "(" + "hi"
    const result = sentenceChrf('(hi) x', '(hi x', { char_order: 1, word_order: 1 });
    // words: hyp ["(hi", ")", "x"], ref ["(", "hi", "x"] -> 1 match of 3
    expect(result.statistics.slice(3)).toEqual([3, 3, 1]);
  });
  test('beta weighs recall: a hypothesis that is a prefix of the reference', () => {
    const precisions = [1, 1, 1, 1, 1, 1];
    const recalls = [6 / 12, 5 / 11, 4 / 10, 3 / 9, 2 / 8, 1 / 7];
    close(sentenceChrf('abcdef', 'abcdefghijkl').score, fromOrders(precisions, recalls));
    close(sentenceChrf('abcdef', 'abcdefghijkl', { beta: 1 }).score, fromOrders(precisions, recalls, 1));
  });
  test('several references: the one with the best F-score is used', () => {
    const best = sentenceChrf('the cat', ['a dog', 'the cat.', 'the cats']);
    close(best.score, Math.max(sentenceChrf('the cat', 'the cat.').score, sentenceChrf('the cat', 'the cats').score));
    expect(best.signature.startsWith('nrefs:3|')).toBe(true);
  });
  test('code points, not UTF-16 units: one emoji is one character n-gram', () => {
    const result = sentenceChrf('👍', '👍');
    expect(result.statistics.slice(0, 6)).toEqual([1, 1, 1, 0, 0, 0]);
    close(result.score, 100);
  });
  test('an alphabet of more than 406 characters (string-key path) scores the same closed form', () => {
    const alphabet = Array.from({ length: 500 }, (_, index) => String.fromCodePoint(0x4e00 + index)).join('');
    const reference = alphabet.slice(0, 250);
    const precisions = [1, 2, 3, 4, 5, 6].map((n) => (251 - n) / (501 - n));
    close(sentenceChrf(alphabet, reference).score, fromOrders(precisions, [1, 1, 1, 1, 1, 1]));
  });
  test('lowercase', () => {
    expect(sentenceChrf('ABC', 'abc').score).toBe(0);
    close(sentenceChrf('ABC', 'abc', { lowercase: true }).score, 100);
  });
  test('signature', () => {
    expect(sentenceChrf('a', 'a').signature).toBe('nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0');
    expect(chrfSignature({ word_order: 2, eps_smoothing: true, lowercase: true, whitespace: true })).toBe(
      'nrefs:1|case:lc|eff:no|nc:6|nw:2|space:yes|version:2.6.0',
    );
    expect(chrfSignature({}, 1, true)).toBe('#:1|c:mixed|e:yes|nc:6|nw:0|s:no|v:2.6.0');
  });
  test('invalid options are INVALID_OPTIONS naming the option', () => {
    expect(() => sentenceChrf('a', 'a', { char_order: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', path: 'char_order' }));
    expect(() => sentenceChrf('a', 'a', { beta: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', path: 'beta' }));
  });
});

describe('chrF: bad input gives defined scores', () => {
  test('empty hypothesis, empty reference, both empty', () => {
    expect(sentenceChrf('', 'abc').score).toBe(0);
    expect(sentenceChrf('abc', '').score).toBe(0);
    expect(sentenceChrf('', '').score).toBe(0);
    expect(sentenceChrf('   ', '\t').score).toBe(0);
  });
  test('right-to-left, combining marks, full-width punctuation', () => {
    close(sentenceChrf('שלום עולם', 'שלום עולם').score, 100);
    // e + combining acute is two characters; é is one: only "e"... none match
    expect(sentenceChrf('e\u0301', '\u00e9').score).toBe(0);
    close(sentenceChrf('你好，世界！', '你好，世界！', { word_order: 2 }).score, 100);
  });
  test('100k-character lines', () => {
    const long = 'abc def '.repeat(12500);
    close(sentenceChrf(long, long).score, 100);
    expect(Number.isFinite(sentenceChrf('x'.repeat(100000), 'y'.repeat(100000), { word_order: 2 }).score)).toBe(true);
  });
  test('score in [0, 100]; identity is 100 when there is a non-space character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (hypothesis, reference) => {
        const score = sentenceChrf(hypothesis, reference, { word_order: 2 }).score;
        expect(score >= 0 && score <= 100 + 1e-9).toBe(true);
        if (pyRemoveWhitespace(reference) !== '') close(sentenceChrf(reference, reference).score, 100);
      }),
      { numRuns: 200, seed: 20251122 },
    );
  });
});
