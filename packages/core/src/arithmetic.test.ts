import fc from 'fast-check';
import { checkArithmetic } from './arithmetic.js';

describe('checkArithmetic', () => {
  test.each([
    ['12 × 7 = 84', true],
    ['12 * 7 = 84', true],
    ['12 x 7 = 84', true],
    ['12 \\times 7 = 84', true],
    ['3/4 of 20 is 15', true],
    ['25% of 80 = 20', true],
    ['\\frac{6}{8} = \\frac{3}{4}', true],
    ['\\dfrac{1}{2} \\cdot 10 = 5', true],
    ['2^{10} = 1024', true],
    ['\\sqrt{16} = 4', true],
    ['1,000 + 2,000 = 3,000', true],
    ['20 divided by 4 is 5', true],
    ['6 times 7 equals 42', true],
    ['10/3 = 3.33', true],
    ['10/3 ≈ 3', true],
    ['12 × 7 = **84**', true],
    ['$\\$12 \\times 3 = \\$36$', true],
    ['5 – 3 = 2', true],
    ['0.1 + 0.2 = 0.3', true],
    ['1/2 + 1/3 = 5/6', true],
    ['(-3)^2 = 9', true],
    ['12 × 7 = 85', false],
    ['3/4 of 20 is 16', false],
    ['\\frac{6}{8} = \\frac{2}{3}', false],
    ['10/3 = 3.4', false],
    ['10/3 = 3', false],
    ['2^{10} = 1000', false],
  ])('%s is one computation, correct = %s', (text, correct) => {
    const report = checkArithmetic(text);
    expect(report.total).toBe(1);
    expect(report.computations[0]?.correct).toBe(correct);
    expect(report.share).toBe(correct ? 1 : 0);
  });

  test.each([
    '2x + 3 = 7',
    '2x - 3 = 7, so x = 5',
    'y = 2x + 1',
    'a_1 + 2 = 5',
    'the sum of 3 and 4 is 7',
    "Let's solve this step by step.",
    ':',
    '',
    'x = 5',
  ])('%j has no computation to check', (text) => {
    const report = checkArithmetic(text);
    expect(report.total).toBe(0);
    expect(report.share).toBeNull();
  });

  test('chains check every link and name the wrong ones', () => {
    const report = checkArithmetic('Step 1: 3 + 4 = 7\nStep 2: 7 \\cdot 2 = 15\nStep 3: x = 5 + 5 = 10 = 2 \\cdot 5');
    expect(report.total).toBe(4);
    expect(report.correct).toBe(3);
    expect(report.share).toBe(0.75);
    expect(report.wrong.map((computation) => computation.text)).toEqual(['7 \\cdot 2 = 15']);
    expect(report.wrong[0]).toMatchObject({ computed: 14, claimed: 15, correct: false });
  });

  test('a function call is not a computation, its value chain is', () => {
    const report = checkArithmetic('f(2) = 3 + 1 = 4');
    expect(report.computations.map((computation) => computation.text)).toEqual(['3 + 1 = 4']);
  });

  test('rounding can be turned off and tolerance set', () => {
    expect(checkArithmetic('10/3 = 3.33', { allowRounding: false }).share).toBe(0);
    expect(checkArithmetic('10/3 = 3.33', { relativeTolerance: 0.01, allowRounding: false }).share).toBe(1);
    expect(checkArithmetic('1 + 1 = 2, 2 + 2 = 4, 3 + 3 = 6', { maxComputations: 2 }).total).toBe(2);
  });

  test('hostile input ends quickly with a defined result', () => {
    expect(checkArithmetic('('.repeat(5_000) + '1' + ')'.repeat(5_000) + ' = 1').total).toBe(0);
    expect(checkArithmetic('2^{100000} = 1').share).toBe(null);
    expect(checkArithmetic('1 + '.repeat(20_000) + '1 = 20001').total).toBeLessThanOrEqual(1);
  });

  test('property: a + b = (a + b) is correct and a + b = (a + b + 1) is wrong', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (a, b) => {
        expect(checkArithmetic(`We get ${a} + ${b} = ${a + b}.`).share).toBe(1);
        expect(checkArithmetic(`We get ${a} + ${b} = ${a + b + 1}.`).share).toBe(0);
        expect(checkArithmetic(`so ${a} × ${b} = ${a * b}`).share).toBe(1);
      }),
    );
  });
});

describe('line breaks', () => {
  test('a computation ends at a line break before the next number; an equation continued on the next line does not', () => {
    const read = (text: string) => checkArithmetic(text).computations.map((computation) => [computation.text, computation.correct]);
    expect(read('1 + 1 = 2\n2 + 2 = 4')).toEqual([['1 + 1 = 2', true], ['2 + 2 = 4', true]]);
    expect(read('1 + 1 = 2\n1 + 1 = 3')).toEqual([['1 + 1 = 2', true], ['1 + 1 = 3', false]]);
    expect(read('12 \\times 7\n= 84')).toEqual([['12 \\times 7\n= 84', true]]);
    expect(read('12 ×\n7 = 84')).toEqual([['12 ×\n7 = 84', true]]);
  });
});
