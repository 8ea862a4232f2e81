/**
 * A small, fast parser for final answers written in LaTeX or plain text: numbers, fractions,
 * radicals, functions, percent and degree marks, sets, tuples, intervals, unions, relations,
 * matrices and text. Bounded: input length and nesting depth are capped, so parsing is linear
 * in practice and never recurses without limit.
 * @module
 */
import type { MathNode, NumberNode, RelationOperator } from './ast.js';
import { gcd } from './evaluate.js';

/** Thrown when an answer cannot be parsed; the message says where. */
export class AnswerParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnswerParseError';
  }
}

/** Longest answer string the parser accepts, in characters. */
export const MAX_ANSWER_LENGTH = 4_000;
/** Deepest nesting the parser accepts. */
const MAX_DEPTH = 120;
/** Largest decimal exponent kept exact in a number literal (`1e400`); larger ones become floats. */
const MAX_EXACT_EXPONENT = 400;

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'lambda', 'mu', 'nu', 'xi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Sigma', 'Phi', 'Psi', 'Omega',
]);

const FUNCTIONS = new Set([
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh',
  'ln', 'log', 'exp', 'det', 'gcd', 'lcm', 'max', 'min', 'sqrt', 'abs',
]);

const RELATIONS: Record<string, RelationOperator> = {
  '=': '=', '<': '<', '>': '>', '<=': '<=', '>=': '>=', '!=': '!=',
  le: '<=', leq: '<=', leqslant: '<=', ge: '>=', geq: '>=', geqslant: '>=', lt: '<', gt: '>',
  ne: '!=', neq: '!=', in: 'in', approx: '~', equiv: '=', coloneqq: '=',
};

const MATRIX_ENVIRONMENTS = new Set(['pmatrix', 'bmatrix', 'Bmatrix', 'matrix', 'smallmatrix', 'array', 'vmatrix']);

/**
 * Clean an answer string before parsing: unicode symbols to LaTeX, sizing and spacing commands
 * removed, `\dfrac` to `\frac`, degree and percent marks unified, thousands separators removed.
 */
export function normalizeAnswerText(input: string): string {
  let text = input
    // Doubly escaped commands in datasets (`\\\\frac`, `\\\\left(`): one backslash.
    .replace(/\\\\(?=(?:frac|dfrac|tfrac|left|right|sqrt|pi|cdot|times|text|infty|boxed|begin|end|pm|le|ge|neq|mathbf|mathrm|circ)(?![a-zA-Z]))/g, '\\')
    .replace(/[\u2212\u2013\u2014]/g, '-')
    .replace(/×/g, '\\times ')
    .replace(/[·⋅]/g, '\\cdot ')
    .replace(/÷/g, '\\div ')
    .replace(/π/g, '\\pi ')
    .replace(/∞/g, '\\infty ')
    .replace(/√/g, '\\sqrt')
    .replace(/≤/g, '\\le ')
    .replace(/≥/g, '\\ge ')
    .replace(/≠/g, '\\ne ')
    .replace(/±/g, '\\pm ')
    .replace(/∪/g, '\\cup ')
    .replace(/∈/g, '\\in ')
    .replace(/²/g, '^2')
    .replace(/³/g, '^3')
    .replace(/\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg)(?:\.|(?![a-zA-Z]))/g, '')
    .replace(/\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits|hfill|middle)(?![a-zA-Z])/g, ' ')
    .replace(/\\q?quad/g, ' ')
    .replace(/(?<!\\)\\[,!]/g, '')
    .replace(/(?<!\\)\\[;: ]/g, ' ')
    .replace(/~/g, ' ')
    .replace(/\\[dtc]frac(?![a-zA-Z])/g, '\\frac')
    .replace(/\\[dt]binom(?![a-zA-Z])/g, '\\binom')
    .replace(/\\(?:mathbf|boldsymbol|mathit|mathsf|bm|vec|overline|overrightarrow|hat|bar|widehat|mathcal)(?![a-zA-Z])/g, '')
    .replace(/\\(?:textbf|textit|textrm|texttt|textsf|mathrm|mbox|operatorname|textnormal|mathtt|hbox|emph)(?![a-zA-Z])/g, '\\text')
    .replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|\\circ(?![a-zA-Z])|\\degree(?![a-zA-Z])|°|\^\s*\{\s*o\s*\}/g, '°')
    .replace(/\\%|％/g, '%')
    .replace(/\s*(?:\\text\{\s*)?\b(?:percent(?:age)?|pct)\b\.?(?:\s*\})?/gi, '%')
    .replace(/\\\$|\$/g, ' ')
    .replace(/(\d)\{,\}(?=\d{3})/g, '$1')
    .replace(/\\varnothing|\\emptyset|∅/g, '\\emptyset ')
    .replace(/\\(?:lvert|rvert|vert)(?![a-zA-Z])/g, '|')
    .replace(/\\(?:lVert|rVert|Vert)(?![a-zA-Z])|\\\|/g, '|')
    .replace(/\\dots|\\ldots|\\cdots/g, '...');
  // `3 1/2` (a mixed number written in plain text) is 3 + 1/2; `1.2 million` is 1.2 × 10^6.
  text = text.replace(/(^|[^\d./^_])(\d+)\s+([1-9]\d?)\/([1-9]\d?)(?![\d.])/g, (whole, before: string, integer: string, numerator: string, denominator: string) =>
    Number(numerator) < Number(denominator) ? `${before}(${integer}+${numerator}/${denominator})` : whole,
  );
  text = text.replace(/(\d)\s*(thousand|million|billion|trillion)\b/gi, (_, digit: string, scale: string) => `${digit}\\times 10^{${SCALES[scale.toLowerCase()]}}`);
  text = removeThousandsSeparators(text);
  return text.trim();
}

