/**
 * Equivalence of two parsed answers: exact rationals first, then floats with a tolerance and the
 * reference's shown precision, then algebraic identity by evaluation at random complex points, and
 * a CAS (when one is supplied) only for what those cannot decide. Structure is respected: sets are
 * order-free, tuples ordered, intervals keep their open/closed ends.
 * @module
 */
import { freeSymbols, hasFloat, show, some, transform, type MathNode, type RelationOperator } from './ast.js';
import { evaluateComplex, evaluateExact, evaluateLog, type Complex, type EvaluationSettings } from './evaluate.js';

/** How `25\%` compares with `0.25` and with `25`. */
export type PercentMode = 'math-verify' | 'strip' | 'either';

/** Settings of {@link answersEquivalent}. */
export interface EquivalenceSettings {
  /** `math-verify` (default): `x%` is `x/100`, so `25\%` = `0.25` and != `25`; `strip`: `%` is ignored, so `25\%` = `25`; `either`: both readings are accepted. */
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
  percent: 'math-verify',
  relativeTolerance: 1e-9,
  floatRounding: 6,
  referencePrecision: true,
};

const DIVIDE: EvaluationSettings = { percent: 'divide', degreesAsRadians: false };

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

const UNIT_SYNONYMS: Record<string, string> = {
  centimeter: 'cm', centimetre: 'cm', millimeter: 'mm', millimetre: 'mm', kilometer: 'km', kilometre: 'km', meter: 'm', metre: 'm',
  kilogram: 'kg', gram: 'g', milligram: 'mg', second: 's', sec: 's', minute: 'min', hour: 'h', hr: 'h', inch: 'in', foot: 'ft', feet: 'ft',
  yard: 'yd', mile: 'mi', dollar: '$', cent: '¢', liter: 'l', litre: 'l', milliliter: 'ml', millilitre: 'ml', degree: '°', pound: 'lb',
};

/** The canonical unit multiplied onto a top-level value (`15\text{ cm}^2` → `cm^2`), or undefined. */
function unitOf(node: MathNode): string | undefined {
  if (node.kind !== 'mul') return undefined;
  const firstText = node.factors.findIndex(isText);
  if (firstText <= 0 || node.factors.slice(firstText).some((factor) => !isText(factor))) return undefined;
  return node.factors
    .slice(firstText)
    .map((factor) => {
      const power = factor.kind === 'pow' ? `^${show(factor.exponent)}` : '';
      const words = (factor.kind === 'pow' ? factor.base : factor).kind === 'text' ? ((factor.kind === 'pow' ? factor.base : factor) as { value: string }).value : '';
      let squared = '';
      const cleaned = words
        .toLowerCase()
        .replace(/\b(?:square|sq)\b\.?/g, () => {
          squared = '^2';
          return '';
        })
        .replace(/\bcubic\b/g, () => {
          squared = '^3';
          return '';
        })
        .trim()
        .split(/\s+/)
        .map((word) => {
          const singular = word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word.replace(/^(inch|foot)es$/, '$1');
          return UNIT_SYNONYMS[singular] ?? UNIT_SYNONYMS[word] ?? singular;
        })
        .join(' ');
      return `${cleaned}${power || squared}`;
    })
    .join(' ');
}

type Matrix = Extract<MathNode, { kind: 'matrix' }>;

/** Carry out matrix sums, negations and products (`A + B`, `2A`, `AB`) so that they compare cell by cell. */
export function reduceMatrices(node: MathNode): MathNode {
  if (!some(node, (child) => child.kind === 'matrix')) return node;
  return transform(node, (child) => {
    if (child.kind === 'neg' && child.arg.kind === 'matrix') return mapCells(child.arg, (cell) => ({ kind: 'neg', arg: cell }));
    if (child.kind === 'add' && child.terms.every((term) => term.kind === 'matrix')) {
      const [first, ...rest] = child.terms as Matrix[];
      if (!first || rest.some((term) => !sameShape(term, first))) return child;
      return mapCells(first, (cell, row, column) => ({ kind: 'add', terms: [cell, ...rest.map((term) => term.rows[row]?.[column] as MathNode)] }));
    }
    if (child.kind === 'mul' && child.factors.some((factor) => factor.kind === 'matrix')) {
      const scalars = child.factors.filter((factor) => factor.kind !== 'matrix' && isScalar(factor));
      const matrices = child.factors.filter((factor): factor is Matrix => factor.kind === 'matrix');
      if (scalars.length + matrices.length !== child.factors.length) return child;
      let product = matrices[0] as Matrix;
      for (const next of matrices.slice(1)) {
        const inner = (product.rows[0] as MathNode[]).length;
        if (inner !== next.rows.length) return child;
        product = {
          kind: 'matrix',
          rows: product.rows.map((row) =>
            (next.rows[0] as MathNode[]).map((_, column) => ({ kind: 'add', terms: row.map((cell, k) => ({ kind: 'mul', factors: [cell, next.rows[k]?.[column] as MathNode] }) as MathNode) }) as MathNode),
          ),
        };
      }
      return scalars.length === 0 ? product : mapCells(product, (cell) => ({ kind: 'mul', factors: [...scalars, cell] }));
    }
    return child;
  });
}

