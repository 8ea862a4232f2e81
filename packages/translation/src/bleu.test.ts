import { RewardError } from '@mixreward/core';
import fc from 'fast-check';
import { bleuSignature, computeBleu, corpusBleu, sentenceBleu } from './bleu.js';

// Values are derived by hand from sacreBLEU 2.x's algorithm (closed forms below), or are the
// numbers sacreBLEU's own test suite asserts (its tolerance noted where it printed fewer digits).
const close = (actual: number, expected: number, tolerance = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);

// sacreBLEU README / test_bleu.py corpus example: 3 segments, 2 reference streams.
const README_REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const README_HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('corpus BLEU: sacreBLEU test suite anchors', () => {
  test.each([
    [{}, 48.530827],
    [{ tokenize: '13a' }, 48.530827],
    [{ tokenize: 'none' }, 49.1919566],
    [{ tokenize: 'intl' }, 43.91623493],
    [{ smooth_method: 'none' }, 48.530827],
  ] as const)('%j', (options, expected) => {
    close(corpusBleu(README_HYPS, README_REFS, options).score, expected, 1e-8);
  });

  test('README "variable number of references": BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)', () => {
    const result = corpusBleu(README_HYPS, [['', README_REFS[0]?.[1] as string, README_REFS[0]?.[2] as string], README_REFS[1] as string[]]);
    // segment 1 now only has "The dog had bit the man." (7 tokens): 6/6, 4/5, 2/4, 1/3
    expect(result.counts).toEqual([14, 6, 3, 1]);
    expect([result.sysLen, result.refLen]).toEqual([17, 19]);
    close(result.score, 100 * Math.exp(1 - 19 / 17) * Math.pow((14 / 17) * (6 / 14) * (3 / 11) * (1 / 8), 0.25));
    expect(result.score.toFixed(2)).toBe('29.44');
    expect(result.precisions.map((p) => p.toFixed(1))).toEqual(['82.4', '42.9', '27.3', '12.5']);
    expect(result.bp.toFixed(3)).toBe('0.889');
    expect(result.ratio.toFixed(3)).toBe('0.895');
    expect(result.signature).toBe('nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
  });

  test('empty hypotheses are kept and score 0', () => {
    expect(corpusBleu(['', '', ''], README_REFS).score).toBe(0);
  });

  test('the README example in closed form: 13a counts and totals', () => {
    const result = corpusBleu(README_HYPS, README_REFS);
    // hypotheses 6 + 4 + 7 tokens ("." split off); closest references 6 + 5 + 7 -> BP exp(1 - 18/17)
    expect([result.sysLen, result.refLen]).toEqual([17, 18]);
    expect(result.totals).toEqual([17, 14, 11, 8]);
    // segment 1 matches fully (6,5,4,3); "It . " (2,0,0,0); "The man had ... bitten ... ." (6,2,1,0)
    expect(result.counts).toEqual([14, 7, 5, 3]);
    close(result.score, 100 * Math.exp(1 - 18 / 17) * Math.pow((14 / 17) * (7 / 14) * (5 / 11) * (3 / 8), 0.25));
    // as the README prints it: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
    expect(result.precisions.map((p) => p.toFixed(1))).toEqual(['82.4', '50.0', '45.5', '37.5']);
    expect([result.bp.toFixed(3), result.ratio.toFixed(3)]).toEqual(['0.943', '0.944']);
  });
});

// raw_corpus_bleu in sacreBLEU = tokenize none, floor smoothing, effective order.
const raw = (hypotheses: string[], references: string[], smooth_value: number | null) =>
  corpusBleu(hypotheses, [references], { tokenize: 'none', smooth_method: 'floor', smooth_value, effective_order: true }).score / 100;

test('identity gives exp(4 ln 100 / 4), which is 100.00000000000004 in IEEE doubles, as in sacreBLEU', () => {
  expect(sentenceBleu('a b c d', 'a b c d').score).toBe(Math.exp((4 * Math.log(100)) / 4));
});

describe('raw BLEU (tokenize none, floor, effective order)', () => {
  test('no matching n-gram at all is 0 (sacreBLEU #141 early exit)', () => {
    expect(raw(['this is a test', 'another test'], ['ref1', 'ref2'], 0.01)).toBe(0);
  });
  test('identity is 1', () => {
    close(raw(['this is a test'], ['this is a test'], 0.01), 1);
  });
  test('"this is a fest": precisions 3/4, 2/3, 1/2 and the floored 0.01/1', () => {
    // (75 * 66.67 * 50 * 1)^(1/4) / 100 = 250000^(1/4) / 100 = sqrt(5) / 10
    close(raw(['this is a fest'], ['this is a test'], 0.01), Math.sqrt(5) / 10);
  });
  test('effective order: one word against two is exp(1 - 2/1) (brevity penalty only)', () => {
    close(raw(['test'], ['a test'], 0.01), Math.exp(-1));
    close(raw(['a test'], ['a test'], 0.01), 1);
    // unigrams 2/3, bigrams 0/2 floored to 0.01/2, trigram 0/1 floored to 0.01/1; three orders
    close(raw(['a little test'], ['a test'], 0.01), Math.cbrt((2 / 3) * (0.01 / 2) * 0.01));
    close(raw(['a little test'], ['a test'], 0.01), 0.03218297948685433, 1e-12);
  });
  test('statistics of sacreBLEU test_statistics', () => {
    const result = corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], { tokenize: 'none', smooth_method: 'floor', effective_order: true });
    expect(result.counts).toEqual([4, 2, 1, 0]);
    expect(result.totals).toEqual([6, 5, 4, 3]);
    // default floor 0.1: (4/6 * 2/5 * 1/4 * 0.1/3)^(1/4) * exp(1 - 8/6)
    close(result.score / 100, Math.pow((4 / 6) * (2 / 5) * (1 / 4) * (0.1 / 3), 0.25) * Math.exp(1 - 8 / 6));
    close(result.score / 100, 0.1555722182, 1e-10);
  });
});

