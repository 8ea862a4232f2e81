import { RewardError } from './errors.js';

/**
 * A parsed formula node. Formulas are parsed once into this tree and compiled to closures; they
 * are never evaluated with `eval`.
 * @internal
 */
export type FormulaAst =
  | { type: 'number'; value: number; column: number }
  | { type: 'name'; name: string; column: number }
  | { type: 'unary'; operator: '-' | '+' | 'not'; operand: FormulaAst; column: number }
  | { type: 'binary'; operator: BinaryOperator; left: FormulaAst; right: FormulaAst; column: number }
  | { type: 'call'; name: FunctionName; args: FormulaAst[]; column: number };

/** Binary operators of the formula language. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

/** Built-in functions of the formula language, with their argument counts. */
export const formulaFunctions = {
  min: [1, Infinity],
  max: [1, Infinity],
  abs: [1, 1],
  clamp: [3, 3],
  exp: [1, 1],
  log: [1, 1],
  sqrt: [1, 1],
  floor: [1, 1],
  ceil: [1, 1],
  if: [3, 3],
  default: [2, 2],
} as const satisfies Record<string, readonly [number, number]>;

/** The name of a built-in function. */
export type FunctionName = keyof typeof formulaFunctions;

interface Token {
  kind: 'number' | 'name' | 'op' | '(' | ')' | ',' | 'end';
  text: string;
  column: number;
}

function formulaError(source: string, column: number, message: string): RewardError {
  const shown = source.length > 200 ? `${source.slice(0, 200)}…` : source;
  return new RewardError('INVALID_CONFIG', `formula "${shown}": ${message} at column ${column}`);
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source[index] as string;
    const column = index + 1;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      index++;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(index, index + 64));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], column });
      index += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(source.slice(index));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], column });
      index += name[0].length;
      continue;
    }
    const two = source.slice(index, index + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=' || two === '&&' || two === '||') {
      tokens.push({ kind: 'op', text: two === '&&' ? 'and' : two === '||' ? 'or' : two, column });
      index += 2;
      continue;
    }
    if ('+-*/^<>'.includes(char)) {
      tokens.push({ kind: 'op', text: char, column });
      index++;
      continue;
    }
    if (char === '!') {
      tokens.push({ kind: 'name', text: 'not', column });
      index++;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: char, text: char, column });
      index++;
      continue;
    }
    throw formulaError(source, column, `unexpected character "${char}"`);
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}

const binaryPrecedence: Record<string, number> = {
  or: 1,
  and: 2,
  '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4,
  '+': 5, '-': 5,
  '*': 6, '/': 6,
};

/** Deepest formula tree accepted (nested parentheses, calls, unary operators, operator chains). */
const maxFormulaDepth = 200;

/**
 * Parse a formula into its tree. Precedence, lowest first: `or`, `and`, `not`, comparisons,
 * `+ -`, `* /`, unary `-`, `^` (right-associative, so `-2^2` is -4). Trees deeper than 200 levels
 * are rejected, so neither parsing nor evaluation can overflow the stack.
 * @throws RewardError INVALID_CONFIG naming the column of a syntax error
 */
export function parseFormula(source: string): FormulaAst {
  if (typeof source !== 'string' || source.trim() === '') throw new RewardError('INVALID_CONFIG', 'a formula must be a non-empty string');
  const tokens = tokenize(source);
  const tree = parseTokens(source, tokens);
  const tooDeep = nodeDeeperThan(tree, maxFormulaDepth);
  if (tooDeep) throw formulaError(source, tooDeep.column, `the formula nests deeper than ${maxFormulaDepth} levels`);
  return tree;
}

