// Properties of the formula parser (fast-check): it never throws anything but a RewardError, ends
// within a bound on any input, and printing a tree then parsing it gives the same tree back.
import fc from 'fast-check';
import { compileFormula, formulaNames, parseFormula, type FormulaAst, type Special } from './formula.js';
import { outcome } from './__fixtures__/property-outcome.js';



const tokenPieces = ['a', 'b', 'accuracy', 'x.y', '1', '0.5', '1e3', '.5', '+', '-', '*', '/', '^', '==', '!=', '<', '<=', '>', '>=', 'and', 'or', 'not', '!', '&&', '||', '(', ')', ',', 'if', 'min', 'max', 'clamp', 'default', 'true', ' ', '\t'];
const formulaLike = fc.array(fc.constantFrom(...tokenPieces), { maxLength: 60 }).map((pieces) => pieces.join(''));

// Trees of the language, printed fully parenthesised.
const name = fc.constantFrom('a', 'b', 'format', 'accuracy', 'iou.score');
const tree: fc.Arbitrary<FormulaAst> = fc.letrec<{ node: FormulaAst }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('number' as const), value: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })), column: fc.constant(0) }),
    fc.record({ type: fc.constant('name' as const), name, column: fc.constant(0) }),
    fc.record({ type: fc.constant('unary' as const), operator: fc.constantFrom('-' as const, 'not' as const), operand: tie('node'), column: fc.constant(0) }),
    fc.record({
      type: fc.constant('binary' as const),
      operator: fc.constantFrom('+', '-', '*', '/', '^', '==', '!=', '<', '<=', '>', '>=', 'and', 'or') as fc.Arbitrary<FormulaAst & { type: 'binary' } extends { operator: infer O } ? O : never>,
      left: tie('node'),
      right: tie('node'),
      column: fc.constant(0),
    }),
    fc.oneof(
      fc.record({ type: fc.constant('call' as const), name: fc.constantFrom('abs' as const, 'exp' as const, 'sqrt' as const), args: fc.tuple(tie('node')), column: fc.constant(0) }),
      fc.record({ type: fc.constant('call' as const), name: fc.constantFrom('if' as const, 'clamp' as const), args: fc.tuple(tie('node'), tie('node'), tie('node')), column: fc.constant(0) }),
      fc.record({ type: fc.constant('call' as const), name: fc.constantFrom('min' as const, 'max' as const), args: fc.array(tie('node'), { minLength: 1, maxLength: 4 }), column: fc.constant(0) }),
    ),
  ),
})).node as fc.Arbitrary<FormulaAst>;

function print(node: FormulaAst): string {
  switch (node.type) {
    case 'number':
      return String(node.value);
    case 'name':
      return node.name;
    case 'unary':
      return node.operator === 'not' ? `(not ${print(node.operand)})` : `(-${print(node.operand)})`;
    case 'binary':
      return `(${print(node.left)} ${node.operator} ${print(node.right)})`;
    case 'call':
      return `${node.name}(${node.args.map(print).join(', ')})`;
  }
}

/** A tree without columns, for comparing structure. */
function shape(node: FormulaAst): unknown {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'name':
      return node.name;
    case 'unary':
      return [node.operator, shape(node.operand)];
    case 'binary':
      return [node.operator, shape(node.left), shape(node.right)];
    case 'call':
      return [node.name, ...node.args.map(shape)];
  }
}

describe('parseFormula properties', () => {
  test('any string: a tree or a RewardError, within the bound', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (source) => {
      outcome(() => parseFormula(source));
    }), { numRuns: 500 });
  });

  test('strings of formula tokens: a tree or a RewardError, within the bound', () => {
    fc.assert(fc.property(formulaLike, (source) => {
      outcome(() => parseFormula(source));
    }), { numRuns: 1_000 });
  });

  test('deep nesting of every kind is a RewardError, never a stack overflow', () => {
    fc.assert(fc.property(fc.integer({ min: 150, max: 20_000 }), fc.constantFrom('paren', 'minus', 'not', 'power', 'sum', 'call'), (depth, kind) => {
      const sources: Record<string, string> = {
        paren: `${'('.repeat(depth)}a${')'.repeat(depth)}`,
        minus: `${'-'.repeat(depth)}a`,
        not: `${'not '.repeat(depth)}a`,
        power: new Array(depth).fill('a').join('^'),
        sum: new Array(depth).fill('a').join('+'),
        call: `${'abs('.repeat(depth)}a${')'.repeat(depth)}`,
      };
      const result = outcome(() => parseFormula(sources[kind] as string));
      // Up to 200 levels parse; beyond that the formula is rejected.
      if (depth > 410) expect(result).toBe('reward-error');
    }), { numRuns: 60 });
  });

  test('round trip: a printed tree parses back to the same tree, with the same names', () => {
    fc.assert(fc.property(tree, (node) => {
      const source = print(node);
      const parsed = parseFormula(source);
      expect(shape(parsed)).toEqual(shape(node));
      expect(print(parsed)).toBe(source);
      const expectedNames = new Set<string>();
      const walk = (current: FormulaAst): void => {
        if (current.type === 'name') expectedNames.add(current.name);
        else if (current.type === 'unary') walk(current.operand);
        else if (current.type === 'binary') [current.left, current.right].forEach(walk);
        else if (current.type === 'call') current.args.forEach(walk);
      };
      walk(node);
      expect(new Set(formulaNames(parsed).keys())).toEqual(expectedNames);
    }), { numRuns: 500 });
  });

  test('a compiled tree evaluates to a number or a marker for any lookup, and never throws', () => {
    const skip: Special = { kind: 'skip' };
    fc.assert(fc.property(tree, fc.func(fc.oneof(fc.double(), fc.constant(skip))), (node, values) => {
      const evaluate = compileFormula<Special>(parseFormula(print(node)));
      const value = evaluate((lookupName) => values(lookupName));
      expect(typeof value === 'number' || value === skip).toBe(true);
    }), { numRuns: 500 });
  });
});