describe('computeBleu from statistics', () => {
  test('[9,7,5,3]/[10,8,6,4], equal lengths', () => {
    const result = computeBleu({ counts: [9, 7, 5, 3], totals: [10, 8, 6, 4], sysLen: 11, refLen: 11 });
    close(result.score / 100, Math.pow(0.9 * 0.875 * (5 / 6) * 0.75, 0.25));
    close(result.score / 100, 0.8375922397, 1e-10);
  });
  test.each([
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0],
  ])('degenerate statistics %j/%j are 0', (counts, totals, sysLen, refLen, smooth_value) => {
    expect(computeBleu({ counts, totals, sysLen, refLen, smooth_method: 'floor', smooth_value }).score).toBe(0);
  });
  test('an unknown smoothing method is INVALID_OPTIONS', () => {
    expect(() => computeBleu({ counts: [1], totals: [1], sysLen: 1, refLen: 1, smooth_method: 'laplace' as 'exp' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});

// "the cat sat on the mat" vs "the cat is on the mat": 5/6, 3/5, 1/4, 0/3 matches, equal lengths.
const HYP = 'the cat sat on the mat';
const REF = 'the cat is on the mat';

describe('smoothing (sentence level, hand-derived)', () => {
  test('exp (default): the missing 4-gram precision becomes 1/(2*3)', () => {
    const result = sentenceBleu(HYP, REF);
    expect(result.counts).toEqual([5, 3, 1, 0]);
    expect(result.totals).toEqual([6, 5, 4, 3]);
    close(result.score, 100 * Math.pow((5 / 6) * (3 / 5) * (1 / 4) * (1 / 6), 0.25));
    close(result.precisions[3] as number, 100 / 6);
  });
  test('floor: 0.1/3 by default, smooth_value otherwise', () => {
    close(sentenceBleu(HYP, REF, { smooth_method: 'floor' }).score, 100 * Math.pow((5 / 6) * (3 / 5) * (1 / 4) * (0.1 / 3), 0.25));
    close(sentenceBleu(HYP, REF, { smooth_method: 'floor', smooth_value: 0.5 }).score, 100 * Math.pow((5 / 6) * (3 / 5) * (1 / 4) * (0.5 / 3), 0.25));
  });
  test('add-k: k added to counts and totals of orders 2..4 (k = 1 by default)', () => {
    const result = sentenceBleu(HYP, REF, { smooth_method: 'add-k' });
    close(result.score, 100 * Math.pow((5 / 6) * (4 / 6) * (2 / 5) * (1 / 4), 0.25));
    expect(result.counts).toEqual([5, 4, 2, 1]);
    close(sentenceBleu(HYP, REF, { smooth_method: 'add-k', smooth_value: 2 }).score, 100 * Math.pow((5 / 6) * (5 / 7) * (3 / 6) * (2 / 5), 0.25));
  });
  test('none: a zero precision makes BLEU 0', () => {
    expect(sentenceBleu(HYP, REF, { smooth_method: 'none' }).score).toBe(0);
  });
  test('no match at all is 0 for every smoothing (sacreBLEU #141)', () => {
    for (const smooth_method of ['exp', 'none', 'floor', 'add-k'] as const) {
      expect(sentenceBleu('this is a cat', 'okay thanks', { smooth_method }).score).toBe(0);
    }
  });
});

describe('effective order and brevity penalty', () => {
  test('sentence level uses the orders the hypothesis has; corpus level does not', () => {
    // 2 tokens against 6: unigrams 2/2, bigrams 1/1, no trigram; BP = exp(1 - 6/2)
    close(sentenceBleu('the cat', HYP).score, 100 * Math.exp(-2));
    expect(sentenceBleu('the cat', HYP).bp).toBe(Math.exp(-2));
    expect(corpusBleu(['the cat'], [[HYP]]).score).toBe(0);
    expect(sentenceBleu('the cat', HYP, { effective_order: false }).score).toBe(0);
    close(corpusBleu(['the cat'], [[HYP]], { effective_order: true }).score, 100 * Math.exp(-2));
  });
  test('a longer hypothesis has no brevity penalty', () => {
    const result = sentenceBleu('the cat sat on the mat today', REF);
    expect(result.bp).toBe(1);
    expect(result.ratio).toBe(7 / 6);
  });
});

describe('references', () => {
  test('n-gram counts are clipped by the maximum over references; ties in length pick the shorter', () => {
    // hypothesis: 4 x "the"; refs of lengths 3 (the x2) and 5 (the x3), both 1 away -> refLen 3
    for (const references of [['the cat the', 'the the the x y'], ['the the the x y', 'the cat the']]) {
      const result = sentenceBleu('the the the the', references);
      expect(result.refLen).toBe(3);
      expect(result.counts).toEqual([3, 2, 1, 0]);
      close(result.score, 100 * Math.pow((3 / 4) * (2 / 3) * (1 / 2) * (1 / 2), 0.25));
    }
  });
  test('empty references are dropped (a line may have fewer references)', () => {
    expect(sentenceBleu(HYP, [REF, '']).score).toBe(sentenceBleu(HYP, [REF]).score);
    const corpus = corpusBleu(['a b c d', 'e f g h'], [['a b c d', 'e f g h'], ['', 'e f g h']]);
    close(corpus.score, 100);
    expect(corpus.signature.startsWith('nrefs:var|')).toBe(true);
  });
  test('one reference stream may be given flat', () => {
    expect(corpusBleu(README_HYPS, README_REFS[0] as string[]).score).toBe(corpusBleu(README_HYPS, [README_REFS[0] as string[]]).score);
  });
  test('mismatched stream lengths and a bad layout are INVALID_INPUT', () => {
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', path: 'references[0]' }));
    expect(() => corpusBleu(['a'], [['a'], 'b'] as unknown as string[][])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => corpusBleu(['a'], [])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('sacreBLEU test_sentence_bleu.py (Romanian, printed to 1e-3)', () => {
  const REF_RO = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS_RO = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  test.each([
    ['exp', null, false, '13a', 8.493],
    ['none', null, false, '13a', 0.0],
    ['floor', null, false, '13a', 4.51688],
    ['floor', 0.1, false, '13a', 4.51688],
    ['floor', 0.5, false, '13a', 10.1],
    ['add-k', null, false, '13a', 14.882],
    ['add-k', 1, false, '13a', 14.882],
    ['add-k', 2, false, '13a', 21.389],
    ['exp', null, false, 'none', 7.347],
    ['exp', null, false, 'intl', 8.493],
    ['exp', null, false, 'char', 40.8759],
    ['exp', null, true, 'char', 42.0267],
  ] as const)('%s %s lowercase=%s %s', (smooth_method, smooth_value, lowercase, tokenize, expected) => {
    close(sentenceBleu(SYS_RO, [REF_RO], { smooth_method, smooth_value, lowercase, tokenize }).score, expected, 1e-3);
  });
  test('13a exp in closed form: de, zahăr, în, alb, ; match; "de zahăr", "alb ;"; then 1/(2*12) and 1/(4*11)', () => {
    const result = sentenceBleu(SYS_RO, [REF_RO]);
    expect(result.counts).toEqual([5, 2, 0, 0]);
    expect(result.totals).toEqual([14, 13, 12, 11]);
    close(result.score, 100 * Math.pow((5 / 14) * (2 / 13) * (1 / 24) * (1 / 44), 0.25));
  });
});

describe('lowercase, tokenizers and signature', () => {
  test('lowercase makes case irrelevant', () => {
    expect(sentenceBleu('THE CAT SAT ON THE MAT', HYP).score).toBe(0);
    close(sentenceBleu('THE CAT SAT ON THE MAT', HYP, { lowercase: true }).score, 100);
  });
  test('zh splits characters: 我爱你 vs 我爱他 is 2/3, 1/2 and the exp-smoothed 1/2 trigram', () => {
    close(sentenceBleu('我爱你', '我爱他', { tokenize: 'zh' }).score, 100 * Math.cbrt((2 / 3) * (1 / 2) * (1 / 2)));
    expect(sentenceBleu('我爱你', '我爱他', { tokenize: '13a' }).score).toBe(0);
  });
  test('char does not normalise Unicode: a combining accent is not the precomposed letter', () => {
    expect(sentenceBleu('e\u0301', '\u00e9', { tokenize: 'char' }).score).toBe(0);
    close(sentenceBleu('👍🏽', '👍🏽', { tokenize: 'char' }).score, 100);
  });
  test('ja-mecab is DEPENDENCY_UNAVAILABLE', () => {
    let caught: unknown;
    try {
      sentenceBleu('a', 'a', { tokenize: 'ja-mecab' });
    } catch (error) {
      caught = error;
    }
    expect(RewardError.isInstance(caught) && caught.code).toBe('DEPENDENCY_UNAVAILABLE');
  });
  test('signatures are sacreBLEU 2.x strings', () => {
    expect(corpusBleu(README_HYPS, README_REFS).signature).toBe('nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
    expect(sentenceBleu(HYP, REF).signature).toBe('nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0');
    expect(sentenceBleu(HYP, REF, { smooth_method: 'floor', lowercase: true, tokenize: 'intl' }).signature).toBe(
      'nrefs:1|case:lc|eff:yes|tok:intl|smooth:floor[0.10]|version:2.6.0',
    );
    expect(bleuSignature({ smooth_method: 'add-k', smooth_value: 2 })).toBe('nrefs:1|case:mixed|eff:no|tok:13a|smooth:add-k[2.00]|version:2.6.0');
    expect(bleuSignature({ level: 'sentence', tokenize: 'zh' }, 3, true)).toBe('#:3|c:mixed|e:yes|tok:zh|s:exp|v:2.6.0');
    // Python's format rounds exact ties to even: 0.125 -> 0.12, 0.375 -> 0.38; 1.005 is below the tie
    expect(bleuSignature({ smooth_method: 'floor', smooth_value: 0.125 })).toContain('smooth:floor[0.12]');
    expect(bleuSignature({ smooth_method: 'floor', smooth_value: 0.375 })).toContain('smooth:floor[0.38]');
    expect(bleuSignature({ smooth_method: 'floor', smooth_value: 1.005 })).toContain('smooth:floor[1.00]');
  });
});

describe('bad input gives defined scores', () => {
  test('empty hypothesis and empty references', () => {
    expect(sentenceBleu('', REF).score).toBe(0);
    expect(sentenceBleu(HYP, '').score).toBe(0);
    expect(sentenceBleu('', '').score).toBe(0);
    expect(sentenceBleu(HYP, []).score).toBe(0);
  });
  test('unicode edge cases: right-to-left, full-width punctuation, emoji', () => {
    close(sentenceBleu('مرحبا بالعالم', 'مرحبا بالعالم').score, 100);
    close(sentenceBleu('你好，世界！', '你好，世界！', { tokenize: 'zh' }).score, 100);
    close(sentenceBleu('I ❤️ NY 🗽', 'I ❤️ NY 🗽').score, 100);
  });
  test('100k-character lines', () => {
    const long = 'word, '.repeat(20000);
    close(sentenceBleu(long, long).score, 100);
    expect(sentenceBleu('.'.repeat(100000), '-'.repeat(100000)).score).toBe(0);
    expect(Number.isFinite(sentenceBleu('x'.repeat(100000), 'x y', { tokenize: 'char' }).score)).toBe(true);
  });
  test('a hypothesis with more than 9,741 distinct words (string-key path) scores the same closed form', () => {
    const words = Array.from({ length: 10000 }, (_, index) => `w${index}`);
    const result = sentenceBleu(words.join(' '), words.slice(0, 5000).join(' '));
    expect(result.counts).toEqual([5000, 4999, 4998, 4997]);
    expect(result.totals).toEqual([10000, 9999, 9998, 9997]);
    close(result.score, 100 * Math.pow((5000 / 10000) * (4999 / 9999) * (4998 / 9998) * (4997 / 9997), 0.25));
  });
  test('several references with repeated n-grams on the numeric path', () => {
    // hypothesis a a b; refs "a b" (a x1) and "a a" (a x2, "a a" x1): clipped a=2, b=1; "a a" 1, "a b" 1
    const result = sentenceBleu('a a b', ['a b', 'a a c d']);
    expect(result.counts).toEqual([3, 2, 0, 0]);
  });
  test('score is in [0, 100] and identity scores 100 (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), (hypothesis, reference) => {
        for (const tokenize of ['13a', 'intl', 'zh', 'char', 'none'] as const) {
          const score = sentenceBleu(hypothesis, reference, { tokenize }).score;
          expect(score >= 0 && score <= 100 + 1e-9).toBe(true);
          if (sentenceBleu(reference, reference, { tokenize }).sysLen > 0) close(sentenceBleu(reference, reference, { tokenize }).score, 100);
        }
      }),
      { numRuns: 150, seed: 20251122 },
    );
  });
});
