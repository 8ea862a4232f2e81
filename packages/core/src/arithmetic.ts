/**
 * A verifiable process check shared by the math and finance rewards: find the explicit computations
 * written in a text (`12 × 7 = 84`, `3/4 of 20 is 15`, `\frac{6}{8} = \frac{3}{4}`, `25% of 80 = 20`)
 * and recompute each one exactly.
 * @module
 */

/** Settings of {@link checkArithmetic}. */
export interface ArithmeticCheckOptions {
  /** Relative tolerance for a claimed value, >= 0. Default 1e-9. */
  relativeTolerance?: number;
  /** Accept a claimed decimal that is the true value rounded to the decimals it shows (`10/3 = 3.33`). Default true. */
  allowRounding?: boolean;
  /** Most computations examined, >= 1; the rest are ignored. Default 1,000. */
  maxComputations?: number;
}

/** One computation found in the text. */
export interface ArithmeticComputation {
  /** The computation as written, trimmed (`12 × 7 = 84`). */
  text: string;
  /** Character offset of the computation in the checked text, >= 0. */
  index: number;
  /** The value of the left side (the computation). */
  computed: number;
  /** The value the text claims (the right side). */
  claimed: number;
  /** True when the claim matches the computation (exactly, within tolerance, or as a rounding). */
  correct: boolean;
  /** True when written as an approximation (`≈`, `\approx`). */
  approximate: boolean;
}

/** The outcome of {@link checkArithmetic}. */
export interface ArithmeticReport {
  /** Every computation found, in text order. */
  computations: ArithmeticComputation[];
  /** Number of correct computations, >= 0. */
  correct: number;
  /** Number of computations found, >= 0. */
  total: number;
  /** `correct / total` in [0, 1]; null when no computation was found. */
  share: number | null;
  /** The wrong ones, in text order. */
  wrong: ArithmeticComputation[];
}

type Token =
  | { type: 'num'; value: number; decimals: number; start: number; end: number; glued: boolean }
  | { type: 'op'; value: string; start: number; end: number }
  | { type: 'rel'; value: '=' | '~'; start: number; end: number }
  | { type: 'cmd'; value: string; start: number; end: number }
  | { type: 'brace'; value: '{' | '}'; start: number; end: number }
  | { type: 'stop'; value: string; start: number; end: number };

const WORD_OPERATORS: Record<string, string> = {
  times: '*', 'multiplied by': '*', 'divided by': '/', plus: '+', minus: '-', over: '/',
};
const WORD_RELATIONS = new Set(['is', 'equals', 'gives', 'makes', 'yields', 'is equal to', 'equal to', 'which is']);

/** Split text into arithmetic tokens; anything else becomes a `stop`. Linear in the text length. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(\s*\\?%)?|\\(?:[dtc]?frac|times|cdot|div|sqrt|approx|left|right|le|ge|neq|ne|pm|text|mathrm)(?![a-zA-Z])|\\[,;:! $]|[=≈×÷·*/+\-−–^(){}[\]]|(?:multiplied by|divided by|is equal to|equal to|which is)(?![a-zA-Z])|[a-zA-Z]+|\$|\s+|[\s\S]/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const raw = match[0];
    const start = match.index;
    const end = start + raw.length;
    if (match[1] !== undefined) {
      const digits = match[1].replace(/,/g, '');
      const decimals = digits.includes('.') ? (digits.split('.')[1] as string).length : 0;
      const percent = match[2] !== undefined;
      const previous = text[start - 1] ?? ' ';
      const next = text[end] ?? ' ';
      // A number glued to letters (x2, 7x, A1) is not arithmetic.
      const glued = /[a-zA-Z_]/.test(previous) || (!percent && /[a-zA-Z_]/.test(next) && !/^x\s*\d/.test(text.slice(end)));
      tokens.push({ type: 'num', value: percent ? Number(digits) / 100 : Number(digits), decimals: percent ? decimals + 2 : decimals, start, end, glued });
      continue;
    }
    // A line break between a finished value and the next number ends the computation: "1 + 1 = 2
    // (new line) 2 + 2 = 4" is two computations, not "2 2 + 2". A break next to an operator or
    // "=" (an equation continued on the next line) does not.
    if (/\n/.test(raw) && /^\d/.test(text.slice(end, end + 1))) {
      const last = tokens[tokens.length - 1];
      if (last !== undefined && (last.type === 'num' || (last.type === 'op' && last.value === ')') || (last.type === 'brace' && last.value === '}'))) {
        tokens.push({ type: 'stop', value: '\n', start, end });
        continue;
      }
    }
    if (/^\s+$/.test(raw) || raw === '$' || /^\\[,;:! $]$/.test(raw) || raw === '\\left' || raw === '\\right') continue;
    if (raw === '=') tokens.push({ type: 'rel', value: '=', start, end });
    else if (raw === '≈' || raw === '\\approx') tokens.push({ type: 'rel', value: '~', start, end });
    else if (raw === '×' || raw === '·' || raw === '*' || raw === '\\times' || raw === '\\cdot') tokens.push({ type: 'op', value: '*', start, end });
    else if (raw === '÷' || raw === '/' || raw === '\\div') tokens.push({ type: 'op', value: '/', start, end });
    else if (raw === '+' || raw === '-' || raw === '−' || raw === '–' || raw === '^' || raw === '(' || raw === ')') tokens.push({ type: 'op', value: raw === '−' || raw === '–' ? '-' : raw, start, end });
    else if (raw === '{' || raw === '}') tokens.push({ type: 'brace', value: raw, start, end });
    else if (/^\\[dtc]?frac$/.test(raw)) tokens.push({ type: 'cmd', value: 'frac', start, end });
    else if (raw === '\\sqrt') tokens.push({ type: 'cmd', value: 'sqrt', start, end });
    else if (WORD_OPERATORS[raw.toLowerCase()] !== undefined) tokens.push({ type: 'op', value: WORD_OPERATORS[raw.toLowerCase()] as string, start, end });
    else if (WORD_RELATIONS.has(raw.toLowerCase())) tokens.push({ type: 'rel', value: '=', start, end });
    else if (raw.toLowerCase() === 'of') tokens.push({ type: 'op', value: 'of', start, end });
    else if (raw === 'x' && tokens[tokens.length - 1]?.type === 'num' && /^\s*\d/.test(text.slice(end))) tokens.push({ type: 'op', value: '*', start, end });
    else tokens.push({ type: 'stop', value: raw, start, end });
  }
  return tokens;
}

