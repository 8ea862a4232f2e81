import fc from 'fast-check';
import { show } from './ast.js';
import { answersEquivalent, defaultEquivalenceSettings } from './equivalence.js';
import { extractAnswers, findBoxed } from './extract.js';
import { AnswerParseError, parseAnswer } from './latex-parse.js';
import { loadComputeEngine } from './cas.js';
import { verifyAnswer } from './verify.js';

beforeAll(() => loadComputeEngine(), 60_000);

const equivalent = (reference: string, answer: string) => answersEquivalent(parseAnswer(reference), parseAnswer(answer), { settings: defaultEquivalenceSettings });

describe('extraction', () => {
  test('boxed contents keep nested braces; \\fbox and \\boxed without braces count', () => {
    expect(findBoxed('a \\boxed{\\frac{\\sqrt{3}}{2}} b \\fbox{7} c \\boxed 4.')).toEqual(['\\frac{\\sqrt{3}}{2}', '7', '4']);
    expect(findBoxed('\\boxed{unclosed')).toEqual([]);
  });

  test.each([
    ['<answer>12</answer>', 'answer-tag', ['12']],
    ['x \\boxed{1} y \\boxed{2}', 'boxed', ['1', '2']],
    ['So the final answer is $6$. I hope it is correct.', 'anchor', ['6']],
    ['Answer: 5', 'anchor', ['5']],
    ['we get **73**', 'bold', ['73']],
    ['take $x$ then $$9$$', 'latex', ['x', '9']],
    ['$x<1$ or $x>2$', 'latex', ['x<1, x>2']],
    ['1 - \\sqrt{2}', 'bare', ['1 - \\sqrt{2}']],
    ['We add 8 and 9 to get 17 apples', 'last-number', ['17']],
  ] as const)('%j → %s %j', (completion, source, candidates) => {
    expect(extractAnswers(completion, { lastNumberFallback: true })).toEqual({ source, candidates });
  });

  test('an unclosed <think> gives no answer; text after </think> is used', () => {
    expect(extractAnswers('<think>the answer is 3', { lastNumberFallback: true })).toBeUndefined();
    expect(extractAnswers('<think>the answer is 3</think> so \\boxed{4}', { lastNumberFallback: true })?.candidates).toEqual(['4']);
  });

  test('no answer in master-key completions', () => {
    for (const completion of [':', '.', "Let's solve this step by step.", 'Thought process:', '']) {
      expect(extractAnswers(completion, { lastNumberFallback: true })).toBeUndefined();
    }
  });
});

describe('parsing', () => {
  test.each([
    ['\\dfrac{1}{2}', '1/2'],
    ['\\frac12', '1/2'],
    ['2\\frac{1}{2}', '2+1/2'],
    ['7,425,000', '7425000'],
    ['1.5e3', '1500'],
    ['25\\%', '25%'],
    ['90^\\circ', '90°'],
    ['\\{1, 2\\}', '{1, 2}'],
    ['[0, 1)', '[0, 1)'],
    ['(1, 2)', '(1, 2)'],
    ['1 < x \\le 2', '1 < x <= 2'],
    ['\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '[1, 2; 3, 4]'],
    ['\\sqrt[3]{8}', 'root(8, 3)'],
    ['\\text{Evelyn}', '"Evelyn"'],
  ])('%j parses as %s', (input, rendered) => {
    expect(show(parseAnswer(input))).toBe(rendered);
  });

  test.each(['', '\\frac{1}{', '((1,2)', '\\begin{pmatrix} 1 & 2', '\\unknown{1}', `${'{'.repeat(500)}1${'}'.repeat(500)}`, 'x'.repeat(5_000)])('%j is an AnswerParseError', (input) => {
    expect(() => parseAnswer(input)).toThrow(AnswerParseError);
  });

  test('property: parsing and extraction never crash on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: fc.constantFrom(...'0123456789+-*/^()[]{}\\,.=<>|%$ abcxyzfrac sqrt boxed pi'.split('')) }), (text) => {
        try {
          parseAnswer(text);
        } catch (error) {
          expect(error).toBeInstanceOf(AnswerParseError);
        }
        extractAnswers(text, { lastNumberFallback: true });
      }),
      { numRuns: 500 },
    );
  });
});

