/**
 * Numeric comparison of scalar answers: exact rationals, floats with a tolerance and the reference's
 * shown precision, values beyond double range by their logarithms, and expressions with variables
 * by evaluation at seeded random complex points.
 * @module
 */
import { freeSymbols, hasFloat, show, some, type MathNode } from './ast.js';
import { close, finite, type Complex } from './complex.js';
import type { CompareContext, EquivalenceSettings } from './equivalence.js';
import { evaluateComplex, evaluateExact, evaluateLog, type EvaluationSettings } from './evaluate.js';

/** Note that a sub-comparison needs the CAS. @internal */
export function markUndecided(context: CompareContext): void {
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

/**
 * Compare two scalar answers under the percent and degree readings the settings allow.
 * @returns true, false, or null when only the CAS can decide
 * @internal
 */
export function compareScalars(reference: MathNode, answer: MathNode, context: CompareContext): boolean | null {
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

/** @internal Deterministic pseudo-random points: a value in Re [0.3, 2.3], Im [-0.5, 0.5] per symbol. */
export function randomPoint(names: string[], trial: number): Map<string, Complex> {
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