/** The first node found below `limit` levels, by an explicit stack (no recursion), or undefined. */
function nodeDeeperThan(tree: FormulaAst, limit: number): FormulaAst | undefined {
  const stack: [FormulaAst, number][] = [[tree, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [FormulaAst, number];
    if (depth > limit) return node;
    if (node.type === 'unary') stack.push([node.operand, depth + 1]);
    else if (node.type === 'binary') stack.push([node.left, depth + 1], [node.right, depth + 1]);
    else if (node.type === 'call') for (const arg of node.args) stack.push([arg, depth + 1]);
  }
  return undefined;
}

function parseTokens(source: string, tokens: Token[]): FormulaAst {
  let position = 0;
  // Recursion guard: every cycle of the descent passes through parsePrefix, parsePower or
  // parsePrefixForPower, so bounding their nesting bounds the stack.
  let depth = 0;
  const nested = <Result>(parse: () => Result): Result => {
    if (++depth > 2 * maxFormulaDepth + 8) {
      throw formulaError(source, (tokens[position] as Token).column, `the formula nests deeper than ${maxFormulaDepth} levels`);
    }
    try {
      return parse();
    } finally {
      depth--;
    }
  };
  const peek = () => tokens[position] as Token;
  const take = () => tokens[position++] as Token;
  const expect = (kind: Token['kind'], what: string) => {
    const token = peek();
    if (token.kind !== kind) throw formulaError(source, token.column, `expected ${what}${describe(token)}`);
    return take();
  };
  const describe = (token: Token) => (token.kind === 'end' ? ' but the formula ended' : ` but found "${token.text}"`);

  function parseExpression(minPrecedence: number): FormulaAst {
    let left = parsePrefix();
    for (;;) {
      const token = peek();
      const operator = token.kind === 'op' ? token.text : token.kind === 'name' && (token.text === 'and' || token.text === 'or') ? token.text : undefined;
      if (operator === undefined) break;
      const precedence = binaryPrecedence[operator];
      if (precedence === undefined || precedence < minPrecedence) break;
      take();
      const right = parseExpression(precedence + 1);
      left = { type: 'binary', operator: operator as BinaryOperator, left, right, column: token.column };
    }
    return left;
  }

  function parsePrefix(): FormulaAst {
    return nested(parsePrefixUnguarded);
  }

  function parsePrefixUnguarded(): FormulaAst {
    const token = peek();
    if (token.kind === 'name' && token.text === 'not') {
      take();
      return { type: 'unary', operator: 'not', operand: parseExpression(3), column: token.column };
    }
    if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
      take();
      return { type: 'unary', operator: token.text, operand: parseExpression(6.5), column: token.column };
    }
    return parsePower();
  }

  function parsePower(): FormulaAst {
    return nested(parsePowerUnguarded);
  }

  function parsePowerUnguarded(): FormulaAst {
    const base = parsePrimary();
    const token = peek();
    if (token.kind === 'op' && token.text === '^') {
      take();
      const exponent = parsePrefixForPower();
      return { type: 'binary', operator: '^', left: base, right: exponent, column: token.column };
    }
    return base;
  }

  function parsePrefixForPower(): FormulaAst {
    return nested(() => {
      const token = peek();
      if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
        take();
        return { type: 'unary', operator: token.text, operand: parsePrefixForPower(), column: token.column };
      }
      return parsePower();
    });
  }

  function parsePrimary(): FormulaAst {
    const token = take();
    if (token.kind === 'number') return { type: 'number', value: Number(token.text), column: token.column };
    if (token.kind === '(') {
      const inner = parseExpression(0);
      expect(')', '")"');
      return inner;
    }
    if (token.kind === 'name') {
      if (token.text === 'true') return { type: 'number', value: 1, column: token.column };
      if (token.text === 'false') return { type: 'number', value: 0, column: token.column };
      if (token.text === 'and' || token.text === 'or') throw formulaError(source, token.column, `"${token.text}" needs a value on its left`);
      if (peek().kind === '(') {
        const arity = (formulaFunctions as Record<string, readonly [number, number]>)[token.text];
        if (!arity) throw formulaError(source, token.column, `unknown function "${token.text}" (known: ${Object.keys(formulaFunctions).join(', ')})`);
        take();
        const args: FormulaAst[] = [];
        if (peek().kind !== ')') {
          for (;;) {
            args.push(parseExpression(0));
            if (peek().kind === ',') take();
            else break;
          }
        }
        expect(')', '"," or ")"');
        if (args.length < arity[0] || args.length > arity[1]) {
          const wanted = arity[0] === arity[1] ? `${arity[0]}` : arity[1] === Infinity ? `at least ${arity[0]}` : `${arity[0]} to ${arity[1]}`;
          throw formulaError(source, token.column, `${token.text}() takes ${wanted} argument${wanted === '1' ? '' : 's'}, got ${args.length}`);
        }
        return { type: 'call', name: token.text as FunctionName, args, column: token.column };
      }
      return { type: 'name', name: token.text, column: token.column };
    }
    throw formulaError(source, token.column, `expected a number, a name or "("${describe(token)}`);
  }

  const tree = parseExpression(0);
  const rest = peek();
  if (rest.kind !== 'end') throw formulaError(source, rest.column, `unexpected "${rest.text}"`);
  return tree;
}

/** Every name a formula refers to, with the column of its first use. */
export function formulaNames(tree: FormulaAst): Map<string, number> {
  const names = new Map<string, number>();
  const walk = (node: FormulaAst) => {
    if (node.type === 'name') {
      if (!names.has(node.name)) names.set(node.name, node.column);
    } else if (node.type === 'unary') walk(node.operand);
    else if (node.type === 'binary') {
      walk(node.left);
      walk(node.right);
    } else if (node.type === 'call') node.args.forEach(walk);
  };
  walk(tree);
  return names;
}

/**
 * Check that every name of a formula is known; the message names the first unknown name and its
 * column. A dotted name (`accuracy.iou`, a sub-score of a component) is checked by its first part.
 */
