/**
 * The answer syntax tree that extraction, parsing and equivalence share.
 * @module
 */

/** A number literal as written: an exact rational `numerator / denominator` (denominator > 0). */
export interface NumberNode {
  kind: 'num';
  /** Numerator of the exact value. */
  numerator: bigint;
  /** Denominator of the exact value (> 0). */
  denominator: bigint;
  /** True when written with a decimal point or an exponent (`0.5`, `1e3`): compared with float rules. */
  float: boolean;
  /** Digits shown after the decimal point, >= 0 (`3.14` has 2). */
  decimals: number;
  /** Set instead of an exact value when the literal is too large to hold exactly (`1e100000`): its float value. */
  approx?: number;
}

/** Every node of an answer. */
export type MathNode =
  | NumberNode
  | { kind: 'sym'; name: string }
  | { kind: 'const'; name: 'pi' | 'e' | 'i' | 'inf' }
  | { kind: 'add'; terms: MathNode[] }
  | { kind: 'mul'; factors: MathNode[] }
  | { kind: 'neg'; arg: MathNode }
  | { kind: 'div'; numerator: MathNode; denominator: MathNode }
  | { kind: 'pow'; base: MathNode; exponent: MathNode }
  | { kind: 'fn'; name: string; args: MathNode[] }
  | { kind: 'pct'; arg: MathNode }
  | { kind: 'deg'; arg: MathNode }
  | { kind: 'pm'; center: MathNode; delta: MathNode }
  | { kind: 'tuple'; items: MathNode[]; bracket: '(' | '[' | 'none' }
  | { kind: 'set'; items: MathNode[] }
  | { kind: 'interval'; low: MathNode; high: MathNode; lowOpen: boolean; highOpen: boolean }
  | { kind: 'union'; parts: MathNode[] }
  | { kind: 'matrix'; rows: MathNode[][] }
  | { kind: 'rel'; ops: RelationOperator[]; parts: MathNode[] }
  | { kind: 'text'; value: string };

/** A relation operator, normalised. */
export type RelationOperator = '=' | '<' | '>' | '<=' | '>=' | '!=' | 'in' | '~';

/** Free symbol names of a node (sorted, unique). */
export function freeSymbols(node: MathNode, into: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'sym':
      into.add(node.name);
      break;
    case 'add':
      for (const term of node.terms) freeSymbols(term, into);
      break;
    case 'mul':
      for (const factor of node.factors) freeSymbols(factor, into);
      break;
    case 'neg':
    case 'pct':
    case 'deg':
      freeSymbols(node.arg, into);
      break;
    case 'div':
      freeSymbols(node.numerator, into);
      freeSymbols(node.denominator, into);
      break;
    case 'pow':
      freeSymbols(node.base, into);
      freeSymbols(node.exponent, into);
      break;
    case 'fn':
      for (const arg of node.args) freeSymbols(arg, into);
      break;
    case 'pm':
      freeSymbols(node.center, into);
      freeSymbols(node.delta, into);
      break;
    case 'tuple':
    case 'set':
      for (const item of node.items) freeSymbols(item, into);
      break;
    case 'interval':
      freeSymbols(node.low, into);
      freeSymbols(node.high, into);
      break;
    case 'union':
      for (const part of node.parts) freeSymbols(part, into);
      break;
    case 'matrix':
      for (const row of node.rows) for (const cell of row) freeSymbols(cell, into);
      break;
    case 'rel':
      for (const part of node.parts) freeSymbols(part, into);
      break;
    default:
      break;
  }
  return into;
}

/** True when any number literal in the node was written as a decimal (`0.5`) or with an exponent. */
export function hasFloat(node: MathNode): boolean {
  return some(node, (child) => child.kind === 'num' && child.float);
}

/** True when `test` holds for the node or any node inside it. */
export function some(node: MathNode, test: (node: MathNode) => boolean): boolean {
  if (test(node)) return true;
  switch (node.kind) {
    case 'add':
      return node.terms.some((term) => some(term, test));
    case 'mul':
      return node.factors.some((factor) => some(factor, test));
    case 'neg':
    case 'pct':
    case 'deg':
      return some(node.arg, test);
    case 'div':
      return some(node.numerator, test) || some(node.denominator, test);
    case 'pow':
      return some(node.base, test) || some(node.exponent, test);
    case 'fn':
      return node.args.some((arg) => some(arg, test));
    case 'pm':
      return some(node.center, test) || some(node.delta, test);
    case 'tuple':
    case 'set':
      return node.items.some((item) => some(item, test));
    case 'interval':
      return some(node.low, test) || some(node.high, test);
    case 'union':
      return node.parts.some((part) => some(part, test));
    case 'matrix':
      return node.rows.some((row) => row.some((cell) => some(cell, test)));
    case 'rel':
      return node.parts.some((part) => some(part, test));
    default:
      return false;
  }
}

