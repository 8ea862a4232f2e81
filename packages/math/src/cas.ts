/**
 * The CAS second opinion: @cortex-js/compute-engine, loaded lazily (about 200 ms the first time) and
 * asked only about pairs the fast path could not decide.
 * @module
 */
import { loadOptionalModule } from '@mixreward/core/worker';
import { some, type MathNode } from './ast.js';
import { evaluateComplex } from './evaluate.js';
import type { SymbolicCheck } from './equivalence.js';

/** A MathJSON expression, as compute-engine reads it. */
export type MathJson = number | string | MathJson[] | { num: string };

/** The part of a compute-engine boxed expression this package uses. */
export interface BoxedExpression {
  /** A simplified copy. */
  simplify(): BoxedExpression;
  /** A numeric approximation. */
  N(): BoxedExpression;
  /** Whether it is structurally the number `value` (undefined when unknown). */
  is(value: number): boolean | undefined;
  /** Real part of a numeric value. */
  readonly re: number;
  /** Imaginary part of a numeric value. */
  readonly im: number;
  /** True for a number literal. */
  readonly isNumberLiteral: boolean;
  /** The sign when known (`positive`, `negative`, `zero`, …). */
  readonly sgn?: string;
}

/** The part of a compute-engine `ComputeEngine` this package uses. */
export interface ComputeEngineLike {
  /** Box a MathJSON expression. */
  box(expression: MathJson): BoxedExpression;
}

let engine: Promise<ComputeEngineLike> | undefined;

/** Load compute-engine once per process (or worker); DEPENDENCY_UNAVAILABLE names the fix when it is missing. */
export function loadComputeEngine(): Promise<ComputeEngineLike> {
  engine ??= loadOptionalModule<{ ComputeEngine: new () => ComputeEngineLike }>('@cortex-js/compute-engine', {
    feature: 'math.verify pairs its fast path cannot decide',
    install: 'install @cortex-js/compute-engine (a dependency of @mixreward/math) or set the option cas: false',
    importer: () => import('@cortex-js/compute-engine'),
  }).then(
    (module) => new module.ComputeEngine(),
    (error: unknown) => {
      engine = undefined;
      throw error;
    },
  );
  return engine;
}

const FUNCTION_NAMES: Record<string, string> = {
  sin: 'Sin', cos: 'Cos', tan: 'Tan', sec: 'Sec', csc: 'Csc', cot: 'Cot', arcsin: 'Arcsin', arccos: 'Arccos', arctan: 'Arctan',
  sinh: 'Sinh', cosh: 'Cosh', tanh: 'Tanh', ln: 'Ln', exp: 'Exp', abs: 'Abs', sqrt: 'Sqrt', factorial: 'Factorial',
  floor: 'Floor', ceil: 'Ceil', binom: 'Binomial', max: 'Max', min: 'Min', gcd: 'GCD', lcm: 'LCM',
};

/** Convert a scalar tree to MathJSON; undefined for what has no scalar meaning. */
export function toMathJson(node: MathNode): MathJson | undefined {
  const list = (nodes: MathNode[]): MathJson[] | undefined => {
    const out: MathJson[] = [];
    for (const child of nodes) {
      const converted = toMathJson(child);
      if (converted === undefined) return undefined;
      out.push(converted);
    }
    return out;
  };
  switch (node.kind) {
    case 'num':
      if (node.approx !== undefined) return node.approx;
      return node.denominator === 1n ? { num: String(node.numerator) } : ['Rational', { num: String(node.numerator) }, { num: String(node.denominator) }];
    case 'sym':
      return /^[a-zA-Z]+$/.test(node.name) ? node.name : undefined;
    case 'const':
      return { pi: 'Pi', e: 'ExponentialE', i: 'ImaginaryUnit', inf: 'PositiveInfinity' }[node.name];
    case 'add': {
      const terms = list(node.terms);
      return terms ? ['Add', ...terms] : undefined;
    }
    case 'mul': {
      const factors = list(node.factors);
      return factors ? ['Multiply', ...factors] : undefined;
    }
    case 'neg': {
      const arg = toMathJson(node.arg);
      return arg === undefined ? undefined : ['Negate', arg];
    }
    case 'div': {
      const parts = list([node.numerator, node.denominator]);
      return parts ? ['Divide', ...parts] : undefined;
    }
    case 'pow': {
      const parts = list([node.base, node.exponent]);
      return parts ? ['Power', ...parts] : undefined;
    }
    case 'pct': {
      const arg = toMathJson(node.arg);
      return arg === undefined ? undefined : ['Divide', arg, 100];
    }
    case 'deg':
      return toMathJson(node.arg);
    case 'fn': {
      const args = list(node.args);
      if (!args) return undefined;
      if (node.name === 'root') return ['Root', ...args];
      if (node.name === 'log') return ['Log', args[0] as MathJson, 10];
      if (node.name === 'logb') return ['Log', ...args];
      const name = FUNCTION_NAMES[node.name];
      return name ? [name, ...args] : undefined;
    }
    default:
      return undefined;
  }
}

/** Keep work the CAS could blow up on (10^{10^{10}}, 5000-digit literals) away from it. */
function casSafe(node: MathNode): boolean {
  return !some(node, (child) => {
    if (child.kind === 'num') return child.approx !== undefined || String(child.numerator).length > 200 || String(child.denominator).length > 200;
    if (child.kind === 'pow') {
      const exponent = evaluateComplex(child.exponent, new Map(), { percent: 'divide', degreesAsRadians: false });
      return exponent !== null && Math.hypot(exponent.re, exponent.im) > 1_000;
    }
    if (child.kind === 'fn' && (child.name === 'factorial' || child.name === 'binom')) {
      const argument = evaluateComplex(child.args[0] as MathNode, new Map(), { percent: 'divide', degreesAsRadians: false });
      return argument !== null && Math.abs(argument.re) > 1_000;
    }
    return false;
  });
}

/**
 * Make a {@link SymbolicCheck} from a loaded engine: simplifies `reference - answer`; zero means
 * equal, a nonzero number means different, anything else is undecided.
 */
export function computeEngineCheck(loaded: ComputeEngineLike): SymbolicCheck {
  return (reference, answer) => {
    if (!casSafe(reference) || !casSafe(answer)) return null;
    const a = toMathJson(reference);
    const b = toMathJson(answer);
    if (a === undefined || b === undefined) return null;
    try {
      const difference = loaded.box(['Subtract', a, b]).simplify();
      if (difference.is(0) === true) return true;
      const numeric = difference.N();
      if (numeric.isNumberLiteral && Number.isFinite(numeric.re)) {
        return Math.hypot(numeric.re, Number.isFinite(numeric.im) ? numeric.im : 0) < 1e-10;
      }
      // Beyond doubles: a number literal with a definite sign is not zero.
      if (numeric.isNumberLiteral && (numeric.sgn === 'positive' || numeric.sgn === 'negative')) return false;
      return null;
    } catch {
      return null;
    }
  };
}