function sameShape(a: Matrix, b: Matrix): boolean {
  return a.rows.length === b.rows.length && (a.rows[0] as MathNode[]).length === (b.rows[0] as MathNode[]).length;
}

function mapCells(matrix: Matrix, map: (cell: MathNode, row: number, column: number) => MathNode): Matrix {
  return { kind: 'matrix', rows: matrix.rows.map((row, rowIndex) => row.map((cell, column) => map(cell, rowIndex, column))) };
}

function isText(node: MathNode): boolean {
  return node.kind === 'text' || (node.kind === 'pow' && node.base.kind === 'text');
}

/** Drop unit words (`\text{cm}`, `meters`) multiplied onto a value: `5\text{ cm}` is `5`. */
export function stripUnits(node: MathNode): MathNode {
  return transform(node, (child) => {
    if (child.kind !== 'mul') return child;
    // Units follow the value: `5 cm` loses "cm", but `not 4` keeps its word (and is not 4).
    const firstText = child.factors.findIndex(isText);
    if (firstText <= 0 || child.factors.slice(firstText).some((factor) => !isText(factor))) return child;
    const kept = child.factors.slice(0, firstText);
    return kept.length === 1 ? (kept[0] as MathNode) : { kind: 'mul', factors: kept };
  });
}

function isRelation(node: MathNode): node is Extract<MathNode, { kind: 'rel' }> {
  return node.kind === 'rel';
}

