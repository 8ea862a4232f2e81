import fc from 'fast-check';
import { characterErrorRate, normalizeOcrText } from './ocr-text.js';

/** The edit distance CER counts, in code points. */
const editDistance = (a: string, b: string): number => characterErrorRate(a, b).distance;

describe('edit distance and CER', () => {
  test('known Levenshtein distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('world', 'hello')).toBe(4);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    // code points, not UTF-16 units: one emoji is one character
    expect(editDistance('a😀b', 'ab')).toBe(1);
    expect(editDistance('中文', '中大')).toBe(1);
  });

  test('distance is a metric bounded by the longer length', () => {
    const text = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const ab = editDistance(a, b);
        expect(ab).toBe(editDistance(b, a));
        expect(ab).toBeLessThanOrEqual(Math.max(Array.from(a).length, Array.from(b).length));
        expect(ab).toBeGreaterThanOrEqual(Math.abs(Array.from(a).length - Array.from(b).length));
        expect(editDistance(a, c)).toBeLessThanOrEqual(ab + editDistance(b, c));
        expect(ab === 0).toBe(a === b);
      }),
    );
  });

  test('CER is distance / reference length, clipped to [0, 1]', () => {
    expect(characterErrorRate('helo', 'hello')).toEqual({ cer: 0.2, distance: 1 });
    expect(characterErrorRate('', 'hello')).toEqual({ cer: 1, distance: 5 });
    // 11 edits against 2 characters: clipped
    expect(characterErrorRate('a long extra text', 'ab').cer).toBe(1);
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (recognized, reference) => {
        const { cer } = characterErrorRate(recognized, reference);
        expect(cer).toBeGreaterThanOrEqual(0);
        expect(cer).toBeLessThanOrEqual(1);
      }),
    );
  });

  test('contains: a reference inside the recognised text is 0 errors (Flow-GRPO), else the full distance', () => {
    expect(characterErrorRate('openhellothere', 'hello', 'contains')).toEqual({ cer: 0, distance: 0 });
    expect(characterErrorRate('openhellothere', 'hello', 'full')).toEqual({ cer: 1, distance: 9 });
    expect(characterErrorRate('helo', 'hello', 'contains')).toEqual({ cer: 0.2, distance: 1 });
  });
});

describe('normalisation', () => {
  test('defaults: NFKC, lower case, whitespace removed, punctuation kept', () => {
    expect(normalizeOcrText('  Hello,  WORLD!\n')).toBe('hello,world!');
    expect(normalizeOcrText('ＡＢＣ１２３')).toBe('abc123'); // full-width forms fold
  });

  test('options', () => {
    expect(normalizeOcrText('  Hello,  WORLD!\n', { whitespace: 'collapse' })).toBe('hello, world!');
    expect(normalizeOcrText('  Hello,  WORLD!\n', { whitespace: 'keep', caseSensitive: true })).toBe('  Hello,  WORLD!\n');
    expect(normalizeOcrText('Hello, WORLD! $5 - ok', { punctuation: 'ignore', whitespace: 'collapse' })).toBe('hello world 5 ok');
  });
});
