import { RewardError } from '@mixreward/core';
import type { CompareMode } from './compare.js';

/** Checker settings a problem (or one test) carries, overriding the reward's `compare` and `float_tolerance`. */
export interface CheckerSettings {
  /** Output comparison of this test; absent: the reward's `compare`. */
  compare?: CompareMode;
  /** Tolerance of float comparison, >= 0; absent: the reward's `float_tolerance`. */
  floatTolerance?: number;
}

/** A stdin/stdout test: feed `stdin`, compare standard output with `stdout`. */
export interface StdioTest extends CheckerSettings {
  /** Discriminant. */
  kind: 'stdio';
  /** Standard input. */
  stdin: string;
  /** Expected standard output. */
  stdout: string;
  /** Wall-time limit of this test in ms (> 0), overriding the reward's `timeout_ms`. */
  timeoutMs?: number;
}

/** A function-call test: call `fnName(...args)` and compare its JSON value with `expected`. */
export interface CallTest extends CheckerSettings {
  /** Discriminant. */
  kind: 'call';
  /** The function (or `Solution` method) to call. */
  fnName: string;
  /** Positional arguments, as JSON values. */
  args: unknown[];
  /** The expected return value, as JSON. */
  expected: unknown;
  /** Other accepted return values (the prime_code adapter accepts `outputs[i][0]` too). */
  alternatives?: unknown[];
  /** Wall-time limit of this test in ms (> 0). */
  timeoutMs?: number;
}

/** An assert-script test (HumanEval/MBPP style): the script runs after the code and must exit 0. */
export interface AssertTest {
  /** Discriminant. */
  kind: 'assert';
  /** The test code (`assert f(1) == 3`). */
  code: string;
  /** Wall-time limit of this test in ms (> 0). */
  timeoutMs?: number;
}

/** One test of a submission. */
export type CodeTest = StdioTest | CallTest | AssertTest;

/** A parsed `code.tests` reference. */
export interface CodeReference {
  /** The language the reference asks for, when it names one. */
  language?: string;
  /** The tests, in order (at least one). */
  tests: CodeTest[];
}

const identifier = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function invalid(message: string, path: string): never {
  throw new RewardError('INVALID_REFERENCE', message, { path });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveNumber(value: unknown, path: string, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalid(`${path} must be ${what} > 0`, path);
  return value;
}

/** A test's (or the reference's) wall-time limit: `timeout_ms`, or `timeout_s` / `timeout` in seconds as datasets write it. */
function timeoutOf(raw: Record<string, unknown>, path: string): { timeoutMs?: number } {
  if (raw.timeout_ms !== undefined && raw.timeout_ms !== null) return { timeoutMs: positiveNumber(raw.timeout_ms, `${path}.timeout_ms`, 'a number of milliseconds') };
  const seconds = raw.timeout_s ?? raw.timeout;
  if (seconds === undefined || seconds === null) return {};
  return { timeoutMs: positiveNumber(seconds, `${path}.${raw.timeout_s !== undefined ? 'timeout_s' : 'timeout'}`, 'a number of seconds') * 1000 };
}

const compareModes: readonly CompareMode[] = ['whitespace', 'exact', 'float'];

/**
 * The checker settings written on a test or a reference: `compare` and `float_tolerance`. A
 * `float_tolerance` without a `compare` next to it means `compare: float` (a problem that carries a
 * tolerance has a float checker).
 */
function checkerOf(raw: Record<string, unknown>, path: string): CheckerSettings {
  const settings: CheckerSettings = {};
  if (raw.float_tolerance !== undefined && raw.float_tolerance !== null) {
    const tolerance = raw.float_tolerance;
    if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) invalid(`${path}.float_tolerance must be a number >= 0`, `${path}.float_tolerance`);
    settings.floatTolerance = tolerance;
    settings.compare = 'float';
  }
  if (raw.compare !== undefined && raw.compare !== null) {
    if (typeof raw.compare !== 'string' || !compareModes.includes(raw.compare as CompareMode)) {
      invalid(`${path}.compare must be one of ${compareModes.join(', ')}, got ${JSON.stringify(raw.compare)}`, `${path}.compare`);
    }
    settings.compare = raw.compare as CompareMode;
  }
  return settings;
}

function text(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((line) => typeof line === 'string')) return value.join('\n');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return invalid(`${path} must be a string (or a list of lines)`, path);
}

function fnNameOf(value: unknown, path: string): string {
  if (typeof value !== 'string' || !identifier.test(value)) invalid(`${path} must be a function name (an identifier), got ${JSON.stringify(value)}`, path);
  return value;
}

function parseTest(raw: unknown, path: string, defaultFnName: string | undefined): CodeTest {
  if (typeof raw === 'string') return { kind: 'assert', code: raw };
  if (!isRecord(raw)) return invalid(`${path} must be an object ({stdin, stdout}, {fn_name, args, expected} or {assert})`, path);
  const timeout = timeoutOf(raw, path);
  if (typeof raw.assert === 'string') return { kind: 'assert', code: raw.assert, ...timeout };
  const checker = checkerOf(raw, path);
  const fnName = raw.fn_name ?? (('args' in raw || 'expected' in raw) ? defaultFnName : undefined);
  if (fnName !== undefined) {
    const name = fnNameOf(fnName, `${path}.fn_name`);
    const args = raw.args ?? [];
    if (!Array.isArray(args)) invalid(`${path}.args must be a JSON array of arguments`, `${path}.args`);
    if (!('expected' in raw)) invalid(`${path}.expected is missing`, `${path}.expected`);
    return { kind: 'call', fnName: name, args, expected: raw.expected, ...timeout, ...checker };
  }
  const stdin = raw.stdin ?? raw.input;
  const stdout = raw.stdout ?? raw.output ?? raw.expected_output;
  if (stdout === undefined) return invalid(`${path} has no stdout (nor fn_name+args+expected, nor assert)`, path);
  return { kind: 'stdio', stdin: stdin === undefined || stdin === null ? '' : text(stdin, `${path}.stdin`), stdout: text(stdout, `${path}.stdout`), ...timeout, ...checker };
}