const SCALES: Record<string, number> = { thousand: 3, million: 6, billion: 9, trillion: 12 };

/** `7,425,000` and `1 000 000` at bracket depth 0 become `7425000`, `1000000`; lists in brackets keep their commas. */
function removeThousandsSeparators(text: string): string {
  if (!/\d[, ]\d{3}/.test(text)) return text;
  let depth = 0;
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') depth = Math.max(0, depth - 1);
    if ((char === ',' || char === ' ') && depth === 0 && /\d/.test(text[index - 1] ?? '')) {
      // A group separator: 1-3 leading digits (no leading zero run) and exactly three digits after.
      const before = /(?:^|[^\d.])([1-9]\d{0,2}(?:[, ]\d{3})*)$/.exec(text.slice(0, index));
      const after = /^\d{3}(?![\d])/.exec(text.slice(index + 1));
      const sameSeparator = before ? !before[1]?.includes(char === ',' ? ' ' : ',') : false;
      if (before && after && sameSeparator) continue;
    }
    out += char;
  }
  return out;
}

type Token =
  | { type: 'num'; text: string }
  | { type: 'id'; text: string }
  | { type: 'word'; text: string }
  | { type: 'cmd'; text: string }
  | { type: 'text'; text: string }
  | { type: 'op'; text: string }
  | { type: 'end'; text: '' };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index] as string;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(input[index + 1] ?? ''))) {
      const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+(?![a-zA-Z]))?/.exec(input.slice(index)) as RegExpExecArray;
      let text = match[0];
      // `2.` followed by nothing numeric is "2" and a full stop.
      if (text.endsWith('.')) text = text.slice(0, -1);
      tokens.push({ type: 'num', text });
      index += text.length;
      continue;
    }
    if (char === '\\') {
      const match = /^\\([a-zA-Z]+|.)/.exec(input.slice(index));
      if (!match) throw new AnswerParseError('a lone backslash');
      const name = match[1] as string;
      index += match[0].length;
      if (name === 'text') {
        const group = readBraceGroup(input, index);
        if (!group) throw new AnswerParseError('\\text without braces');
        index = group.end;
        tokens.push({ type: 'text', text: group.content });
        continue;
      }
      if (name === '{' || name === '}') tokens.push({ type: 'op', text: `\\${name}` });
      else if (name === '\\') tokens.push({ type: 'op', text: '\\\\' });
      else if (name === '#' || name === '&' || name === '_') tokens.push({ type: 'op', text: name });
      else tokens.push({ type: 'cmd', text: name });
      continue;
    }
    if (/[a-zA-Z]/.test(char)) {
      const match = /^[a-zA-Z]+/.exec(input.slice(index)) as RegExpExecArray;
      const run = match[0];
      index += run.length;
      if (FUNCTIONS.has(run) || ['pi', 'infty', 'inf', 'infinity'].includes(run)) tokens.push({ type: 'cmd', text: run === 'inf' || run === 'infinity' ? 'infty' : run });
      else if (['and', 'or'].includes(run.toLowerCase())) tokens.push({ type: 'op', text: ',' });
      else if (run.length >= 3) tokens.push({ type: 'word', text: run });
      else for (const letter of run) tokens.push({ type: 'id', text: letter });
      continue;
    }
    const two = input.slice(index, index + 2);
    if (two === '<=' || two === '>=' || two === '!=' || two === '**' || two === '=>') {
      tokens.push({ type: 'op', text: two === '**' ? '^' : two === '=>' ? '>=' : two });
      index += 2;
      continue;
    }
    if ('+-*/^_()[]{},;=<>!|%°\'&:'.includes(char)) {
      tokens.push({ type: 'op', text: char });
      index++;
      continue;
    }
    if (char === '.' || char === '?') {
      index++;
      continue;
    }
    throw new AnswerParseError(`unexpected character "${char}"`);
  }
  tokens.push({ type: 'end', text: '' });
  return tokens;
}

