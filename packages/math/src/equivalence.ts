/**
 * Equivalence of two parsed answers: the dispatch by answer shape. Units are dropped
 * (`units.ts`), matrix arithmetic carried out (`matrices.ts`), relations read as sets or compared
 * side by side (`relations.ts`), collections matched item by item (`collections.ts`), words
 * compared as words (`text-answers.ts`), and single values compared numerically
 * (`numeric-compare.ts`), with a CAS (when one is supplied) only for what those cannot decide.
 * @module
 */
import { isScalar, type MathNode } from './ast.js';
import { collectionItems, compareCollections, containsPlusMinus, expandAll, expandPlusMinus } from './collections.js';
import { isVector, reduceMatrices } from './matrices.js';
import { compareScalars } from './numeric-compare.js';
import { compareRelations, isAssignment, isEquationLike, isRelation, lastPart, relationToSet } from './relations.js';
import { compareText } from './text-answers.js';
import { stripUnits, unitOf } from './units.js';

/** How `25\%` compares with `0.25` and with `25`. */
export type PercentMode = 'strip' | 'math-verify' | 'either';

/** Settings of {@link answersEquivalent}. */
export interface EquivalenceSettings {
  /** `strip` (default): `%` is ignored, so `25\%` = `25` (the sign omitted or added, same number) and != `0.25`; `math-verify`: `x%` is `x/100`, so `25\%` = `0.25` and != `25`; `either`: both readings are accepted. */
  percent: PercentMode;
  /** Relative tolerance for values that are not both exact rationals, >= 0 (default 1e-9). */
  relativeTolerance: number;
  /** Decimal places both sides are rounded to when either is written as a decimal (Math-Verify's `float_rounding`), 0..15 (default 6). */
  floatRounding: number;
  /** Accept a more precise answer that rounds to a decimal reference at the decimals the reference shows (`3.14` vs `3.14159`, `0.33` vs `1/3`). Default true. */
  referencePrecision: boolean;
}

/** The symbolic second opinion: true/false when it can decide that `a - b` is zero, null when it cannot. */
export type SymbolicCheck = (reference: MathNode, answer: MathNode) => boolean | null;

/** What a comparison needs besides the two trees. */
export interface CompareContext {
  /** Tolerances and readings. */
  settings: EquivalenceSettings;
  /** The CAS, when loaded. */
  symbolic?: SymbolicCheck;
  /** Set to true when some sub-comparison could not be decided without a CAS. */
  undecided?: boolean;
}

/** Default equivalence settings (Math-Verify's behaviour where it defines one). */
export const defaultEquivalenceSettings: EquivalenceSettings = {
  percent: 'strip',
  relativeTolerance: 1e-9,
  floatRounding: 6,
  referencePrecision: true,
};

/** A comparison of two trees under a context (passed to the parts that recurse). @internal */
export type Compare = (reference: MathNode, answer: MathNode, context: CompareContext) => boolean | null;

/**
 * Decide whether `answer` is equivalent to `reference`. Asymmetric, like Math-Verify's `verify`:
 * an assignment reference (`x = 3`) accepts `3`, an equation answer (`k = 1/3`) is read by its last
 * side when the reference is not a relation.
 * @returns true, false, or null when undecidable without a CAS (`context.undecided` is then set)
 */
export function answersEquivalent(reference: MathNode, answer: MathNode, context: CompareContext): boolean | null {
  // Units are dropped, but two different units on both sides (`5\text{ cm}` vs `5\text{ m}`) differ.
  const referenceUnit = unitOf(reference);
  const answerUnit = unitOf(answer);
  if (referenceUnit !== undefined && answerUnit !== undefined && referenceUnit !== answerUnit) return false;
  return compare(reduceMatrices(stripUnits(reference)), reduceMatrices(stripUnits(answer)), context);
}

