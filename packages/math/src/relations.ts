/**
 * Relations: equations (proportional sides), inequalities and chains read as intervals and unions,
 * and assignments (`x = 3`).
 * @module
 */
import { freeSymbols, some, type MathNode, type RelationOperator } from './ast.js';
import { compareCollections } from './collections.js';
import { close, div, finite, magnitude, type Complex } from './complex.js';
import type { Compare, CompareContext } from './equivalence.js';
import { evaluateComplex, type EvaluationSettings } from './evaluate.js';
import { markUndecided, randomPoint } from './numeric-compare.js';

const DIVIDE: EvaluationSettings = { percent: 'divide', degreesAsRadians: false };

/** A relation node. @internal */
export function isRelation(node: MathNode): node is Extract<MathNode, { kind: 'rel' }> {
  return node.kind === 'rel';
}

/** Only `=`, `\\in`, `\\sim` between its parts. @internal */
export function isEquationLike(node: Extract<MathNode, { kind: 'rel' }>): boolean {
  return node.ops.every((op) => op === '=' || op === 'in' || op === '~');
}

function isSymbolLike(node: MathNode): boolean {
  if (node.kind === 'sym') return true;
  // f(x) written as implicit product f·x, and pairs like (x, y).
  if (node.kind === 'mul') return node.factors.every((factor) => factor.kind === 'sym');
  if (node.kind === 'tuple') return node.items.every((item) => item.kind === 'sym');
  return false;
}

/** Made of symbols only, no numbers (Math-Verify's `is_expr_of_only_symbols`): `x`, `AB`, `f(x)`, `\frac{NO}{BO}`, `(p, q)`. */
function symbolsOnly(node: MathNode): boolean {
  return freeSymbols(node).size > 0 && !some(node, (child) => child.kind === 'num' || child.kind === 'const' || child.kind === 'text');
}

/** `x = …` with a left side of symbols only. @internal */
export function isAssignment(node: MathNode): node is Extract<MathNode, { kind: 'rel' }> {
  return node.kind === 'rel' && isEquationLike(node) && symbolsOnly(node.parts[0] as MathNode);
}

/** The last side of a relation. @internal */
export function lastPart(node: Extract<MathNode, { kind: 'rel' }>): MathNode {
  return node.parts[node.parts.length - 1] as MathNode;
}

const FLIP: Record<string, RelationOperator> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

interface Bound {
  value: MathNode;
  open: boolean;
}

/** `x > 3`, `1 < x <= 2`, `x < 1 or x > 2` as an interval or a union; undefined when not of that shape. */
/** @internal */
export function relationToSet(node: MathNode): MathNode | undefined {
  if (node.kind === 'tuple' && node.bracket === 'none') {
    const parts = node.items.map(relationToSet);
    if (parts.some((part) => part === undefined || part.kind !== 'interval')) return undefined;
    return { kind: 'union', parts: parts as MathNode[] };
  }
  if (node.kind !== 'rel') return undefined;
  const variableIndexes = node.parts.map((part, index) => (isSymbolLike(part) && part.kind !== 'tuple' ? index : -1)).filter((index) => index >= 0);
  if (variableIndexes.length !== 1) return undefined;
  const at = variableIndexes[0] as number;
  if (node.parts.some((part, index) => index !== at && freeSymbols(part).size > 0)) return undefined;
  let low: Bound | undefined;
  let high: Bound | undefined;
  const infinity: MathNode = { kind: 'const', name: 'inf' };
  for (let index = 0; index < node.ops.length; index++) {
    const op = node.ops[index] as RelationOperator;
    if (!['<', '>', '<=', '>='].includes(op)) return undefined;
    // Only relations that touch the variable.
    let constant: MathNode;
    let relation: RelationOperator;
    if (index === at) {
      constant = node.parts[index + 1] as MathNode;
      relation = op; // x op c
    } else if (index + 1 === at) {
      constant = node.parts[index] as MathNode;
      relation = FLIP[op] as RelationOperator; // c op x  ==  x flip(op) c
    } else return undefined;
    const open = relation === '<' || relation === '>';
    if (relation === '<' || relation === '<=') high = { value: constant, open };
    else low = { value: constant, open };
  }
  return {
    kind: 'interval',
    low: low?.value ?? { kind: 'neg', arg: infinity },
    high: high?.value ?? infinity,
    lowOpen: low?.open ?? true,
    highOpen: high?.open ?? true,
  };
}