function readBraceGroup(input: string, start: number): { content: string; end: number } | undefined {
  let index = start;
  while (input[index] === ' ') index++;
  if (input[index] !== '{') return undefined;
  let depth = 0;
  for (let cursor = index; cursor < input.length; cursor++) {
    const char = input[cursor];
    if (char === '\\') {
      cursor++;
      continue;
    }
    if (char === '{') depth++;
    else if (char === '}') {
      depth--;
      if (depth === 0) return { content: input.slice(index + 1, cursor), end: cursor + 1 };
    }
  }
  return undefined;
}

/** Build an exact number node from a literal such as `12`, `0.25`, `.5`, `1.5e-3`. */
export function numberFromLiteral(text: string): NumberNode {
  const match = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new AnswerParseError(`bad number "${text}"`);
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const exponent = match[3] === undefined ? 0 : Number(match[3]);
  const float = text.includes('.') || match[3] !== undefined;
  const decimals = fraction.length;
  if (Math.abs(exponent) > MAX_EXACT_EXPONENT || whole.length + fraction.length > 2_000) {
    return { kind: 'num', numerator: 0n, denominator: 1n, float: true, decimals, approx: Number(text) };
  }
  let numerator = BigInt((whole || '0') + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  if (exponent > 0) numerator *= 10n ** BigInt(exponent);
  else if (exponent < 0) denominator *= 10n ** BigInt(-exponent);
  const divisor = gcd(numerator, denominator) || 1n;
  numerator /= divisor;
  denominator /= divisor;
  return { kind: 'num', numerator, denominator, float, decimals: Math.max(0, decimals - exponent) };
}

const integer = (value: number): NumberNode => ({ kind: 'num', numerator: BigInt(value), denominator: 1n, float: false, decimals: 0 });

class Parser {
  private position = 0;
  private depth = 0;
  /** Set when the last primary parsed was a `\frac` (for mixed numbers). */
  private lastWasFrac = false;

  constructor(private readonly tokens: Token[]) {}

  parse(): MathNode {
    const node = this.parseList(() => this.peek().type === 'end');
    if (this.peek().type !== 'end') throw new AnswerParseError(`unexpected "${this.peek().text}"`);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.position++;
    return token;
  }

  private isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'op' && token.text === text;
  }

  private isCmd(text: string): boolean {
    const token = this.peek();
    return token.type === 'cmd' && token.text === text;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) throw new AnswerParseError(`expected "${text}" but found "${this.peek().text || 'the end'}"`);
    this.position++;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new AnswerParseError('nesting is too deep');
  }

  private leave(): void {
    this.depth--;
  }

  /** A comma/semicolon/"and"/"or" separated list; one item is returned as itself. */
  private parseList(atEnd: () => boolean): MathNode {
    const items: MathNode[] = [this.parseRelation()];
    // `p=5, q=2; p=7, q=2`: semicolons separate groups when commas are used inside them.
    const groupStarts = [0];
    while (this.isOp(',') || this.isOp(';') || this.isSeparatorText()) {
      if (this.isOp(';')) groupStarts.push(items.length);
      this.next();
      while (this.isOp(',') || this.isSeparatorText()) this.next();
      if (atEnd()) break;
      items.push(this.parseRelation());
    }
    if (items.length === 1) return items[0] as MathNode;
    if (groupStarts.length > 1 && groupStarts.length < items.length) {
      const groups = groupStarts.map((start, index) => items.slice(start, groupStarts[index + 1] ?? items.length));
      if (groups.every((group) => group.length > 0)) {
        return { kind: 'tuple', items: groups.map((group) => (group.length === 1 ? (group[0] as MathNode) : { kind: 'tuple', items: group, bracket: 'none' })), bracket: 'none' };
      }
    }
    return { kind: 'tuple', items, bracket: 'none' };
  }

  private isSeparatorText(): boolean {
    const token = this.peek();
    return token.type === 'text' && /^\s*(?:,?\s*(?:and|or)|,)\s*$/i.test(token.text);
  }

  private parseRelation(): MathNode {
    const parts = [this.parseUnion()];
    const ops: RelationOperator[] = [];
    for (;;) {
      const token = this.peek();
      let op: RelationOperator | undefined;
      if (token.type === 'op' && RELATIONS[token.text] !== undefined) op = RELATIONS[token.text];
      else if (token.type === 'cmd' && RELATIONS[token.text] !== undefined) op = RELATIONS[token.text];
      if (op === undefined) break;
      this.next();
      // `<` `=` written apart.
      if ((op === '<' || op === '>') && this.isOp('=')) {
        this.next();
        op = op === '<' ? '<=' : '>=';
      }
      ops.push(op);
      parts.push(this.parseUnion());
    }
    if (ops.length === 0) return parts[0] as MathNode;
    // `x = 1/3 \approx 0.33`: the value before the first approximation is the answer.
    const approximate = ops.indexOf('~');
    if (approximate > 0) return { kind: 'rel', ops: ops.slice(0, approximate), parts: parts.slice(0, approximate + 1) };
    return { kind: 'rel', ops, parts };
  }

  private parseUnion(): MathNode {
    const parts = [this.parseAdditive()];
    while (this.isCmd('cup') || (this.peek().type === 'id' && this.peek().text === 'U' && this.startsOperand(1))) {
      this.next();
      parts.push(this.parseAdditive());
    }
    return parts.length === 1 ? (parts[0] as MathNode) : { kind: 'union', parts };
  }

  private parseAdditive(): MathNode {
    let left = this.parseTerm();
    const terms: MathNode[] = [left];
    for (;;) {
      if (this.isOp('+')) {
        this.next();
        terms.push(this.parseTerm());
      } else if (this.isOp('-')) {
        this.next();
        terms.push({ kind: 'neg', arg: this.parseTerm() });
      } else if (this.isCmd('pm') || this.isCmd('mp')) {
        this.next();
        const delta = this.parseTerm();
        left = terms.length === 1 ? (terms[0] as MathNode) : { kind: 'add', terms: terms.splice(0) };
        terms.length = 0;
        terms.push({ kind: 'pm', center: left, delta });
      } else break;
    }
    return terms.length === 1 ? (terms[0] as MathNode) : { kind: 'add', terms };
  }

  private parseTerm(): MathNode {
    if (this.isCmd('pm') || this.isCmd('mp')) {
      this.next();
      return { kind: 'pm', center: integer(0), delta: this.parseTerm() };
    }
    const factors: MathNode[] = [this.parseUnary()];
    for (;;) {
      if (this.isOp('*') || this.isCmd('cdot') || this.isCmd('times') || this.isCmd('ast')) {
        this.next();
        factors.push(this.parseUnary());
      } else if (this.isOp('/') || this.isCmd('div') || this.isCmd('over') || (this.isOp(':') && factors[factors.length - 1]?.kind !== 'text')) {
        // `7:32` is a ratio, read as the quotient.
        this.next();
        const denominator = this.parseUnary();
        const numerator = factors.length === 1 ? (factors.pop() as MathNode) : { kind: 'mul' as const, factors: factors.splice(0) };
        factors.length = 0;
        factors.push({ kind: 'div', numerator, denominator });
      } else if (this.startsOperand(0)) {
        const next = this.parsePower();
        const previous = factors[factors.length - 1];
        // A mixed number: 2\frac{1}{2} is 2 + 1/2.
        const fraction = next.kind === 'pct' ? next.arg : next;
        if (factors.length === 1 && previous && isIntegerLiteral(previous) && fraction.kind === 'div' && isIntegerLiteral(fraction.numerator) && isIntegerLiteral(fraction.denominator) && this.lastWasFrac) {
          const mixed: MathNode = { kind: 'add', terms: [previous, fraction] };
          factors[0] = next.kind === 'pct' ? { kind: 'pct', arg: mixed } : mixed;
        } else factors.push(next);
      } else break;
    }
    return factors.length === 1 ? (factors[0] as MathNode) : { kind: 'mul', factors };
  }

  /** True when the token at `offset` can start an implicitly multiplied factor. */
  private startsOperand(offset: number): boolean {
    const token = this.peek(offset);
    switch (token.type) {
      case 'num':
      case 'id':
        return true;
      case 'cmd':
        return RELATIONS[token.text] === undefined && !['cdot', 'times', 'div', 'pm', 'mp', 'cup', 'cap', 'to', 'over', 'ast', 'end', 'rfloor', 'rceil', 'rangle', 'mid', 'Rightarrow', 'implies', 'rightarrow'].includes(token.text);
      case 'op':
        return token.text === '(' || token.text === '{' || token.text === '\\{';
      case 'text':
        return !/^\s*(?:,?\s*(?:and|or)|,)\s*$/i.test(token.text);
      case 'word':
        return true;
      default:
        return false;
    }
  }

  private parseUnary(): MathNode {
    if (this.isOp('-')) {
      this.next();
      return { kind: 'neg', arg: this.parseUnary() };
    }
    if (this.isOp('+')) {
      this.next();
      return this.parseUnary();
    }
    return this.parsePower();
  }

  private parsePower(): MathNode {
    this.enter();
    try {
      let base = this.parsePostfix();
      if (this.isOp('^')) {
        this.next();
        if (this.isOp('°')) {
          this.next();
          base = { kind: 'deg', arg: base };
        } else {
          const exponent = this.isOp('-') ? (this.next(), { kind: 'neg' as const, arg: this.parseArgument() }) : this.parseArgument();
          base = { kind: 'pow', base, exponent };
        }
        base = this.parsePostfixMarks(base);
      }
      return base;
    } finally {
      this.leave();
    }
  }

  private parsePostfix(): MathNode {
    return this.parsePostfixMarks(this.parsePrimary());
  }

  private parsePostfixMarks(start: MathNode): MathNode {
    let node = start;
    for (;;) {
      if (this.isOp('!')) {
        this.next();
        node = { kind: 'fn', name: 'factorial', args: [node] };
      } else if (this.isOp('%')) {
        this.next();
        node = { kind: 'pct', arg: node };
      } else if (this.isOp('°')) {
        this.next();
        node = { kind: 'deg', arg: node };
      } else if (this.isOp('_') && isIntegerLiteral(node) && this.peek(1).type === 'num') {
        // 204_5: a numeral in base 5.
        this.next();
        const base = Number(this.next().text);
        node = fromBase(String((node as NumberNode).numerator), base);
      } else if (this.isOp('_') && node.kind === 'sym') {
        this.next();
        const subscript = this.readSubscript();
        node = { kind: 'sym', name: `${node.name}_${subscript}` };
      } else if (this.isOp("'") && node.kind === 'sym') {
        this.next();
        node = { kind: 'sym', name: `${node.name}'` };
      } else break;
    }
    return node;
  }

  private readSubscript(): string {
    const token = this.next();
    if (token.type === 'op' && token.text === '{') {
      let text = '';
      let depth = 1;
      for (;;) {
        const inner = this.next();
        if (inner.type === 'end') throw new AnswerParseError('unclosed subscript');
        if (inner.type === 'op' && inner.text === '{') depth++;
        if (inner.type === 'op' && inner.text === '}' && --depth === 0) break;
        text += inner.text;
      }
      return text;
    }
    if (token.type === 'num') {
      // x_12 is x_1 times 2 in LaTeX; keep the first digit.
      if (token.text.length > 1) {
        this.position--;
        this.tokens[this.position] = { type: 'num', text: token.text.slice(1) };
      }
      return token.text[0] as string;
    }
    if (token.type === 'end') throw new AnswerParseError('subscript without a body');
    return token.text;
  }

  /** A LaTeX argument: `{...}`, or one token (`\frac12`, `\sqrt3`, `x^2`). */
  private parseArgument(): MathNode {
    if (this.isOp('{')) {
      this.next();
      const inner = this.parseList(() => this.isOp('}'));
      this.expectOp('}');
      return inner;
    }
    const token = this.peek();
    if (token.type === 'num' && token.text.length > 1 && !/[.eE]/.test(token.text)) {
      // `\frac12`: one digit per argument.
      this.tokens[this.position] = { type: 'num', text: token.text.slice(1) };
      return numberFromLiteral(token.text[0] as string);
    }
    if (token.type === 'end') throw new AnswerParseError('missing argument');
    return this.parsePrimary();
  }

  private parsePrimary(): MathNode {
    this.enter();
    try {
      return this.parsePrimaryInner();
    } finally {
      this.leave();
    }
  }

  private parsePrimaryInner(): MathNode {
    this.lastWasFrac = false;
    const token = this.next();
    switch (token.type) {
      case 'num':
        return numberFromLiteral(token.text);
      case 'id':
        if (token.text === 'e') return { kind: 'const', name: 'e' };
        if (token.text === 'i') return { kind: 'const', name: 'i' };
        return { kind: 'sym', name: token.text };
      case 'word':
        return { kind: 'text', value: token.text };
      case 'text':
        return textNode(token.text);
      case 'op':
        return this.parseBracket(token.text);
      case 'cmd':
        return this.parseCommand(token.text);
      default:
        throw new AnswerParseError('the answer ends too early');
    }
  }

  private parseBracket(open: string): MathNode {
    if (open === '(' || open === '[') {
      if (this.isOp(')') || this.isOp(']')) throw new AnswerParseError('empty brackets');
      const inner = this.parseList(() => this.isOp(')') || this.isOp(']'));
      const close = this.next();
      if (close.type !== 'op' || (close.text !== ')' && close.text !== ']')) throw new AnswerParseError(`unclosed "${open}"`);
      const items = inner.kind === 'tuple' && inner.bracket === 'none' ? inner.items : [inner];
      if (items.length === 1) {
        if (open === '(' && close.text === ')') return items[0] as MathNode;
        if (open === '[' && close.text === ']') return items[0] as MathNode;
        throw new AnswerParseError('mismatched brackets around one value');
      }
      if (items.length === 2 && !(open === '(' && close.text === ')')) {
        return { kind: 'interval', low: items[0] as MathNode, high: items[1] as MathNode, lowOpen: open === '(', highOpen: close.text === ')' };
      }
      if (open !== '(' || close.text !== ')') {
        if (open === '[' && close.text === ']') return { kind: 'tuple', items, bracket: '[' };
        throw new AnswerParseError('mismatched brackets');
      }
      return { kind: 'tuple', items, bracket: '(' };
    }
    if (open === '{' || open === '\\{') {
      const closeText = open === '{' ? '}' : '\\}';
      if (this.isOp(closeText)) {
        this.next();
        return { kind: 'set', items: [] };
      }
      const inner = this.parseList(() => this.isOp(closeText));
      this.expectOp(closeText);
      if (open === '{' && !(inner.kind === 'tuple' && inner.bracket === 'none')) return inner;
      return { kind: 'set', items: inner.kind === 'tuple' && inner.bracket === 'none' ? inner.items : [inner] };
    }
    if (open === '|') {
      const inner = this.parseAdditive();
      this.expectOp('|');
      return { kind: 'fn', name: 'abs', args: [inner] };
    }
    throw new AnswerParseError(`unexpected "${open}"`);
  }

  private parseCommand(name: string): MathNode {
    if (GREEK.has(name)) return { kind: 'sym', name };
    switch (name) {
      case 'pi':
        return { kind: 'const', name: 'pi' };
      case 'infty':
        return { kind: 'const', name: 'inf' };
      case 'emptyset':
        return { kind: 'set', items: [] };
      case 'imath':
        return { kind: 'const', name: 'i' };
      case 'frac': {
        const numerator = this.parseArgument();
        const denominator = this.parseArgument();
        this.lastWasFrac = true;
        return { kind: 'div', numerator, denominator };
      }
      case 'binom':
      case 'choose': {
        const n = this.parseArgument();
        const k = this.parseArgument();
        return { kind: 'fn', name: 'binom', args: [n, k] };
      }
      case 'sqrt': {
        let index: MathNode | undefined;
        if (this.isOp('[')) {
          this.next();
          index = this.parseAdditive();
          this.expectOp(']');
        }
        const radicand = this.isOp('(') ? this.parsePrimary() : this.parseArgument();
        return index ? { kind: 'fn', name: 'root', args: [radicand, index] } : { kind: 'fn', name: 'sqrt', args: [radicand] };
      }
      case 'lfloor':
      case 'lceil': {
        const inner = this.parseAdditive();
        const close = this.next();
        if (close.type !== 'cmd' || close.text !== (name === 'lfloor' ? 'rfloor' : 'rceil')) throw new AnswerParseError(`unclosed \\${name}`);
        return { kind: 'fn', name: name === 'lfloor' ? 'floor' : 'ceil', args: [inner] };
      }
      case 'langle': {
        const inner = this.parseList(() => this.isCmd('rangle'));
        const close = this.next();
        if (close.type !== 'cmd' || close.text !== 'rangle') throw new AnswerParseError('unclosed \\langle');
        return { kind: 'tuple', items: inner.kind === 'tuple' && inner.bracket === 'none' ? inner.items : [inner], bracket: '(' };
      }
      case 'begin':
        return this.parseEnvironment();
      case 'boxed':
      case 'fbox':
        return this.parseArgument();
      case 'mathbb': {
        const arg = this.parseArgument();
        if (arg.kind === 'sym' && arg.name === 'R') {
          return { kind: 'interval', low: { kind: 'neg', arg: { kind: 'const', name: 'inf' } }, high: { kind: 'const', name: 'inf' }, lowOpen: true, highOpen: true };
        }
        return { kind: 'text', value: arg.kind === 'sym' ? `mathbb ${arg.name}` : 'mathbb' };
      }
      default:
        break;
    }
    if (FUNCTIONS.has(name)) return this.parseFunction(name);
    throw new AnswerParseError(`unsupported command \\${name}`);
  }

  private parseFunction(name: string): MathNode {
    let base: MathNode | undefined;
    let power: MathNode | undefined;
    if (name === 'log' && this.isOp('_')) {
      this.next();
      base = this.parseArgument();
    }
    if (this.isOp('^')) {
      this.next();
      power = this.isOp('-') ? (this.next(), { kind: 'neg' as const, arg: this.parseArgument() }) : this.parseArgument();
    }
    let args: MathNode[];
    if (this.isOp('(')) {
      this.next();
      const inner = this.parseList(() => this.isOp(')'));
      this.expectOp(')');
      args = inner.kind === 'tuple' && inner.bracket === 'none' ? inner.items : [inner];
    } else if (this.isOp('{')) {
      args = [this.parseArgument()];
    } else {
      // `\sin 2x`: the implicitly multiplied factors that follow.
      const factors: MathNode[] = [this.parsePower()];
      while (this.startsOperand(0) && !(this.peek().type === 'cmd' && FUNCTIONS.has(this.peek().text))) factors.push(this.parsePower());
      args = [factors.length === 1 ? (factors[0] as MathNode) : { kind: 'mul', factors }];
    }
    let node: MathNode;
    if (name === 'log' && base) node = { kind: 'fn', name: 'logb', args: [args[0] as MathNode, base] };
    else node = { kind: 'fn', name, args };
    if (power) {
      // sin^{-1} x is arcsin x.
      if (power.kind === 'neg' && power.arg.kind === 'num' && power.arg.numerator === 1n && power.arg.denominator === 1n && ['sin', 'cos', 'tan'].includes(name)) {
        return { kind: 'fn', name: `arc${name}`, args };
      }
      node = { kind: 'pow', base: node, exponent: power };
    }
    return node;
  }

  private parseEnvironment(): MathNode {
    const nameGroup = this.readRawGroup();
    if (!MATRIX_ENVIRONMENTS.has(nameGroup)) throw new AnswerParseError(`unsupported environment ${nameGroup}`);
    if (nameGroup === 'array' && this.isOp('{')) this.readRawGroup();
    const rows: MathNode[][] = [];
    let row: MathNode[] = [];
    for (;;) {
      if (this.isCmd('end')) {
        this.next();
        const closing = this.readRawGroup();
        if (closing !== nameGroup) throw new AnswerParseError(`\\begin{${nameGroup}} closed by \\end{${closing}}`);
        break;
      }
      if (this.peek().type === 'end') throw new AnswerParseError(`unclosed \\begin{${nameGroup}}`);
      row.push(this.parseRelation());
      if (this.isOp('&')) {
        this.next();
        continue;
      }
      if (this.isOp('\\\\')) {
        this.next();
        rows.push(row);
        row = [];
        continue;
      }
    }
    if (row.length > 0) rows.push(row);
    if (rows.length === 0 || rows.some((cells) => cells.length !== (rows[0] as MathNode[]).length)) throw new AnswerParseError('ragged matrix');
    const matrix: MathNode = { kind: 'matrix', rows };
    return nameGroup === 'vmatrix' ? { kind: 'fn', name: 'det', args: [matrix] } : matrix;
  }

  private readRawGroup(): string {
    this.expectOp('{');
    let text = '';
    while (!this.isOp('}')) {
      const token = this.next();
      if (token.type === 'end') throw new AnswerParseError('unclosed group');
      text += token.text;
    }
    this.next();
    return text;
  }
}