export function checkFormulaNames(source: string, tree: FormulaAst, known: ReadonlySet<string>): void {
  for (const [name, column] of formulaNames(tree)) {
    const base = name.split('.')[0] as string;
    if (!known.has(base)) {
      const list = [...known].sort().join(', ');
      throw formulaError(source, column, `unknown name "${base}" (components: ${list || 'none'})`);
    }
  }
}

/**
 * What a formula evaluates to when it is not a number: a marker object. Evaluation code compares
 * `typeof value === 'number'` first, so the common path allocates nothing.
 */
export type Special = { readonly kind: 'skip' | 'need' | 'fail' };

/** A compiled formula: evaluates with a lookup of names; returns a number or a marker. */
export type CompiledFormula<Marker extends Special> = (lookup: (name: string) => number | Marker) => number | Marker;

/**
 * Compile a tree into a closure. `if`/`and`/`or` are lazy: a name only in the branch not taken is
 * never looked up. A non-number from a lookup propagates (the first one met wins), except that
 * `default(x, v)` replaces a `skip` marker of `x` by `v`.
 */
export function compileFormula<Marker extends Special>(tree: FormulaAst): CompiledFormula<Marker> {
  type Fn = (lookup: (name: string) => number | Marker) => number | Marker;
  const compile = (node: FormulaAst): Fn => {
    switch (node.type) {
      case 'number': {
        const value = node.value;
        return () => value;
      }
      case 'name': {
        const name = node.name;
        return (lookup) => lookup(name);
      }
      case 'unary': {
        const operand = compile(node.operand);
        if (node.operator === 'not') return (lookup) => {
          const value = operand(lookup);
          return typeof value === 'number' ? (value === 0 ? 1 : 0) : value;
        };
        if (node.operator === '-') return (lookup) => {
          const value = operand(lookup);
          return typeof value === 'number' ? -value : value;
        };
        return operand;
      }
      case 'binary': {
        const left = compile(node.left);
        const right = compile(node.right);
        if (node.operator === 'and') return (lookup) => {
          const a = left(lookup);
          if (typeof a !== 'number') return a;
          if (a === 0) return 0;
          const b = right(lookup);
          return typeof b === 'number' ? (b !== 0 ? 1 : 0) : b;
        };
        if (node.operator === 'or') return (lookup) => {
          const a = left(lookup);
          if (typeof a !== 'number') return a;
          if (a !== 0) return 1;
          const b = right(lookup);
          return typeof b === 'number' ? (b !== 0 ? 1 : 0) : b;
        };
        const apply = arithmetic[node.operator];
        return (lookup) => {
          const a = left(lookup);
          // Evaluate the right side even when the left is a marker, so that every component the
          // formula needs is requested in the same round (batched together).
          const b = right(lookup);
          if (typeof a !== 'number') return a;
          if (typeof b !== 'number') return b;
          return apply(a, b);
        };
      }
      case 'call': {
        const args = node.args.map(compile);
        const [first, second, third] = args as [Fn, Fn, Fn];
        switch (node.name) {
          case 'if':
            return (lookup) => {
              const condition = first(lookup);
              if (typeof condition !== 'number') return condition;
              return condition !== 0 ? second(lookup) : third(lookup);
            };
          case 'default':
            return (lookup) => {
              const value = first(lookup);
              if (typeof value === 'number' || value.kind !== 'skip') return value;
              return second(lookup);
            };
          default: {
            const fn = mathFunctions[node.name];
            return (lookup) => {
              const values: number[] = new Array(args.length);
              let marker: Marker | undefined;
              for (let index = 0; index < args.length; index++) {
                const value = (args[index] as Fn)(lookup);
                if (typeof value === 'number') values[index] = value;
                else marker ??= value;
              }
              return marker ?? fn(values);
            };
          }
        }
      }
    }
  };
  return compile(tree);
}

const arithmetic: Record<Exclude<BinaryOperator, 'and' | 'or'>, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '==': (a, b) => (a === b ? 1 : 0),
  '!=': (a, b) => (a !== b ? 1 : 0),
  '<': (a, b) => (a < b ? 1 : 0),
  '<=': (a, b) => (a <= b ? 1 : 0),
  '>': (a, b) => (a > b ? 1 : 0),
  '>=': (a, b) => (a >= b ? 1 : 0),
};

const mathFunctions: Record<Exclude<FunctionName, 'if' | 'default'>, (values: number[]) => number> = {
  min: (values) => Math.min(...values),
  max: (values) => Math.max(...values),
  abs: (values) => Math.abs(values[0] as number),
  clamp: ([value, low, high]) => Math.min(Math.max(value as number, low as number), high as number),
  exp: (values) => Math.exp(values[0] as number),
  log: (values) => Math.log(values[0] as number),
  sqrt: (values) => Math.sqrt(values[0] as number),
  floor: (values) => Math.floor(values[0] as number),
  ceil: (values) => Math.ceil(values[0] as number),
};