/**
 * Compare two relations: inequalities as sets, chains part by part, assignments side by side, other
 * equations by proportional differences of their sides.
 * @internal
 */
export function compareRelations(reference: Extract<MathNode, { kind: 'rel' }>, answer: Extract<MathNode, { kind: 'rel' }>, context: CompareContext, compare: Compare): boolean | null {
  let ref = reference;
  let ans = answer;
  // Assignment chains keep the first left side and the last right side: x = 2 + 3 = 5 is x = 5.
  if (isAssignment(ref)) ref = { kind: 'rel', ops: ['='], parts: [ref.parts[0] as MathNode, lastPart(ref)] };
  if (isAssignment(ans)) ans = { kind: 'rel', ops: ['='], parts: [ans.parts[0] as MathNode, lastPart(ans)] };
  const refInequality = ref.ops.every((op) => ['<', '>', '<=', '>='].includes(op));
  const ansInequality = ans.ops.every((op) => ['<', '>', '<=', '>='].includes(op));
  if (refInequality && ansInequality) {
    const refSet = relationToSet(ref);
    const ansSet = relationToSet(ans);
    if (refSet && ansSet) return compare(refSet, ansSet, context);
  }
  if (ref.ops.length !== 1 || ans.ops.length !== 1) {
    if (ref.ops.length !== ans.ops.length || ref.ops.some((op, index) => op !== ans.ops[index])) return false;
    return compareCollections(ref.parts, ans.parts, true, context, compare);
  }
  const refOp = ref.ops[0] as RelationOperator;
  let ansOp = ans.ops[0] as RelationOperator;
  let ansLeft = ans.parts[0] as MathNode;
  let ansRight = ans.parts[1] as MathNode;
  if (isAssignment(ref) && isAssignment(ans)) {
    if (compare(ref.parts[0] as MathNode, ansLeft, context) !== true) return false;
    return compare(ref.parts[1] as MathNode, ansRight, context);
  }
  if (FLIP[ansOp] !== undefined && FLIP[ansOp] === refOp) {
    [ansLeft, ansRight] = [ansRight, ansLeft];
    ansOp = refOp;
  }
  if (refOp !== ansOp) return false;
  const refDifference: MathNode = { kind: 'add', terms: [ref.parts[0] as MathNode, { kind: 'neg', arg: ref.parts[1] as MathNode }] };
  const ansDifference: MathNode = { kind: 'add', terms: [ansLeft, { kind: 'neg', arg: ansRight }] };
  // Equations are the same when their sides' differences are proportional (2y = 4x + 2 is y = 2x + 1);
  // inequalities when the factor is positive.
  return proportional(refDifference, ansDifference, refOp === '=' || refOp === '!=' ? 'nonzero' : 'positive', context);
}

function proportional(a: MathNode, b: MathNode, sign: 'nonzero' | 'positive', context: CompareContext): boolean | null {
  const names = [...new Set([...freeSymbols(a), ...freeSymbols(b)])].sort();
  let ratio: Complex | undefined;
  let valid = 0;
  for (let trial = 0; trial < 8; trial++) {
    const env = randomPoint(names, trial);
    const va = evaluateComplex(a, env, DIVIDE);
    const vb = evaluateComplex(b, env, DIVIDE);
    if (!va || !vb) {
      if (!context.symbolic) markUndecided(context);
      return null;
    }
    if (!finite(va) || !finite(vb)) continue;
    const aZero = magnitude(va) < 1e-12;
    const bZero = magnitude(vb) < 1e-12;
    if (aZero || bZero) {
      if (aZero !== bZero) return false;
      continue;
    }
    const current = div(va, vb);
    if (!ratio) ratio = current;
    else if (!close(ratio, current, 1e-8)) return false;
    valid++;
  }
  if (!ratio) return names.length === 0 ? true : null;
  if (valid < 2 && names.length > 0) return null;
  if (sign === 'positive') return Math.abs(ratio.im) < 1e-9 && ratio.re > 0;
  return true;
}