function compare(reference: MathNode, answer: MathNode, context: CompareContext): boolean | null {
  let ref = reference;
  let ans = answer;
  if (isRelation(ans) && !isRelation(ref)) {
    if (isEquationLike(ans)) ans = lastPart(ans);
    else {
      const asSet = relationToSet(ans);
      if (!asSet) return false;
      ans = asSet;
    }
  }
  if (isRelation(ref) && !isRelation(ans)) {
    if (isAssignment(ref)) ref = lastPart(ref);
    else if (!isEquationLike(ref)) {
      const asSet = relationToSet(ref);
      if (!asSet) return false;
      ref = asSet;
    } else return false;
  }
  if (isRelation(ref) && isRelation(ans)) return compareRelations(ref, ans, context, compare);
  if (ans.kind === 'tuple' && ans.bracket === 'none' && ans.items.every((item) => isRelation(item) && !isEquationLike(item)) && (ref.kind === 'union' || ref.kind === 'interval')) {
    const asSet = relationToSet(ans);
    if (asSet) ans = asSet;
  }
  if (ref.kind === 'tuple' && ref.bracket === 'none' && ref.items.every((item) => isRelation(item) && !isEquationLike(item))) {
    const asSet = relationToSet(ref);
    if (asSet) ref = asSet;
  }

  // `\frac{-1 \pm \sqrt{13}}{4}`: a ± inside an expression stands for two values.
  if ((ref.kind !== 'pm' && isScalar(ref) && containsPlusMinus(ref)) || (ans.kind !== 'pm' && isScalar(ans) && containsPlusMinus(ans))) {
    const refItems = isScalar(ref) || ref.kind === 'pm' ? expandAll(ref) : undefined;
    const ansItems = isScalar(ans) || ans.kind === 'pm' ? expandAll(ans) : collectionItems(ans).flatMap(expandAll);
    if (refItems) return compareCollections(refItems, ansItems, false, context, compare);
  }
  switch (ref.kind) {
    case 'text':
      return compareText(ref.value, ans);
    case 'pm':
      return compareCollections(expandPlusMinus(ref), collectionItems(ans), false, context, compare);
    case 'set': {
      const items = ans.kind === 'set' || ans.kind === 'pm' || (ans.kind === 'tuple' && ans.bracket === 'none') ? collectionItems(ans) : isScalar(ans) ? [ans] : undefined;
      return items ? compareCollections(ref.items, items, false, context, compare) : false;
    }
    case 'tuple': {
      if (ans.kind === 'tuple') {
        const ordered = !(ref.bracket === 'none' && ans.bracket === 'none');
        return compareCollections(ref.items, ans.items, ordered, context, compare);
      }
      if (ans.kind === 'set' || ans.kind === 'pm') return ref.bracket === 'none' ? compareCollections(ref.items, collectionItems(ans), false, context, compare) : false;
      if (ans.kind === 'interval' && ref.bracket === '(' && ref.items.length === 2 && ans.lowOpen && ans.highOpen) {
        return compareCollections(ref.items, [ans.low, ans.high], true, context, compare);
      }
      if (ans.kind === 'matrix' && isVector(ans)) return compareCollections(ref.items, ans.rows.flat(), true, context, compare);
      return false;
    }
    case 'interval': {
      if (ans.kind === 'interval') {
        if (ref.lowOpen !== ans.lowOpen || ref.highOpen !== ans.highOpen) return false;
        return compareCollections([ref.low, ref.high], [ans.low, ans.high], true, context, compare);
      }
      if (ans.kind === 'tuple' && ans.bracket === '(' && ans.items.length === 2 && ref.lowOpen && ref.highOpen) {
        return compareCollections([ref.low, ref.high], ans.items, true, context, compare);
      }
      if (ans.kind === 'union' && ans.parts.length === 1) return compare(ref, ans.parts[0] as MathNode, context);
      return false;
    }
    case 'union': {
      if (ans.kind !== 'union') return false;
      return compareCollections(ref.parts, ans.parts, false, context, compare);
    }
    case 'matrix': {
      if (ans.kind === 'matrix') {
        if (ans.rows.length !== ref.rows.length || (ans.rows[0] as MathNode[]).length !== (ref.rows[0] as MathNode[]).length) return false;
        return compareCollections(ref.rows.flat(), ans.rows.flat(), true, context, compare);
      }
      if (ans.kind === 'tuple' && isVector(ref)) return compareCollections(ref.rows.flat(), ans.items, true, context, compare);
      return false;
    }
    default:
      break;
  }
  if (!isScalar(ans)) {
    if (ans.kind === 'set' && ans.items.length === 1) return compare(ref, ans.items[0] as MathNode, context);
    return false;
  }
  return compareScalars(ref, ans, context);
}
