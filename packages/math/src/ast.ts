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
      return someOf(node.terms, test);
    case 'mul':
      return someOf(node.factors, test);
    case 'neg':
    case 'pct':
    case 'deg':
      return some(node.arg, test);
    case 'div':
      return some(node.numerator, test) || some(node.denominator, test);
    case 'pow':
      return some(node.base, test) || some(node.exponent, test);
    case 'fn':
      return someOf(node.args, test);
    case 'pm':
      return some(node.center, test) || some(node.delta, test);
    case 'tuple':
    case 'set':
      return someOf(node.items, test);
    case 'interval':
      return some(node.low, test) || some(node.high, test);
    case 'union':
      return someOf(node.parts, test);
    case 'matrix':
      for (let row = 0; row < node.rows.length; row++) if (someOf(node.rows[row] as MathNode[], test)) return true;
      return false;
    case 'rel':
      return someOf(node.parts, test);
    default:
      return false;
  }
}

// Plain loops, no array builtins or closures: child arrays come in several element kinds (literals,
// `push`, `map`), and an inlined `Array.prototype.some` re-checks the array's map on every call.
function someOf(nodes: readonly MathNode[], test: (node: MathNode) => boolean): boolean {
  for (let index = 0; index < nodes.length; index++) if (some(nodes[index] as MathNode, test)) return true;
  return false;
}

/** Replace nodes bottom-up: `map` receives each node with its children already mapped. */
export function transform(node: MathNode, map: (node: MathNode) => MathNode): MathNode {
  const recur = (child: MathNode): MathNode => transform(child, map);
  let mapped: MathNode;
  switch (node.kind) {
    case 'add':
      mapped = { kind: 'add', terms: transformAll(node.terms, map) };
      break;
    case 'mul':
      mapped = { kind: 'mul', factors: transformAll(node.factors, map) };
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
      mapped = { kind: 'fn', name: node.name, args: transformAll(node.args, map) };
      break;
    case 'pm':
      mapped = { kind: 'pm', center: recur(node.center), delta: recur(node.delta) };
      break;
    case 'tuple':
      mapped = { kind: 'tuple', items: transformAll(node.items, map), bracket: node.bracket };
      break;
    case 'set':
      mapped = { kind: 'set', items: transformAll(node.items, map) };
      break;
    case 'interval':
      mapped = { kind: 'interval', low: recur(node.low), high: recur(node.high), lowOpen: node.lowOpen, highOpen: node.highOpen };
      break;
    case 'union':
      mapped = { kind: 'union', parts: transformAll(node.parts, map) };
      break;
    case 'matrix':
      mapped = { kind: 'matrix', rows: transformRows(node.rows, map) };
      break;
    case 'rel':
      mapped = { kind: 'rel', ops: node.ops, parts: transformAll(node.parts, map) };
      break;
    default:
      mapped = node;
  }
  return map(mapped);
}

// Plain loops rather than `map(recur)`: see `someOf`. The copies are packed arrays, as the parser builds.
function transformAll(nodes: readonly MathNode[], map: (node: MathNode) => MathNode): MathNode[] {
  const mapped: MathNode[] = [];
  for (let index = 0; index < nodes.length; index++) mapped.push(transform(nodes[index] as MathNode, map));
  return mapped;
}

function transformRows(rows: readonly MathNode[][], map: (node: MathNode) => MathNode): MathNode[][] {
  const mapped: MathNode[][] = [];
  for (let index = 0; index < rows.length; index++) mapped.push(transformAll(rows[index] as MathNode[], map));
  return mapped;
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
      return constSymbols[node.name];
    case 'add': {
      let text = '';
      for (let index = 0; index < node.terms.length; index++) {
        const term = node.terms[index] as MathNode;
        text += index > 0 && term.kind !== 'neg' ? `+${show(term)}` : show(term);
      }
      return text;
    }
    case 'mul': {
      let text = '';
      for (let index = 0; index < node.factors.length; index++) text += index > 0 ? `·${wrap(node.factors[index] as MathNode)}` : wrap(node.factors[index] as MathNode);
      return text;
    }
    case 'neg':
      return `-${wrap(node.arg)}`;
    case 'div':
      return `${wrap(node.numerator)}/${wrap(node.denominator)}`;
    case 'pow':
      return `${wrap(node.base)}^${wrap(node.exponent)}`;
    case 'fn':
      return `${node.name}(${showAll(node.args, ', ')})`;
    case 'pct':
      return `${wrap(node.arg)}%`;
    case 'deg':
      return `${wrap(node.arg)}°`;
    case 'pm':
      return `${show(node.center)}±${wrap(node.delta)}`;
    case 'tuple':
      return node.bracket === 'none' ? showAll(node.items, ', ') : `${node.bracket}${showAll(node.items, ', ')}${node.bracket === '(' ? ')' : ']'}`;
    case 'set':
      return `{${showAll(node.items, ', ')}}`;
    case 'interval':
      return `${node.lowOpen ? '(' : '['}${show(node.low)}, ${show(node.high)}${node.highOpen ? ')' : ']'}`;
    case 'union':
      return showAll(node.parts, ' ∪ ');
    case 'matrix': {
      let text = '';
      for (let index = 0; index < node.rows.length; index++) text += index > 0 ? `; ${showAll(node.rows[index] as MathNode[], ', ')}` : showAll(node.rows[index] as MathNode[], ', ');
      return `[${text}]`;
    }
    case 'rel': {
      let text = '';
      for (let index = 0; index < node.parts.length; index++) {
        const part = node.parts[index] as MathNode;
        text += index === 0 ? show(part) : ` ${node.ops[index - 1]} ${show(part)}`;
      }
      return text;
    }
    case 'text':
      return `"${node.value}"`;
  }
}

const constSymbols = { pi: 'π', e: 'e', i: 'i', inf: '∞' } as const;

// Plain loops rather than `map(show).join`: see `someOf`.
function showAll(nodes: readonly MathNode[], separator: string): string {
  let text = '';
  for (let index = 0; index < nodes.length; index++) text += index > 0 ? separator + show(nodes[index] as MathNode) : show(nodes[index] as MathNode);
  return text;
}

const wrapped = new Set<MathNode['kind']>(['add', 'rel', 'pm', 'mul', 'div', 'neg', 'pow']);

function wrap(node: MathNode): string {
  const text = show(node);
  return wrapped.has(node.kind) || (node.kind === 'num' && node.denominator !== 1n) ? `(${text})` : text;
}

/** A single value (not a set, tuple, interval, union, matrix, relation, word or `\pm`). @internal */
export function isScalar(node: MathNode): boolean {
  return !['tuple', 'set', 'interval', 'union', 'matrix', 'rel', 'text', 'pm'].includes(node.kind);
}
