/**
 * Evaluation of answer trees: exact rationals (BigInt) where the value is rational, and complex
 * floating point everywhere else. Both are bounded: huge powers give up instead of allocating.
 * @module
 */
import type { MathNode } from './ast.js';
import { add, c, cos, div, exp, log, mul, pow, sin, sqrt, type Complex } from './complex.js';

export type { Complex } from './complex.js';

/** An exact rational `numerator / denominator`, denominator > 0, in lowest terms. */
export interface Rational {
  numerator: bigint;
  denominator: bigint;
}


/** How `%` is read when evaluating: `/100` (Math-Verify) or ignored. */
export type PercentReading = 'divide' | 'ignore';

/** What an evaluation may assume. */
export interface EvaluationSettings {
  /** How to read `x%`. */
  percent: PercentReading;
  /** `x°` in radians (`x·π/180`) when true, else the plain number `x`. */
  degreesAsRadians: boolean;
}

const MAX_BITS = 20_000;

/** Greatest common divisor of two integers, >= 0 (0 for gcd(0, 0)). @internal */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function rational(numerator: bigint, denominator: bigint): Rational | null {
  if (denominator === 0n) return null;
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const divisor = gcd(numerator, denominator) || 1n;
  const result = { numerator: numerator / divisor, denominator: denominator / divisor };
  if (bitLength(result.numerator) > MAX_BITS || bitLength(result.denominator) > MAX_BITS) return null;
  return result;
}

function bitLength(value: bigint): number {
  return (value < 0n ? -value : value).toString(16).length * 4;
}

/** Exact rational value of a node, or null when it is not rational or not exactly computable. */
export function evaluateExact(node: MathNode, settings: EvaluationSettings): Rational | null {
  switch (node.kind) {
    case 'num':
      return node.approx === undefined ? { numerator: node.numerator, denominator: node.denominator } : null;
    case 'add': {
      let sum: Rational | null = { numerator: 0n, denominator: 1n };
      for (const term of node.terms) {
        const value = evaluateExact(term, settings);
        if (!value || !sum) return null;
        sum = rational(sum.numerator * value.denominator + value.numerator * sum.denominator, sum.denominator * value.denominator);
      }
      return sum;
    }
    case 'mul': {
      let product: Rational | null = { numerator: 1n, denominator: 1n };
      for (const factor of node.factors) {
        const value = evaluateExact(factor, settings);
        if (!value || !product) return null;
        product = rational(product.numerator * value.numerator, product.denominator * value.denominator);
      }
      return product;
    }
    case 'neg': {
      const value = evaluateExact(node.arg, settings);
      return value ? { numerator: -value.numerator, denominator: value.denominator } : null;
    }
    case 'div': {
      const top = evaluateExact(node.numerator, settings);
      const bottom = evaluateExact(node.denominator, settings);
      if (!top || !bottom || bottom.numerator === 0n) return null;
      return rational(top.numerator * bottom.denominator, top.denominator * bottom.numerator);
    }
    case 'pow': {
      const base = evaluateExact(node.base, settings);
      const exponent = evaluateExact(node.exponent, settings);
      if (!base || !exponent || exponent.denominator !== 1n) return null;
      const power = exponent.numerator < 0n ? -exponent.numerator : exponent.numerator;
      if (power > 4096n) return null;
      if (bitLength(base.numerator) * Number(power) > MAX_BITS || bitLength(base.denominator) * Number(power) > MAX_BITS) return null;
      if (exponent.numerator < 0n) {
        if (base.numerator === 0n) return null;
        return rational(base.denominator ** power, base.numerator ** power);
      }
      return rational(base.numerator ** power, base.denominator ** power);
    }
    case 'pct': {
      const value = evaluateExact(node.arg, settings);
      if (!value) return null;
      return settings.percent === 'divide' ? rational(value.numerator, value.denominator * 100n) : value;
    }
    case 'deg':
      return settings.degreesAsRadians ? null : evaluateExact(node.arg, settings);
    case 'fn': {
      if (node.name === 'sqrt' || node.name === 'root') {
        const value = evaluateExact(node.args[0] as MathNode, settings);
        const index = node.name === 'root' ? evaluateExact(node.args[1] as MathNode, settings) : { numerator: 2n, denominator: 1n };
        if (!value || !index || index.denominator !== 1n || index.numerator < 2n || index.numerator > 64n || value.numerator < 0n) return null;
        const top = integerRoot(value.numerator, index.numerator);
        const bottom = integerRoot(value.denominator, index.numerator);
        return top !== null && bottom !== null ? { numerator: top, denominator: bottom } : null;
      }
      if (node.name === 'factorial') {
        const value = evaluateExact(node.args[0] as MathNode, settings);
        if (!value || value.denominator !== 1n || value.numerator < 0n || value.numerator > 500n) return null;
        let result = 1n;
        for (let k = 2n; k <= value.numerator; k++) result *= k;
        return { numerator: result, denominator: 1n };
      }
      if (node.name === 'binom') {
        const n = evaluateExact(node.args[0] as MathNode, settings);
        const k = evaluateExact(node.args[1] as MathNode, settings);
        if (!n || !k || n.denominator !== 1n || k.denominator !== 1n || n.numerator < 0n || n.numerator > 2000n) return null;
        if (k.numerator < 0n || k.numerator > n.numerator) return { numerator: 0n, denominator: 1n };
        let result = 1n;
        for (let index = 0n; index < k.numerator; index++) result = (result * (n.numerator - index)) / (index + 1n);
        return { numerator: result, denominator: 1n };
      }
      if (node.name === 'abs') {
        const value = evaluateExact(node.args[0] as MathNode, settings);
        return value ? { numerator: value.numerator < 0n ? -value.numerator : value.numerator, denominator: value.denominator } : null;
      }
      return null;
    }
    default:
      return null;
  }
}

