import { RewardError } from '@mixreward/core';
import fc from 'fast-check';
import { isPythonSpace, pyRemoveWhitespace, pyRstrip, pySplit, pyStrip } from './python-text.js';
import { getTokenizer, isZhSeparatedChar, ranges13aAscii, tokenize13a, tokenizeChar, tokenizeIntl, tokenizeNone, tokenizeZh } from './tokenizers.js';

describe('13a (mteval-v13a)', () => {
  test.each([
    ['Hello, world.', 'Hello , world .'],
    // period and comma stay inside numbers; the final period is split thanks to 13a's padding
    ["It's 3.5 million-dollar 1,000.", "It's 3.5 million-dollar 1,000 ."],
    // a dash after a digit is split, the apostrophe never is
    ['10-20 pages', '10 - 20 pages'],
    ['$5 (approx.) [sic] {x} a/b a@b', '$ 5 ( approx . ) [ sic ] { x } a / b a @ b'],
    ['"quoted" & <tag>', '" quoted " & < tag >'],
    // XML entities are unescaped in order, so &amp;lt; becomes <
    ['a &amp;lt; b &quot;c&quot;', 'a < b " c "'],
    ['<skipped>dropped hyphen-\nated\nlines', 'dropped hyphenated lines'],
    ['a.,b', 'a . , b'],
    ['', ''],
  ])('%j', (line, expected) => {
    expect(tokenize13a(line)).toBe(expected);
  });
});

describe('13a fast path for printable ASCII (token ranges without regular expressions)', () => {
  const ranges = { value: new Int32Array(2) };
  const fast = (line: string): string[] | undefined => {
    const count = ranges13aAscii(line, pyRstrip(line).length, ranges);
    if (count < 0) return undefined;
    return Array.from({ length: count }, (_, index) => line.slice(ranges.value[index * 2], ranges.value[index * 2 + 1]));
  };
  const slow = (line: string): string[] => pySplit(tokenize13a(pyRstrip(line)));

  test.each([
    'Hello, world.',
    "It's 3.5 million-dollar 1,000.",
    '10-20 pages',
    '$5 (approx.) [sic] {x} a/b a@b',
    'a.,b',
    'U.S.A. 1.2.3 1--2 -1- .5 5. ,, .. a..b 1,.2 x. 1',
    '   ',
    '',
  ])('%j', (line) => {
    expect(fast(line)).toEqual(slow(line));
  });

  test('leaves lines with other characters, & or < to the regular expressions', () => {
    expect(fast('caf\u00e9')).toBeUndefined();
    expect(fast('a\tb')).toBeUndefined();
    expect(fast('a &amp; b')).toBeUndefined();
    expect(fast('<skipped>a')).toBeUndefined();
  });

  test('gives the regular expressions\' tokens on random ASCII lines (property)', () => {
    const characters = ' ..,,--0123456789aZ\'"!#$%()*+/:;=>?@[\\]^_`{|}~x';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...characters), maxLength: 40 }), (line) => {
        expect(fast(line)).toEqual(slow(line));
      }),
      { numRuns: 5000, seed: 20251206 },
    );
  });
});

describe('intl (mteval-v14 international)', () => {
  test.each([
    ['Hello, world!', 'Hello , world !'],
    // punctuation between digits stays; a number's final period stays too (mteval-v14's known quirk)
    ['It costs 3.50 in 2019.', 'It costs 3.50 in 2019.'],
    ['Preis: 5€ «gut»', 'Preis : 5 € « gut »'],
    // full-width punctuation is Unicode punctuation (Po)
    ['你好，世界。', '你好 ， 世界 。'],
  ])('%j', (line, expected) => {
    expect(tokenizeIntl(line)).toBe(expected);
  });
});

