/**
 * Collections of answers: sets (order-free, repeated elements once), tuples (ordered), and the values
 * a `\\pm` stands for.
 * @module
 */
import { freeSymbols, hasFloat, isScalar, show, some, transform, type MathNode } from './ast.js';
import { evaluateExact, type EvaluationSettings } from './evaluate.js';
import type { Compare, CompareContext } from './equivalence.js';

const DIVIDE: EvaluationSettings = { percent: 'divide', degreesAsRadians: false };

/** The items of a set or tuple, the two values of a `\\pm`, or the node alone. @internal */
export function collectionItems(node: MathNode): MathNode[] {
  if (node.kind === 'set' || node.kind === 'tuple') return node.items;
  if (node.kind === 'pm') return expandPlusMinus(node);
  return [node];
}

/** Has a `\\pm` somewhere. @internal */
export function containsPlusMinus(node: MathNode): boolean {
  return some(node, (child) => child.kind === 'pm');
}

/** Every value a tree with ± stands for (at most 8: three ± signs). @internal */
export function expandAll(node: MathNode): MathNode[] {
  let trees = [node];
  for (let round = 0; round < 3 && trees.some(containsPlusMinus); round++) {
    trees = trees.flatMap((tree) => {
      let done = false;
      const pick = (sign: 1 | -1): MathNode =>
        transform(tree, (child) => {
          if (done || child.kind !== 'pm') return child;
          done = true;
          return { kind: 'add', terms: [child.center, sign === 1 ? child.delta : { kind: 'neg', arg: child.delta }] };
        });
      const plus = pick(1);
      done = false;
      return [plus, pick(-1)];
    });
  }
  return trees;
}

/** The two values of `a \\pm b`. @internal */
export function expandPlusMinus(node: Extract<MathNode, { kind: 'pm' }>): MathNode[] {
  return [
    { kind: 'add', terms: [node.center, node.delta] },
    { kind: 'add', terms: [node.center, { kind: 'neg', arg: node.delta }] },
  ];
}

/** Ordered: item by item. Unordered: a matching between the two lists (multisets). @internal */
export function compareCollections(references: MathNode[], answers: MathNode[], ordered: boolean, context: CompareContext, compare: Compare): boolean | null {
  let undecided = false;
  if (ordered) {
    if (references.length !== answers.length) return false;
    for (let index = 0; index < references.length; index++) {
      const result = compare(references[index] as MathNode, answers[index] as MathNode, context);
      if (result === false) return false;
      if (result === null) undecided = true;
    }
    return undecided ? null : true;
  }
  // Exact rationals on both sides (the common case of long lists): compare sorted keys, O(n log n).
  const refKeys = exactKeys(references);
  const ansKeys = refKeys ? exactKeys(answers) : undefined;
  if (refKeys && ansKeys) {
    const refSet = [...new Set(refKeys)].sort();
    const ansSet = [...new Set(ansKeys)].sort();
    return refSet.length === ansSet.length && refSet.every((key, index) => key === ansSet[index]);
  }
  // Order-free lists are sets: a repeated element counts once ({a, a} = {a}).
  if ((references.length !== answers.length || references.length <= 12) && references.length <= 200 && answers.length <= 200) {
    references = distinct(references, context, compare);
    answers = distinct(answers, context, compare);
    if (references.length !== answers.length) return false;
  }
  const used = new Array<boolean>(answers.length).fill(false);
  for (const reference of references) {
    let matched = false;
    let maybe = false;
    for (let index = 0; index < answers.length; index++) {
      if (used[index]) continue;
      const result = compare(reference, answers[index] as MathNode, context);
      if (result === true) {
        used[index] = true;
        matched = true;
        break;
      }
      if (result === null) maybe = true;
    }
    if (!matched) {
      if (!maybe) return false;
      undecided = true;
    }
  }
  return undecided ? null : true;
}

/** `n/d` keys when every item is an exact rational written without decimals; undefined otherwise. */
function exactKeys(items: MathNode[]): string[] | undefined {
  const keys: string[] = [];
  for (const item of items) {
    if (!isScalar(item) || hasFloat(item) || freeSymbols(item).size > 0 || some(item, (child) => child.kind === 'pct' || child.kind === 'deg')) return undefined;
    const value = evaluateExact(item, DIVIDE);
    if (!value) return undefined;
    keys.push(`${value.numerator}/${value.denominator}`);
  }
  return keys;
}

function distinct(items: MathNode[], context: CompareContext, compare: Compare): MathNode[] {
  const kept: MathNode[] = [];
  for (const item of items) {
    if (!kept.some((seen) => show(seen) === show(item) || compare(seen, item, { settings: context.settings }) === true)) kept.push(item);
  }
  return kept;
}