function integerRoot(value: bigint, index: bigint): bigint | null {
  if (value === 0n || value === 1n) return value;
  const approx = Math.round(Math.pow(Number(value), 1 / Number(index)));
  if (!Number.isFinite(approx)) return null;
  for (const candidate of [approx - 1, approx, approx + 1]) {
    if (candidate < 0) continue;
    const big = BigInt(candidate);
    if (big ** index === value) return big;
  }
  return null;
}

/** The float value of a rational. */
export function rationalToNumber(value: Rational): number {
  const direct = Number(value.numerator) / Number(value.denominator);
  if (Number.isFinite(direct) && direct !== 0) return direct;
  if (value.numerator === 0n) return 0;
  // Both parts huge: scale down first.
  const shift = BigInt(Math.max(0, Math.max(bitLength(value.numerator), bitLength(value.denominator)) - 1000));
  return Number(value.numerator >> shift) / Number(value.denominator >> shift);
}

function real(value: Complex | null): number | null {
  return value && Math.abs(value.im) < 1e-12 ? value.re : null;
}

/**
 * Complex floating-point value of a node with symbols bound by `env`, or null where it is
 * undefined here (an unbound symbol, a set, a function this evaluator does not know).
 */
export function evaluateComplex(node: MathNode, env: ReadonlyMap<string, Complex>, settings: EvaluationSettings): Complex | null {
  const recur = (child: MathNode): Complex | null => evaluateComplex(child, env, settings);
  switch (node.kind) {
    case 'num':
      return c(node.approx ?? rationalToNumber({ numerator: node.numerator, denominator: node.denominator }));
    case 'sym':
      return env.get(node.name) ?? null;
    case 'const':
      return node.name === 'pi' ? c(Math.PI) : node.name === 'e' ? c(Math.E) : node.name === 'i' ? c(0, 1) : c(Infinity);
    case 'add': {
      let sum = c(0);
      for (const term of node.terms) {
        const value = recur(term);
        if (!value) return null;
        sum = add(sum, value);
      }
      return sum;
    }
    case 'mul': {
      let product = c(1);
      for (const factor of node.factors) {
        const value = recur(factor);
        if (!value) return null;
        product = mul(product, value);
      }
      return product;
    }
    case 'neg': {
      const value = recur(node.arg);
      return value ? c(-value.re, -value.im) : null;
    }
    case 'div': {
      const top = recur(node.numerator);
      const bottom = recur(node.denominator);
      return top && bottom ? div(top, bottom) : null;
    }
    case 'pow': {
      const base = recur(node.base);
      const exponent = recur(node.exponent);
      return base && exponent ? pow(base, exponent) : null;
    }
    case 'pct': {
      const value = recur(node.arg);
      return value && settings.percent === 'divide' ? div(value, c(100)) : value;
    }
    case 'deg': {
      const value = recur(node.arg);
      return value && settings.degreesAsRadians ? mul(value, c(Math.PI / 180)) : value;
    }
    case 'fn':
      // Trigonometric functions read a degree argument (sin 60°) in radians.
      if (TRIGONOMETRIC.has(node.name)) {
        return evaluateFunction(node.name, node.args.map((arg) => (arg.kind === 'deg' ? evaluateComplex(arg, env, { ...settings, degreesAsRadians: true }) : recur(arg))));
      }
      return evaluateFunction(node.name, node.args.map(recur));
    default:
      return null;
  }
}

const TRIGONOMETRIC = new Set(['sin', 'cos', 'tan', 'sec', 'csc', 'cot']);