describe('zh', () => {
  test.each([
    ['我爱你。', '我 爱 你 。'],
    ['2019年GDP增长6.1%', '2019 年 GDP 增 长 6.1 %'],
    ['你好,world.', '你 好 , world .'],
    // sacreBLEU's '\u20000' range reads as U+2001..U+2A6D: curly quotes and ellipses are split
    ['“Hi…”', '“ Hi … ”'],
    // astral CJK (Extension B) is never split: Python compares it as greater than every range end
    ['𠀀𠀁', '𠀀𠀁'],
    ['  padded  ', 'padded'],
  ])('%j', (line, expected) => {
    expect(tokenizeZh(line)).toBe(expected);
  });

  test('the effective Chinese ranges include the quirky ones and exclude U+2000 and U+2A6E', () => {
    expect(isZhSeparatedChar(0x2000)).toBe(false);
    expect(isZhSeparatedChar(0x2001)).toBe(true);
    expect(isZhSeparatedChar(0x2a6d)).toBe(true);
    expect(isZhSeparatedChar(0x2a6e)).toBe(false);
    expect(isZhSeparatedChar(0x4e00)).toBe(true);
    expect(isZhSeparatedChar(0x9fbb)).toBe(true);
    expect(isZhSeparatedChar(0x9fbc)).toBe(false);
    expect(isZhSeparatedChar(0x20000)).toBe(false);
  });
});

describe('char and none', () => {
  test('char splits code points, not UTF-16 units', () => {
    expect(tokenizeChar('ab c')).toBe('a b   c');
    expect(pySplit(tokenizeChar('👍🏽e\u0301'))).toEqual(['👍', '🏽', 'e', '\u0301']);
  });
  test('none leaves the line as it is', () => {
    expect(tokenizeNone(' a,b ')).toBe(' a,b ');
  });
});

describe('tokenizer lookup', () => {
  test('ja-mecab and ko-mecab need MeCab: DEPENDENCY_UNAVAILABLE naming the alternative', () => {
    for (const name of ['ja-mecab', 'ko-mecab', 'spm', 'flores200']) {
      let caught: unknown;
      try {
        getTokenizer(name);
      } catch (error) {
        caught = error;
      }
      expect(RewardError.isInstance(caught) && caught.code).toBe('DEPENDENCY_UNAVAILABLE');
    }
    expect(() => getTokenizer('ja-mecab')).toThrow(/tokenize: 'char'/);
  });
  test('an unknown name is INVALID_OPTIONS', () => {
    expect(() => getTokenizer('moses')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

describe('Python whitespace semantics', () => {
  test('split uses str.isspace: C0 separators and NBSP split, BOM and zero-width space do not', () => {
    expect(pySplit('a\x1cb\u00a0c\u3000d\ufeffe\u200bf')).toEqual(['a', 'b', 'c', 'd\ufeffe\u200bf']);
    expect(pySplit('  ')).toEqual([]);
    expect(pyRstrip('x \u2028\t')).toBe('x');
    expect(pyStrip('\u3000x\u00a0')).toBe('x');
  });

  test("the whitespace set is exactly Python 3.11's str.isspace (listed from Python)", () => {
    const python = [
      0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
      0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
    ];
    const ours: number[] = [];
    for (let code = 0; code < 0x10000; code++) if (isPythonSpace(code)) ours.push(code);
    expect(ours).toEqual(python);
    const all = python.map((code) => String.fromCharCode(code)).join('');
    expect(pyRemoveWhitespace(`a${all}b`)).toBe('ab');
    expect(pySplit(`a${all}b`)).toEqual(['a', 'b']);
  });

  test('whitespace runs of 100k characters are handled in linear time', () => {
    const line = `${' '.repeat(100000)}x${' \t'.repeat(50000)}`;
    expect(pyRstrip(line).length).toBe(100001);
    expect(pySplit(line)).toEqual(['x']);
    expect(tokenize13a(line)).toBe('x');
  });

  test('every tokenizer returns single-space separated tokens (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (line) => {
        for (const tokenizer of [tokenize13a, tokenizeIntl, tokenizeZh]) {
          const out = tokenizer(line);
          expect(out).toBe(pySplit(out).join(' '));
        }
      }),
      { numRuns: 300, seed: 20251122 },
    );
  });
});