/** A test with the reference's settings for each one it does not set itself. */
function withShared(test: CodeTest, timeout: { timeoutMs?: number }, checker: CheckerSettings): CodeTest {
  const timed = test.timeoutMs === undefined ? { ...test, ...timeout } : test;
  if (timed.kind === 'assert') return timed;
  return {
    ...timed,
    ...(timed.compare === undefined && checker.compare !== undefined ? { compare: checker.compare } : {}),
    ...(timed.floatTolerance === undefined && checker.floatTolerance !== undefined ? { floatTolerance: checker.floatTolerance } : {}),
  };
}

function parseJsonMaybe(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The verl/prime_code (APPS/TACO/LiveCodeBench) shape: `{inputs: [...], outputs: [...], fn_name?}`.
 * With `fn_name`, `inputs[i]` is the argument list (or a string of one JSON value per line) and
 * `outputs[i]` the return value (a one-element list is also accepted unwrapped, as prime_code does);
 * without, `inputs[i]`/`outputs[i]` are stdin/stdout text (a list of lines is joined with newlines).
 */
export function adaptPrimeCode(raw: Record<string, unknown>, path = 'reference'): CodeTest[] {
  const inputs = raw.inputs;
  const outputs = raw.outputs;
  if (!Array.isArray(inputs) || !Array.isArray(outputs)) invalid(`${path}.inputs and ${path}.outputs must be arrays`, path);
  if (inputs.length !== outputs.length) invalid(`${path}.inputs has ${inputs.length} entries but ${path}.outputs has ${outputs.length}`, path);
  const fnName = raw.fn_name === undefined || raw.fn_name === null || raw.fn_name === '' ? undefined : fnNameOf(raw.fn_name, `${path}.fn_name`);
  return inputs.map((input, index): CodeTest => {
    const output = outputs[index];
    if (fnName) {
      let args: unknown = input;
      if (typeof input === 'string') args = input.split('\n').filter((line) => line.trim() !== '').map((line) => parseJsonMaybe(line));
      if (!Array.isArray(args)) args = [args];
      const expected = parseJsonMaybe(output);
      const alternatives = Array.isArray(expected) && expected.length === 1 ? [expected[0]] : undefined;
      return { kind: 'call', fnName, args: args as unknown[], expected, ...(alternatives ? { alternatives } : {}) };
    }
    return { kind: 'stdio', stdin: text(input, `${path}.inputs[${index}]`), stdout: text(output, `${path}.outputs[${index}]`) };
  });
}

/**
 * Parse a `code.tests` reference: `{language?, timeout_ms?, compare?, float_tolerance?, tests: [...]}`
 * (the top-level settings apply to every test without its own), a bare list of tests, a JSON
 * string of either, or the verl/prime_code shape (`inputs`/`outputs`/`fn_name`, also inside
 * `input_output`, with the same top-level settings). A test is `{stdin, stdout}`,
 * `{fn_name, args, expected}` or `{assert}`, each with optional `timeout_ms` (or `timeout_s` in
 * seconds), and the first two with optional `compare` and `float_tolerance`.
 * @throws RewardError('INVALID_REFERENCE') naming the bad field
 */
export function parseCodeReference(reference: unknown): CodeReference {
  let raw = reference;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      invalid('reference is a string but not JSON: give {"tests": [...]} or {"inputs": [...], "outputs": [...]}', 'reference');
    }
  }
  if (raw === undefined || raw === null) invalid('reference is missing: give {"tests": [...]}', 'reference');
  let language: string | undefined;
  let tests: CodeTest[];
  if (Array.isArray(raw)) {
    tests = raw.map((test, index) => parseTest(test, `reference[${index}]`, undefined));
  } else if (isRecord(raw)) {
    if (raw.language !== undefined) {
      if (typeof raw.language !== 'string' || raw.language.trim() === '') invalid('reference.language must be a language name', 'reference.language');
      language = raw.language;
    }
    const defaultFnName = raw.fn_name === undefined || raw.fn_name === null || raw.fn_name === '' ? undefined : fnNameOf(raw.fn_name, 'reference.fn_name');
    const sharedTimeout = timeoutOf(raw, 'reference');
    const sharedChecker = checkerOf(raw, 'reference');
    if (Array.isArray(raw.tests)) {
      tests = raw.tests.map((test, index) => parseTest(test, `reference.tests[${index}]`, defaultFnName));
    } else if (raw.tests !== undefined) {
      return invalid('reference.tests must be an array', 'reference.tests');
    } else if ('inputs' in raw || 'outputs' in raw) {
      tests = adaptPrimeCode(raw);
    } else if (typeof raw.input_output === 'string' || isRecord(raw.input_output)) {
      const inner = parseJsonMaybe(raw.input_output);
      if (!isRecord(inner)) return invalid('reference.input_output must hold {"inputs", "outputs"}', 'reference.input_output');
      tests = adaptPrimeCode(inner, 'reference.input_output');
    } else {
      return invalid('reference has no tests: give {"tests": [...]} or {"inputs": [...], "outputs": [...]}', 'reference');
    }
    tests = tests.map((test) => withShared(test, sharedTimeout, sharedChecker));
  } else {
    return invalid('reference must be an object with tests, a list of tests, or a JSON string of one', 'reference');
  }
  if (tests.length === 0) invalid('reference has no tests', 'reference.tests');
  return { tests, ...(language ? { language } : {}) };
}