function evaluateFunction(name: string, args: (Complex | null)[]): Complex | null {
  if (args.some((arg) => arg === null)) return null;
  const [first, second] = args as Complex[];
  if (!first) return null;
  switch (name) {
    case 'sqrt':
      return sqrt(first);
    case 'root': {
      const index = real(second ?? null);
      if (index === null) return null;
      // Odd roots of negative reals are real.
      if (first.im === 0 && first.re < 0 && Number.isInteger(index) && index % 2 === 1) return c(-Math.pow(-first.re, 1 / index));
      return pow(first, c(1 / index));
    }
    case 'sin':
      return sin(first);
    case 'cos':
      return cos(first);
    case 'tan':
      return div(sin(first), cos(first));
    case 'sec':
      return div(c(1), cos(first));
    case 'csc':
      return div(c(1), sin(first));
    case 'cot':
      return div(cos(first), sin(first));
    case 'sinh':
      return div(add(exp(first), mul(c(-1), exp(mul(c(-1), first)))), c(2));
    case 'cosh':
      return div(add(exp(first), exp(mul(c(-1), first))), c(2));
    case 'tanh': {
      const plus = exp(first);
      const minus = exp(mul(c(-1), first));
      return div(add(plus, mul(c(-1), minus)), add(plus, minus));
    }
    case 'arcsin':
    case 'arccos':
    case 'arctan': {
      const value = real(first);
      if (value === null) return null;
      if (name !== 'arctan' && Math.abs(value) > 1) return null;
      return c(name === 'arcsin' ? Math.asin(value) : name === 'arccos' ? Math.acos(value) : Math.atan(value));
    }
    case 'ln':
      return log(first);
    case 'log':
      return div(log(first), c(Math.LN10));
    case 'logb':
      return second ? div(log(first), log(second)) : null;
    case 'exp':
      return exp(first);
    case 'abs':
      return c(Math.hypot(first.re, first.im));
    case 'factorial': {
      const value = real(first);
      if (value === null || value < 0 || !Number.isInteger(value) || value > 170) return null;
      let result = 1;
      for (let k = 2; k <= value; k++) result *= k;
      return c(result);
    }
    case 'binom': {
      const n = real(first);
      const k = real(second ?? null);
      if (n === null || k === null || !Number.isInteger(k)) return null;
      if (k < 0) return c(0);
      let result = 1;
      for (let index = 0; index < k; index++) result = (result * (n - index)) / (index + 1);
      return c(result);
    }
    case 'floor':
    case 'ceil': {
      const value = real(first);
      return value === null ? null : c(name === 'floor' ? Math.floor(value) : Math.ceil(value));
    }
    case 'max':
    case 'min': {
      const values = (args as Complex[]).map((arg) => real(arg));
      if (values.some((value) => value === null)) return null;
      return c(name === 'max' ? Math.max(...(values as number[])) : Math.min(...(values as number[])));
    }
    case 'gcd':
    case 'lcm': {
      const values = (args as Complex[]).map((arg) => real(arg));
      if (values.some((value) => value === null || !Number.isInteger(value))) return null;
      let result = Math.abs(values[0] as number);
      for (const value of values.slice(1) as number[]) {
        let a = result;
        let b = Math.abs(value);
        while (b) [a, b] = [b, a % b];
        result = name === 'gcd' ? a : (result * Math.abs(value)) / (a || 1);
      }
      return c(result);
    }
    default:
      return null;
  }
}

/**
 * Natural logarithm of a positive real constant expression, for values beyond double range
 * (`e^{1000}`, `10^{400} \cdot 3`): products, quotients, powers and sums of positive terms.
 * Null when the value may be non-positive or the tree has anything else (differences, symbols).
 */
export function evaluateLog(node: MathNode, settings: EvaluationSettings): number | null {
  switch (node.kind) {
    case 'num': {
      const value = node.approx ?? rationalToNumber({ numerator: node.numerator, denominator: node.denominator });
      if (node.approx === undefined && node.numerator > 0n) {
        // Exact: log of numerator minus log of denominator keeps huge literals finite.
        return bigLog(node.numerator) - bigLog(node.denominator);
      }
      return value > 0 && Number.isFinite(value) ? Math.log(value) : null;
    }
    case 'const':
      return node.name === 'e' ? 1 : node.name === 'pi' ? Math.log(Math.PI) : null;
    case 'mul': {
      let sum = 0;
      for (const factor of node.factors) {
        const value = evaluateLog(factor, settings);
        if (value === null) return null;
        sum += value;
      }
      return sum;
    }
    case 'div': {
      const top = evaluateLog(node.numerator, settings);
      const bottom = evaluateLog(node.denominator, settings);
      return top === null || bottom === null ? null : top - bottom;
    }
    case 'pow': {
      const base = evaluateLog(node.base, settings);
      const exponent = evaluateComplex(node.exponent, new Map(), settings);
      if (base === null || !exponent || exponent.im !== 0 || !Number.isFinite(exponent.re)) return null;
      return base * exponent.re;
    }
    case 'add': {
      const logs: number[] = [];
      for (const term of node.terms) {
        const value = evaluateLog(term, settings);
        if (value === null) return null;
        logs.push(value);
      }
      const largest = Math.max(...logs);
      return largest + Math.log(logs.reduce((sum, value) => sum + Math.exp(value - largest), 0));
    }
    case 'fn':
      if (node.name === 'sqrt') {
        const value = evaluateLog(node.args[0] as MathNode, settings);
        return value === null ? null : value / 2;
      }
      if (node.name === 'exp') {
        const value = evaluateComplex(node.args[0] as MathNode, new Map(), settings);
        return value && value.im === 0 && Number.isFinite(value.re) ? value.re : null;
      }
      return null;
    default:
      return null;
  }
}

function bigLog(value: bigint): number {
  const digits = value.toString();
  if (digits.length <= 15) return Math.log(Number(value));
  return Math.log(Number(`0.${digits.slice(0, 17)}`)) + digits.length * Math.LN10;
}