describe('equivalence properties', () => {
  test('a fraction equals its reduced form and its decimal when that terminates; not its successor', () => {
    fc.assert(
      fc.property(fc.integer({ min: -500, max: 500 }), fc.constantFrom(1, 2, 4, 5, 8, 10, 16, 20, 25), fc.integer({ min: 1, max: 9 }), (numerator, denominator, scale) => {
        const fraction = `\\frac{${numerator * scale}}{${denominator * scale}}`;
        expect(equivalent(fraction, String(numerator / denominator))).toBe(true);
        expect(equivalent(fraction, `${numerator}/${denominator}`)).toBe(true);
        expect(equivalent(fraction, `${numerator + 1}/${denominator}`)).toBe(false);
      }),
    );
  });

  test('sets are order-free, tuples ordered', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 6 }), (items) => {
        const shuffled = [...items].reverse();
        expect(equivalent(`\\{${items.join(',')}\\}`, `\\{${shuffled.join(',')}\\}`)).toBe(true);
        expect(equivalent(`(${items.join(',')})`, `(${shuffled.join(',')})`)).toBe(false);
        expect(equivalent(`\\{${items.join(',')}\\}`, `\\{${items.slice(1).join(',')}\\}`)).toBe(false);
      }),
    );
  });

  test('a polynomial equals its expansion and not a perturbed one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -9, max: 9 }), (a, b) => {
        const product = `(x ${a < 0 ? '-' : '+'} ${Math.abs(a)})(x ${b < 0 ? '-' : '+'} ${Math.abs(b)})`;
        const expanded = `x^2 + ${a + b}x + ${a * b}`.replace(/\+ -/g, '- ');
        expect(equivalent(product, expanded)).toBe(true);
        expect(equivalent(product, `${expanded} + 1`)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  test('beyond double range: logarithms decide products and quotients, the CAS decides differences', async () => {
    const byLogs = await verifyAnswer({ reference: 'e^{1000}', completion: '\\boxed{e^{500} e^{500}}' });
    expect(byLogs).toMatchObject({ reward: 1, usedCas: false });
    const byCas = await verifyAnswer({ reference: 'e^{1000}-e^{999}', completion: '\\boxed{e^{999}(e-1)}' });
    expect(byCas).toMatchObject({ reward: 1, usedCas: true });
    const differentByCas = await verifyAnswer({ reference: 'e^{1000}-e^{999}', completion: '\\boxed{e^{999}(e-2)}' });
    expect(differentByCas).toMatchObject({ reward: 0, usedCas: true });
    expect(differentByCas.reason).toMatch(/does not equal/);
  });

  test('verifyAnswer is deterministic for the same input', async () => {
    const input = { completion: '\\boxed{\\frac{\\sqrt{2}}{2}}', reference: '\\frac{1}{\\sqrt{2}}' };
    expect(await verifyAnswer(input)).toEqual(await verifyAnswer(input));
  });
});

describe('verifyAnswer properties', () => {
  const fragment = fc.constantFrom('\\boxed{', '}', '{', '$', '$$', '\\frac', '\\sqrt', '12', '0.5', 'x', '=', ',', ' or ', 'The answer is ', '<answer>', '</answer>', '<think>', '</think>', '**', '\\text{cm}', '%', '^\\circ', '(', ')', '[', ']', '\\pm', '\\infty', '\n');
  const completion = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(''));

  test('never throws; the verdict is 0 or 1 with a reason, or skipped', async () => {
    await fc.assert(
      fc.asyncProperty(completion, fc.constantFrom('12', '\\frac12', 'x', '[0, 1)', '\\{1, 2\\}', 'C', '\\frac{1}{', ''), async (text, reference) => {
        const outcome = await verifyAnswer({ completion: text, reference });
        if (outcome.status === 'skipped') expect(outcome.reward).toBeNull();
        else expect([0, 1]).toContain(outcome.reward);
        expect(outcome.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  const rational = fc.record({ numerator: fc.integer({ min: -999, max: 999 }), denominator: fc.integer({ min: 1, max: 99 }) });

  test('a boxed answer written as the reference scores 1; the reference plus one scores 0', async () => {
    await fc.assert(
      fc.asyncProperty(rational, rational, fc.constantFrom('+', '-', '\\cdot'), async (a, b, op) => {
        const reference = `\\frac{${a.numerator}}{${a.denominator}} ${op} \\frac{${b.numerator}}{${b.denominator}}`;
        expect((await verifyAnswer({ reference, completion: `So \\boxed{${reference}}.` })).reward).toBe(1);
        expect((await verifyAnswer({ reference, completion: `So \\boxed{${reference} + 1}.` })).reward).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