class ExpressionError extends Error {}

/** Evaluate one arithmetic run; throws ExpressionError when it is not a complete expression. */
function evaluateRun(tokens: Token[]): { value: number; hasOperator: boolean } {
  let position = 0;
  let hasOperator = false;
  let depth = 0;
  const peek = (): Token | undefined => tokens[position];
  const isOp = (value: string): boolean => {
    const token = peek();
    return token !== undefined && (token.type === 'op' || token.type === 'brace') && token.value === value;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) throw new ExpressionError(`expected ${value}`);
    position++;
  };
  const guard = (): void => {
    if (++depth > 60) throw new ExpressionError('too deep');
  };
  const additive = (): number => {
    guard();
    let value = term();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[position++] as Token).value;
      hasOperator = true;
      const right = term();
      value = op === '+' ? value + right : value - right;
    }
    depth--;
    return value;
  };
  const term = (): number => {
    let value = unary();
    for (;;) {
      if (isOp('*') || isOp('/') || isOp('of')) {
        const op = (tokens[position++] as Token).value;
        hasOperator = true;
        const right = unary();
        value = op === '/' ? value / right : value * right;
      } else if (isOp('(') || peek()?.type === 'cmd') {
        hasOperator = true;
        value *= power();
      } else break;
    }
    return value;
  };
  const unary = (): number => {
    if (isOp('-')) {
      position++;
      return -unary();
    }
    return power();
  };
  const power = (): number => {
    const base = primary();
    if (isOp('^')) {
      position++;
      hasOperator = true;
      const exponent = isOp('-') ? (position++, -primary()) : primary();
      if (Math.abs(exponent) > 1_000) throw new ExpressionError('exponent too large');
      return Math.pow(base, exponent);
    }
    return base;
  };
  const group = (): number => {
    if (isOp('{')) {
      position++;
      const value = additive();
      expect('}');
      return value;
    }
    return primary();
  };
  const primary = (): number => {
    guard();
    const token = peek();
    if (!token) throw new ExpressionError('ends early');
    position++;
    let value: number;
    if (token.type === 'num') {
      if (token.glued) throw new ExpressionError('a number glued to letters');
      value = token.value;
    } else if (token.type === 'op' && token.value === '(') {
      value = additive();
      expect(')');
    } else if (token.type === 'brace' && token.value === '{') {
      value = additive();
      expect('}');
    } else if (token.type === 'cmd' && token.value === 'frac') {
      hasOperator = true;
      const numerator = group();
      const denominator = group();
      value = numerator / denominator;
    } else if (token.type === 'cmd' && token.value === 'sqrt') {
      hasOperator = true;
      value = Math.sqrt(group());
    } else throw new ExpressionError(`unexpected ${token.value}`);
    depth--;
    return value;
  };
  const value = additive();
  if (position !== tokens.length) throw new ExpressionError('trailing tokens');
  return { value, hasOperator };
}

function claimMatches(computed: number, claimed: number, decimals: number, approximate: boolean, options: Required<ArithmeticCheckOptions>): boolean {
  if (!Number.isFinite(computed) || !Number.isFinite(claimed)) return false;
  const scale = Math.max(Math.abs(computed), Math.abs(claimed), 1e-300);
  if (Math.abs(computed - claimed) <= options.relativeTolerance * scale || computed === claimed) return true;
  const roundingAllowed = options.allowRounding && (decimals > 0 || approximate);
  if (roundingAllowed) return Math.abs(computed - claimed) <= 0.5 * 10 ** -decimals * (1 + 1e-9) + 1e-12 * scale;
  return false;
}