function fromBase(digits: string, base: number): NumberNode {
  if (!Number.isInteger(base) || base < 2 || base > 36) throw new AnswerParseError(`unsupported base ${base}`);
  let value = 0n;
  for (const digit of digits) {
    const d = Number.parseInt(digit, 36);
    if (!(d < base)) throw new AnswerParseError(`digit ${digit} is not valid in base ${base}`);
    value = value * BigInt(base) + BigInt(d);
  }
  return { kind: 'num', numerator: value, denominator: 1n, float: false, decimals: 0 };
}

function isIntegerLiteral(node: MathNode): boolean {
  return node.kind === 'num' && !node.float && node.denominator === 1n && node.approx === undefined;
}

function textNode(content: string): MathNode {
  const trimmed = content.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return numberFromLiteral(trimmed);
  if (/^-\d+(?:\.\d+)?$/.test(trimmed)) return { kind: 'neg', arg: numberFromLiteral(trimmed.slice(1)) };
  // \mathrm{e} and \mathrm{i} are the constants.
  if (trimmed === 'e' || trimmed === 'i') return { kind: 'const', name: trimmed };
  return { kind: 'text', value: trimmed };
}

/**
 * Parse one answer string (LaTeX or plain) into a {@link MathNode}.
 * @throws AnswerParseError when the text is not a parseable answer
 */
export function parseAnswer(input: string): MathNode {
  if (input.length > MAX_ANSWER_LENGTH) throw new AnswerParseError(`the answer is longer than ${MAX_ANSWER_LENGTH} characters`);
  const text = normalizeAnswerText(input);
  if (text.length === 0) throw new AnswerParseError('the answer is empty');
  const tokens = tokenize(text);
  return new Parser(tokens).parse();
}