function isEquationLike(node: Extract<MathNode, { kind: 'rel' }>): boolean {
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

function isAssignment(node: MathNode): node is Extract<MathNode, { kind: 'rel' }> {
  return node.kind === 'rel' && isEquationLike(node) && symbolsOnly(node.parts[0] as MathNode);
}

function lastPart(node: Extract<MathNode, { kind: 'rel' }>): MathNode {
  return node.parts[node.parts.length - 1] as MathNode;
}

function isScalar(node: MathNode): boolean {
  return !['tuple', 'set', 'interval', 'union', 'matrix', 'rel', 'text', 'pm'].includes(node.kind);
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
  if (isRelation(ref) && isRelation(ans)) return compareRelations(ref, ans, context);
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
    if (refItems) return compareCollections(refItems, ansItems, false, context);
  }
  switch (ref.kind) {
    case 'text':
      return compareText(ref.value, ans);
    case 'pm':
      return compareCollections(expandPlusMinus(ref), collectionItems(ans), false, context);
    case 'set': {
      const items = ans.kind === 'set' || ans.kind === 'pm' || (ans.kind === 'tuple' && ans.bracket === 'none') ? collectionItems(ans) : isScalar(ans) ? [ans] : undefined;
      return items ? compareCollections(ref.items, items, false, context) : false;
    }
    case 'tuple': {
      if (ans.kind === 'tuple') {
        const ordered = !(ref.bracket === 'none' && ans.bracket === 'none');
        return compareCollections(ref.items, ans.items, ordered, context);
      }
      if (ans.kind === 'set' || ans.kind === 'pm') return ref.bracket === 'none' ? compareCollections(ref.items, collectionItems(ans), false, context) : false;
      if (ans.kind === 'interval' && ref.bracket === '(' && ref.items.length === 2 && ans.lowOpen && ans.highOpen) {
        return compareCollections(ref.items, [ans.low, ans.high], true, context);
      }
      if (ans.kind === 'matrix' && isVector(ans)) return compareCollections(ref.items, ans.rows.flat(), true, context);
      return false;
    }
    case 'interval': {
      if (ans.kind === 'interval') {
        if (ref.lowOpen !== ans.lowOpen || ref.highOpen !== ans.highOpen) return false;
        return compareCollections([ref.low, ref.high], [ans.low, ans.high], true, context);
      }
      if (ans.kind === 'tuple' && ans.bracket === '(' && ans.items.length === 2 && ref.lowOpen && ref.highOpen) {
        return compareCollections([ref.low, ref.high], ans.items, true, context);
      }
      if (ans.kind === 'union' && ans.parts.length === 1) return compare(ref, ans.parts[0] as MathNode, context);
      return false;
    }
    case 'union': {
      if (ans.kind !== 'union') return false;
      return compareCollections(ref.parts, ans.parts, false, context);
    }
    case 'matrix': {
      if (ans.kind === 'matrix') {
        if (ans.rows.length !== ref.rows.length || (ans.rows[0] as MathNode[]).length !== (ref.rows[0] as MathNode[]).length) return false;
        return compareCollections(ref.rows.flat(), ans.rows.flat(), true, context);
      }
      if (ans.kind === 'tuple' && isVector(ref)) return compareCollections(ref.rows.flat(), ans.items, true, context);
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

function isVector(node: Extract<MathNode, { kind: 'matrix' }>): boolean {
  return node.rows.length === 1 || node.rows.every((row) => row.length === 1);
}

function collectionItems(node: MathNode): MathNode[] {
  if (node.kind === 'set' || node.kind === 'tuple') return node.items;
  if (node.kind === 'pm') return expandPlusMinus(node);
  return [node];
}

function containsPlusMinus(node: MathNode): boolean {
  return some(node, (child) => child.kind === 'pm');
}

/** Every value a tree with ± stands for (at most 8: three ± signs). */
function expandAll(node: MathNode): MathNode[] {
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

function expandPlusMinus(node: Extract<MathNode, { kind: 'pm' }>): MathNode[] {
  return [
    { kind: 'add', terms: [node.center, node.delta] },
    { kind: 'add', terms: [node.center, { kind: 'neg', arg: node.delta }] },
  ];
}

/** Ordered: item by item. Unordered: a matching between the two lists (multisets). */
function compareCollections(references: MathNode[], answers: MathNode[], ordered: boolean, context: CompareContext): boolean | null {
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
    references = distinct(references, context);
    answers = distinct(answers, context);
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

function distinct(items: MathNode[], context: CompareContext): MathNode[] {
  const kept: MathNode[] = [];
  for (const item of items) {
    if (!kept.some((seen) => show(seen) === show(item) || compare(seen, item, { settings: context.settings }) === true)) kept.push(item);
  }
  return kept;
}

/** Lower-case, spaces and punctuation folded: `\text{Evelyn}` equals `evelyn`. */
export function normalizeText(value: string): string {
  return value
    .toLowerCase()
    .replace(/\\text\{([^}]*)\}/g, '$1')
    .replace(/[\s.,;:!?'"`*_{}()[\]\\]+/g, ' ')
    .trim();
}

function compareText(reference: string, answer: MathNode): boolean {
  const expected = normalizeText(reference);
  if (expected.length === 0) return false;
  if (answer.kind === 'text') return normalizeText(answer.value) === expected;
  // A word typed without \text parses as symbols: `abc` is a·b·c.
  if (answer.kind === 'sym' || (answer.kind === 'const' && answer.name !== 'pi' && answer.name !== 'inf')) return answer.name.toLowerCase() === expected.replace(/ /g, '');
  if (answer.kind === 'mul' && answer.factors.every((factor) => factor.kind === 'sym' || factor.kind === 'text' || (factor.kind === 'const' && factor.name !== 'pi'))) {
    const joined = answer.factors.map((factor) => (factor.kind === 'sym' || factor.kind === 'const' ? factor.name : factor.kind === 'text' ? factor.value : '')).join('');
    return normalizeText(joined).replace(/ /g, '') === expected.replace(/ /g, '');
  }
  return false;
}

// ---- relations -------------------------------------------------------------------------------

const FLIP: Record<string, RelationOperator> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

interface Bound {
  value: MathNode;
  open: boolean;
}

/** `x > 3`, `1 < x <= 2`, `x < 1 or x > 2` as an interval or a union; undefined when not of that shape. */
function relationToSet(node: MathNode): MathNode | undefined {
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

function compareRelations(reference: Extract<MathNode, { kind: 'rel' }>, answer: Extract<MathNode, { kind: 'rel' }>, context: CompareContext): boolean | null {
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
    return compareCollections(ref.parts, ans.parts, true, context);
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
    const current = divide(va, vb);
    if (!ratio) ratio = current;
    else if (!close(ratio, current, 1e-8)) return false;
    valid++;
  }
  if (!ratio) return names.length === 0 ? true : null;
  if (valid < 2 && names.length > 0) return null;
  if (sign === 'positive') return Math.abs(ratio.im) < 1e-9 && ratio.re > 0;
  return true;
}

// ---- scalars ---------------------------------------------------------------------------------

function markUndecided(context: CompareContext): void {
  context.undecided = true;
}

function containsPercent(node: MathNode): boolean {
  return some(node, (child) => child.kind === 'pct');
}

function containsDegrees(node: MathNode): boolean {
  return some(node, (child) => child.kind === 'deg');
}

function containsPi(node: MathNode): boolean {
  return some(node, (child) => child.kind === 'const' && child.name === 'pi');
}

function compareScalars(reference: MathNode, answer: MathNode, context: CompareContext): boolean | null {
  // Identical trees are equal whatever their value (10^{100000} vs 10^{100000}).
  if (show(reference) === show(answer)) return true;
  // Words left in a value (`not 4`) have no numeric meaning.
  if (some(reference, (child) => child.kind === 'text') || some(answer, (child) => child.kind === 'text')) return false;
  const readings: [EvaluationSettings, EvaluationSettings][] = [];
  const refDegrees = containsDegrees(reference);
  const ansDegrees = containsDegrees(answer);
  const refRadians = refDegrees && !ansDegrees && containsPi(answer);
  const ansRadians = ansDegrees && !refDegrees && containsPi(reference);
  const base = (percent: 'divide' | 'ignore', radians: boolean): EvaluationSettings => ({ percent, degreesAsRadians: radians });
  const { percent } = context.settings;
  if (percent === 'strip') readings.push([base('ignore', refRadians), base('ignore', ansRadians)]);
  else readings.push([base('divide', refRadians), base('divide', ansRadians)]);
  if (percent === 'either' && containsPercent(reference) !== containsPercent(answer)) {
    readings.push([base('ignore', refRadians), base('ignore', ansRadians)]);
  }
  let undecided = false;
  for (const [refSettings, ansSettings] of readings) {
    const result = numericEqual(reference, answer, refSettings, ansSettings, context);
    if (result === true) return true;
    if (result === null) undecided = true;
  }
  if (!undecided) return false;
  if (context.symbolic) {
    const verdict = context.symbolic(reference, answer);
    if (verdict !== null) return verdict;
  } else markUndecided(context);
  return null;
}

function finite(value: Complex): boolean {
  return Number.isFinite(value.re) && Number.isFinite(value.im);
}

function magnitude(value: Complex): number {
  return Math.hypot(value.re, value.im);
}

function divide(a: Complex, b: Complex): Complex {
  const denominator = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / denominator, im: (a.im * b.re - a.re * b.im) / denominator };
}

function close(a: Complex, b: Complex, tolerance: number): boolean {
  const scale = Math.max(1e-300, magnitude(a), magnitude(b));
  return Math.hypot(a.re - b.re, a.im - b.im) <= tolerance * scale || Math.hypot(a.re - b.re, a.im - b.im) === 0;
}

/** Deterministic pseudo-random points: a value in Re [0.3, 2.3], Im [-0.5, 0.5] per symbol. */
function randomPoint(names: string[], trial: number): Map<string, Complex> {
  const env = new Map<string, Complex>();
  let state = 0x9e3779b9 ^ (trial * 0x85ebca6b);
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (const name of names) env.set(name, { re: 0.3 + 2 * random(), im: random() - 0.5 });
  return env;
}

/** Is `node` a number literal (maybe negated) written as a decimal? Its shown decimals, else undefined. */
function shownDecimals(node: MathNode): number | undefined {
  if (node.kind === 'neg') return shownDecimals(node.arg);
  if (node.kind === 'pct') return shownDecimals(node.arg);
  if (node.kind === 'num' && node.float && node.approx === undefined) return node.decimals;
  return undefined;
}

function roundsTo(value: number, target: number, decimals: number): boolean {
  const scale = 10 ** decimals;
  return Math.round(value * scale + (value >= 0 ? 1e-9 : -1e-9)) === Math.round(target * scale + (target >= 0 ? 1e-9 : -1e-9));
}

function numericEqual(reference: MathNode, answer: MathNode, refSettings: EvaluationSettings, ansSettings: EvaluationSettings, context: CompareContext): boolean | null {
  const names = [...new Set([...freeSymbols(reference), ...freeSymbols(answer)])].sort();
  if (names.length === 0) {
    const exactRef = evaluateExact(reference, refSettings);
    const exactAns = evaluateExact(answer, ansSettings);
    if (exactRef && exactAns && exactRef.numerator === exactAns.numerator && exactRef.denominator === exactAns.denominator) return true;
    const floatInvolved = hasFloat(reference) || hasFloat(answer);
    if (exactRef && exactAns && !floatInvolved) return false;
    const valueRef = evaluateComplex(reference, new Map(), refSettings);
    const valueAns = evaluateComplex(answer, new Map(), ansSettings);
    if (!valueRef || !valueAns) return null;
    if (!finite(valueRef) || !finite(valueAns)) {
      // A true infinity (\infty) compares by sign.
      const infinite = (node: MathNode): boolean => some(node, (child) => child.kind === 'const' && child.name === 'inf');
      const refInfinite = infinite(reference);
      const ansInfinite = infinite(answer);
      if (!refInfinite && !ansInfinite) {
        // Beyond double range (e^{1000}, \frac{e^{800}}{e^{799}}): compare logarithms of positive
        // values, which is the same relative tolerance; what that cannot read goes to the CAS.
        const logRef = evaluateLog(reference, refSettings);
        const logAns = evaluateLog(answer, ansSettings);
        if (logRef !== null && logAns !== null && Number.isFinite(logRef) && Number.isFinite(logAns)) {
          return Math.abs(logRef - logAns) <= Math.max(1e-12, context.settings.relativeTolerance);
        }
        return null;
      }
      if (Number.isNaN(valueRef.re) || Number.isNaN(valueAns.re) || Number.isNaN(valueRef.im) || Number.isNaN(valueAns.im)) return null;
      if (refInfinite && ansInfinite) return valueRef.re === valueAns.re && valueRef.im === valueAns.im;
      if (refInfinite && finite(valueAns)) return false;
      if (ansInfinite && finite(valueRef)) return false;
      return null;
    }
    return closeNumbers(valueRef, valueAns, reference, answer, floatInvolved, context.settings);
  }
  let agree = 0;
  let disagree = 0;
  for (let trial = 0; trial < 6; trial++) {
    const env = randomPoint(names, trial);
    const valueRef = evaluateComplex(reference, env, refSettings);
    const valueAns = evaluateComplex(answer, env, ansSettings);
    if (!valueRef || !valueAns) return null;
    if (!finite(valueRef) || !finite(valueAns)) continue;
    if (close(valueRef, valueAns, Math.max(1e-8, context.settings.relativeTolerance))) agree++;
    else disagree++;
    if (disagree > 0 && agree === 0) return false;
  }
  if (disagree > 0) return null;
  return agree >= 3 ? true : null;
}

function closeNumbers(reference: Complex, answer: Complex, referenceNode: MathNode, answerNode: MathNode, floatInvolved: boolean, settings: EquivalenceSettings): boolean {
  if (close(reference, answer, settings.relativeTolerance)) return true;
  if (!floatInvolved) return false;
  const digits = Math.max(0, Math.min(15, Math.floor(settings.floatRounding)));
  if (roundsTo(reference.re, answer.re, digits) && roundsTo(reference.im, answer.im, digits)) return true;
  if (settings.referencePrecision && Math.abs(reference.im) < 1e-12 && Math.abs(answer.im) < 1e-12) {
    const referenceDecimals = shownDecimals(referenceNode);
    if (referenceDecimals !== undefined && referenceDecimals < digits) {
      const answerDecimals = shownDecimals(answerNode) ?? (answerNode.kind === 'num' ? 0 : Infinity);
      if (answerDecimals > referenceDecimals && roundsTo(answer.re, reference.re, referenceDecimals)) return true;
    }
  }
  return false;
}