/**
 * Find and check every explicit computation in a text. A computation is a run of numbers and
 * operators (`+ - × ÷ * / ^`, `\frac`, `\sqrt`, `of` after a fraction or percent, "times",
 * "divided by") followed by `=`, `≈`, "is" or "equals" and a value; chains check each link.
 * Runs touching variables (`2x + 3 = 7`) are not computations and are ignored.
 * @returns the computations found, the correct count and the share correct in [0, 1] (null when none)
 */
export function checkArithmetic(text: string, options: ArithmeticCheckOptions = {}): ArithmeticReport {
  const settings: Required<ArithmeticCheckOptions> = {
    relativeTolerance: options.relativeTolerance ?? 1e-9,
    allowRounding: options.allowRounding ?? true,
    maxComputations: options.maxComputations ?? 1_000,
  };
  // Markdown bold (`= **84**`) is not multiplication.
  const tokens = tokenize(text.replace(/\*\*/g, '  '));
  const computations: ArithmeticComputation[] = [];
  // Segments: maximal arithmetic runs separated by relations; a stop token ends a chain.
  let chain: { run: Token[]; relation: '=' | '~' | undefined }[] = [];
  let run: Token[] = [];
  let brokenLeft = false;
  const flush = (stopToken: Token | undefined): void => {
    chain.push({ run, relation: undefined });
    // A run directly followed by a stop that is a letter (a variable or unit glued on) is unreliable.
    const glued = stopToken !== undefined && stopToken.type === 'stop' && /^[a-zA-Z]$/.test(stopToken.value) && run.length > 0 && (run[run.length - 1] as Token).end === stopToken.start;
    if (glued) chain.pop();
    checkChain(chain, brokenLeft);
    chain = [];
    run = [];
  };
  const checkChain = (links: typeof chain, leftBroken: boolean): void => {
    for (let index = 0; index + 1 < links.length; index++) {
      if (computations.length >= settings.maxComputations) return;
      if (index === 0 && leftBroken) continue;
      const left = links[index] as (typeof chain)[number];
      const right = links[index + 1] as (typeof chain)[number];
      if (left.run.length === 0 || right.run.length === 0) continue;
      let leftValue: { value: number; hasOperator: boolean };
      let rightValue: { value: number; hasOperator: boolean };
      try {
        leftValue = evaluateRun(left.run);
        rightValue = evaluateRun(right.run);
      } catch (error) {
        if (error instanceof ExpressionError) continue;
        throw error;
      }
      if (!leftValue.hasOperator && !rightValue.hasOperator) continue;
      const last = right.run[right.run.length - 1] as Token;
      const decimals = right.run.length === 1 && last.type === 'num' ? last.decimals : 0;
      const approximate = left.relation === '~';
      const start = (left.run[0] as Token).start;
      const end = last.end;
      const correct = claimMatches(leftValue.value, rightValue.value, rightValue.hasOperator ? 0 : decimals, approximate, settings) || (rightValue.hasOperator && claimMatches(leftValue.value, rightValue.value, 0, approximate, settings));
      computations.push({ text: text.slice(start, end).trim(), index: start, computed: leftValue.value, claimed: rightValue.value, correct, approximate });
    }
  };
  let previous: Token | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    const before = previous;
    previous = token;
    if (token.type === 'rel') {
      if (run.length === 0) {
        // `x = 3 + 4 = 7`: a chain starts after a non-arithmetic left side.
        chain = [];
        brokenLeft = false;
        continue;
      }
      chain.push({ run, relation: token.value });
      run = [];
      continue;
    }
    if (token.type === 'stop') {
      flush(token);
      brokenLeft = false;
      continue;
    }
    const afterVariable = before !== undefined && ((before.type === 'stop' && /^[a-zA-Z]$/.test(before.value)) || (before.type === 'num' && before.glued) || (before.type === 'brace' && before.value === '}' && run.length === 0));
    const functionCall = token.type === 'op' && token.value === '(' && before?.type === 'stop' && /^[a-zA-Z]+$/.test(before.value) && before.end === token.start;
    if (run.length === 0 && token.type === 'op' && (['+', '*', '/', '^', ')', 'of'].includes(token.value) || (token.value === '-' && afterVariable) || functionCall)) {
      // A run that starts with an operator continues something that is not arithmetic.
      chain = [];
      brokenLeft = true;
      continue;
    }
    if (token.type === 'num' && token.glued) {
      flush(undefined);
      brokenLeft = true;
      continue;
    }
    run.push(token);
  }
  flush(undefined);
  const wrong = computations.filter((computation) => !computation.correct);
  const correct = computations.length - wrong.length;
  return { computations, correct, total: computations.length, share: computations.length === 0 ? null : correct / computations.length, wrong };
}