/** Replace nodes bottom-up: `map` receives each node with its children already mapped. */
export function transform(node: MathNode, map: (node: MathNode) => MathNode): MathNode {
  const recur = (child: MathNode): MathNode => transform(child, map);
  let mapped: MathNode;
  switch (node.kind) {
    case 'add':
      mapped = { kind: 'add', terms: node.terms.map(recur) };
      break;
    case 'mul':
      mapped = { kind: 'mul', factors: node.factors.map(recur) };
      break;
    case 'neg':
    case 'pct':
    case 'deg':
      mapped = { kind: node.kind, arg: recur(node.arg) };
      break;
    case 'div':
      mapped = { kind: 'div', numerator: recur(node.numerator), denominator: recur(node.denominator) };
      break;
    case 'pow':
      mapped = { kind: 'pow', base: recur(node.base), exponent: recur(node.exponent) };
      break;
    case 'fn':
      mapped = { kind: 'fn', name: node.name, args: node.args.map(recur) };
      break;
    case 'pm':
      mapped = { kind: 'pm', center: recur(node.center), delta: recur(node.delta) };
      break;
    case 'tuple':
      mapped = { kind: 'tuple', items: node.items.map(recur), bracket: node.bracket };
      break;
    case 'set':
      mapped = { kind: 'set', items: node.items.map(recur) };
      break;
    case 'interval':
      mapped = { ...node, low: recur(node.low), high: recur(node.high) };
      break;
    case 'union':
      mapped = { kind: 'union', parts: node.parts.map(recur) };
      break;
    case 'matrix':
      mapped = { kind: 'matrix', rows: node.rows.map((row) => row.map(recur)) };
      break;
    case 'rel':
      mapped = { kind: 'rel', ops: node.ops, parts: node.parts.map(recur) };
      break;
    default:
      mapped = node;
  }
  return map(mapped);
}

/** A short human-readable rendering of a node, for `reason` strings. */
export function show(node: MathNode): string {
  switch (node.kind) {
    case 'num':
      if (node.approx !== undefined) return String(node.approx);
      return node.denominator === 1n ? String(node.numerator) : `${node.numerator}/${node.denominator}`;
    case 'sym':
      return node.name;
    case 'const':
      return { pi: 'π', e: 'e', i: 'i', inf: '∞' }[node.name];
    case 'add':
      return node.terms.map((term, index) => (index > 0 && term.kind !== 'neg' ? `+${show(term)}` : show(term))).join('');
    case 'mul':
      return node.factors.map(wrap).join('·');
    case 'neg':
      return `-${wrap(node.arg)}`;
    case 'div':
      return `${wrap(node.numerator)}/${wrap(node.denominator)}`;
    case 'pow':
      return `${wrap(node.base)}^${wrap(node.exponent)}`;
    case 'fn':
      return `${node.name}(${node.args.map(show).join(', ')})`;
    case 'pct':
      return `${wrap(node.arg)}%`;
    case 'deg':
      return `${wrap(node.arg)}°`;
    case 'pm':
      return `${show(node.center)}±${wrap(node.delta)}`;
    case 'tuple':
      return node.bracket === 'none' ? node.items.map(show).join(', ') : `${node.bracket}${node.items.map(show).join(', ')}${node.bracket === '(' ? ')' : ']'}`;
    case 'set':
      return `{${node.items.map(show).join(', ')}}`;
    case 'interval':
      return `${node.lowOpen ? '(' : '['}${show(node.low)}, ${show(node.high)}${node.highOpen ? ')' : ']'}`;
    case 'union':
      return node.parts.map(show).join(' ∪ ');
    case 'matrix':
      return `[${node.rows.map((row) => row.map(show).join(', ')).join('; ')}]`;
    case 'rel':
      return node.parts.map((part, index) => (index === 0 ? show(part) : ` ${node.ops[index - 1]} ${show(part)}`)).join('');
    case 'text':
      return `"${node.value}"`;
  }
}

function wrap(node: MathNode): string {
  const text = show(node);
  return ['add', 'rel', 'pm', 'mul', 'div', 'neg', 'pow'].includes(node.kind) || (node.kind === 'num' && node.denominator !== 1n) ? `(${text})` : text;
}

/** A single value (not a set, tuple, interval, union, matrix, relation, word or `\pm`). @internal */
export function isScalar(node: MathNode): boolean {
  return !['tuple', 'set', 'interval', 'union', 'matrix', 'rel', 'text', 'pm'].includes(node.kind);
}
