import fc from 'fast-check';
import { figureItems, scanFigures } from './index.js';

function single(text: string, locale: 'auto' | 'us' | 'eu' | 'ch' | 'in' = 'auto') {
  const items = figureItems(scanFigures(text, locale));
  expect(items).toHaveLength(1);
  const item = items[0];
  if (item?.kind !== 'single') throw new Error(`expected a single figure in ${text}`);
  return item.figure;
}

const group = (digits: string, separator: string, indian = false): string => {
  if (indian && digits.length > 3) {
    const head = digits.slice(0, -3);
    const pairs = head.replace(/\B(?=(\d{2})+(?!\d))/g, separator);
    return `${pairs}${separator}${digits.slice(-3)}`;
  }
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
};

describe('figure notations round-trip (properties)', () => {
  const amount = fc.record({ whole: fc.integer({ min: 0, max: 999_999_999 }), cents: fc.integer({ min: 0, max: 99 }) });

  test('US, European, Swiss, Indian and LaTeX grouping all read back the same amount', () => {
    fc.assert(
      fc.property(amount, ({ whole, cents }) => {
        const value = whole + cents / 100;
        const digits = String(whole);
        const fraction = String(cents).padStart(2, '0');
        expect(single(`${group(digits, ',')}.${fraction}`).value).toBeCloseTo(value, 6);
        expect(single(`${group(digits, '.')},${fraction} €`).value).toBeCloseTo(value, 6);
        expect(single(`${group(digits, "'")}.${fraction} CHF`).value).toBeCloseTo(value, 6);
        expect(single(`₹${group(digits, ',', true)}.${fraction}`).value).toBeCloseTo(value, 6);
        expect(single(`\\$${group(digits, '{,}')}.${fraction}`).value).toBeCloseTo(value, 6);
        expect(single(`${group(digits, '\u00a0')},${fraction}`).value).toBeCloseTo(value, 6);
      }),
      { numRuns: 300 },
    );
  });

  test('scale words and suffixes multiply; accounting parentheses and minus signs negate', () => {
    const scales: [string, number][] = [['k', 1e3], [' thousand', 1e3], ['M', 1e6], [' million', 1e6], ['mn', 1e6], ['bn', 1e9], [' billion', 1e9], ['B', 1e9], ['tn', 1e12], ['万', 1e4], ['亿', 1e8], [' lakh', 1e5], [' crore', 1e7], ['\\text{ million}', 1e6]];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: scales.length - 1 }), fc.boolean(), (tenths, which, negative) => {
        const [suffix, factor] = scales[which] as [string, number];
        const number = (tenths / 10).toFixed(1);
        const text = negative ? `$(${number})${suffix}` : `$${number}${suffix}`;
        const figure = single(text);
        expect(figure.value).toBeCloseTo((negative ? -1 : 1) * (tenths / 10) * factor, 3);
        expect(figure.kind).toBe('number');
        expect(single(negative ? `-${number}${suffix}` : `${number}${suffix}`).value).toBeCloseTo((negative ? -1 : 1) * (tenths / 10) * factor, 3);
      }),
      { numRuns: 300 },
    );
  });

  test('percent, per cent, \\%, basis points and multiples', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999, max: 99_999 }), (hundredths) => {
        const percent = hundredths / 100;
        const text = percent.toFixed(2);
        for (const written of [`${text}%`, `${text} percent`, `${text}\\%`, `${text} per cent`]) {
          const figure = single(written);
          expect(figure.kind).toBe('percent');
          expect(figure.value).toBeCloseTo(percent, 9);
        }
        const bps = single(`${hundredths} bps`);
        expect(bps.kind).toBe('percent');
        expect(bps.value).toBeCloseTo(percent, 9);
        const multiple = single(`${Math.abs(percent).toFixed(2)}x`);
        expect(multiple.kind).toBe('multiple');
        expect(multiple.value).toBeCloseTo(Math.abs(percent), 9);
      }),
      { numRuns: 300 },
    );
  });

  test('ranges read back both ends, with the unit shared', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 500 }), (low, width) => {
        const high = low + width;
        for (const written of [`${low}%-${high}%`, `${low}% to ${high}%`, `between ${low}% and ${high}%`, `${low}-${high}%`, `${low}%–${high}%`]) {
          const items = figureItems(scanFigures(written));
          expect(items).toHaveLength(1);
          const item = items[0];
          if (item?.kind !== 'range') throw new Error(`no range in ${written}`);
          expect([item.low.value, item.low.kind, item.high.value, item.high.kind]).toEqual([low, 'percent', high, 'percent']);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('the scanner never throws and stays linear on 100k-character hostile input', () => {
    const pieces = ['1', ',', '.', "'", '%', '$', '(', ')', '-', ' ', 'k', 'M', '万', '亿', 'bps', 'x', '\\text{', '}', '{,}', 'to', 'or', '\u00a0', '9'.repeat(50)];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 0, maxLength: 400 }), (parts) => {
        const text = parts.join('');
        expect(() => figureItems(scanFigures(text))).not.toThrow();
      }),
      { numRuns: 500 },
    );
    const hostile = ['1,'.repeat(50_000), '(('.repeat(50_000), '9'.repeat(100_000), '1-'.repeat(50_000), '$1 or '.repeat(16_000), '1.1.'.repeat(25_000)];
    const small = hostile.map((text) => text.slice(0, 10_000));
    const time = (texts: string[]) => {
      const started = performance.now();
      for (const text of texts) figureItems(scanFigures(text));
      return performance.now() - started;
    };
    time(small);
    const smallTime = Math.max(1, time(small));
    const bigTime = time(hostile);
    // Ten times the input may cost ten times the time, with slack for noise; a quadratic scan costs a hundred.
    expect(bigTime / smallTime).toBeLessThan(40);
  });

  test('years are not answers when a real figure is present; digits glued to words are not figures', () => {
    expect(figureItems(scanFigures('In 2023 revenue was $5M')).map((item) => (item.kind === 'single' ? item.figure.value : NaN))).toEqual([5_000_000]);
    expect(figureItems(scanFigures('Q3 FY2023 10-K')).length).toBe(0);
    expect(figureItems(scanFigures('2023')).map((item) => (item.kind === 'single' ? item.figure.value : NaN))).toEqual([2023]);
  });
});
