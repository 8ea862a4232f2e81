import fc from 'fast-check';
import { RewardError } from './errors.js';
import { compileFormula, parseFormula, checkFormulaNames, type Special } from './formula.js';

type Marker = Special & { kind: 'skip' | 'need' | 'fail' };
const evaluate = (source: string, values: Record<string, number | Marker> = {}) => {
  const seen: string[] = [];
  const result = compileFormula<Marker>(parseFormula(source))((name) => {
    seen.push(name);
    const value = values[name];
    if (value === undefined) throw new Error(`unexpected lookup ${name}`);
    return value;
  });
  return { result, seen };
};

describe('formula language', () => {
  test.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['2 ^ -1', 0.5],
    ['10 / 4 - 1', 1.5],
    ['1 < 2 and 2 < 3', 1],
    ['1 > 2 or 0', 0],
    ['not 0', 1],
    ['not 1 == 1', 0],
    ['3 == 3', 1],
    ['3 != 3', 0],
    ['min(3, 1, 2) + max(4, 5)', 6],
    ['clamp(7, 0, 5)', 5],
    ['abs(-2) + floor(2.7) + ceil(0.2)', 5],
    ['sqrt(16) + exp(0) + log(1)', 5],
    ['if(1, 2, 3)', 2],
    ['1e-1 * 10', 1],
    ['true + false', 1],
  ])('%s = %d', (source, expected) => {
    expect(evaluate(source).result).toBeCloseTo(expected, 12);
  });

  test('names are looked up; dotted names reach sub-scores', () => {
    expect(evaluate('0.1*format + 0.9*accuracy', { format: 1, accuracy: 0.5 }).result).toBeCloseTo(0.55, 12);
    expect(evaluate('box.iou * 2', { 'box.iou': 0.25 }).result).toBe(0.5);
  });

  test('if is lazy: the branch not taken is never looked up', () => {
    const taken = evaluate('if(accuracy == 1, process, 0)', { accuracy: 0 });
    expect(taken.result).toBe(0);
    expect(taken.seen).toEqual(['accuracy']);
    const other = evaluate('if(accuracy == 1, process, 0)', { accuracy: 1, process: 0.7 });
    expect(other.result).toBe(0.7);
    expect(other.seen).toEqual(['accuracy', 'process']);
  });

  test('and/or short-circuit', () => {
    expect(evaluate('a and b', { a: 0 }).seen).toEqual(['a']);
    expect(evaluate('a or b', { a: 2 }).seen).toEqual(['a']);
  });

  test('markers propagate; default() replaces a skip but not a failure', () => {
    const skip: Marker = { kind: 'skip' };
    const fail: Marker = { kind: 'fail' };
    expect(evaluate('a + 1', { a: skip }).result).toBe(skip);
    expect(evaluate('default(a, 0.5) + 1', { a: skip }).result).toBe(1.5);
    expect(evaluate('default(a, 0.5)', { a: fail }).result).toBe(fail);
    expect(evaluate('max(a, b)', { a: 1, b: fail }).result).toBe(fail);
  });

  test('syntax errors name the column', () => {
    expect(() => parseFormula('1 + * 2')).toThrow('at column 5');
    expect(() => parseFormula('(1 + 2')).toThrow(/expected "\)" but the formula ended at column 7/);
    expect(() => parseFormula('1 $ 2')).toThrow('unexpected character "$" at column 3');
    expect(() => parseFormula('foo(1)')).toThrow(/unknown function "foo".*column 1/);
    expect(() => parseFormula('if(1, 2)')).toThrow('if() takes 3 arguments, got 2 at column 1');
    expect(() => parseFormula('1 2')).toThrow('unexpected "2" at column 3');
    expect(() => parseFormula('')).toThrow(RewardError);
  });

  test('unknown names are named with their column', () => {
    const source = '0.1*format + 0.9*acuracy';
    expect(() => checkFormulaNames(source, parseFormula(source), new Set(['format', 'accuracy']))).toThrow(
      'formula "0.1*format + 0.9*acuracy": unknown name "acuracy" (components: accuracy, format) at column 18',
    );
  });

  test('property: arithmetic agrees with JavaScript on integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 50 }), (a, b, c) => {
        const source = `${a} + ${b} * ${c} - (${a} - ${b}) / ${c}`;
        const expected = a + b * c - (a - b) / c;
        expect(evaluate(source.replace(/--/g, '- -')).result).toBeCloseTo(expected, 9);
      }),
    );
  });
});
