import type { ExecutionBackend, PreparedProgram, Program } from './backend.js';
import { type CompareMode, jsonEqual, outputsMatch } from './compare.js';
import type { ExecResult } from './exec.js';
import { assertDoneMarker, assertInput, assertProgram, assertionsFinished, callProgram, callResultMarker, isAssertionFailure, readCallResult, stdioProgram } from './harness.js';
import type { LanguageSpec } from './languages.js';
import { type ExecutionLimits, withTimeout } from './limits.js';
import type { CodeTest } from './test-cases.js';

/** How one test ended. `not_run`: skipped by early stop. */
export type TestVerdict = 'passed' | 'wrong_answer' | 'runtime_error' | 'timeout' | 'compile_error' | 'not_run';

/** The outcome of one test. */
export interface TestOutcome {
  /** Position of the test in the reference (0-based). */
  index: number;
  /** How it ended. */
  verdict: TestVerdict;
  /** One line: what was expected and what came, the exit code, the limit hit… */
  detail: string;
  /** The end of standard error (or the compiler's output), at most `stderrChars` characters. */
  stderr: string;
  /** Wall time of the run in ms (>= 0); absent when it did not run. */
  durationMs?: number;
}

/** What {@link runTests} needs. */
export interface RunTestsOptions {
  /** Where programs run. */
  backend: ExecutionBackend;
  /** The submission's language. */
  language: LanguageSpec;
  /** The submission. */
  code: string;
  /** The tests. */
  tests: readonly CodeTest[];
  /** Limits of each test run (a test's `timeoutMs` overrides the wall and CPU time). */
  limits: ExecutionLimits;
  /** Limits of each compile. */
  compileLimits: ExecutionLimits;
  /** Output comparison of stdin/stdout tests (a test's own `compare` wins). Default `whitespace`. */
  compare?: CompareMode;
  /**
   * Tolerance of `float` comparison and of non-integer expected values of function-call tests
   * (unless the test compares `exact`), >= 0 (a test's own `floatTolerance` wins). Default 1e-6.
   */
  floatTolerance?: number;
  /** Stop at the first test that does not pass; the rest are `not_run`. Default false. */
  earlyStop?: boolean;
  /** Characters of stderr kept per outcome, >= 0. Default 600. */
  stderrChars?: number;
  /** Cancel. */
  signal?: AbortSignal;
}

/** Every test's outcome, in reference order. */
export interface TestRunReport {
  /** One per test. */
  outcomes: TestOutcome[];
  /** The compiler's message when the submission did not compile, else null. */
  compileError: string | null;
}

function tail(text: string, chars: number): string {
  const trimmed = text.trim();
  return trimmed.length <= chars ? trimmed : `…${trimmed.slice(trimmed.length - chars)}`;
}

function preview(text: string, chars = 80): string {
  const value = JSON.stringify(text.length > chars ? `${text.slice(0, chars)}…` : text);
  return value;
}

function exitText(result: ExecResult): string {
  return result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
}

function compileFailed(compile: ExecResult | null): boolean {
  return compile !== null && (compile.status !== 'exited' || compile.exitCode !== 0);
}

/**
 * Run every test of one submission: each distinct program (the code, the function-call harness,
 * one per assert script) is compiled once and run once per test, tests in parallel through the
 * backend's pool (in order, one at a time, with `earlyStop`).
 */
export async function runTests(options: RunTestsOptions): Promise<TestRunReport> {
  const { backend, language, code, tests } = options;
  const compare = options.compare ?? 'whitespace';
  const tolerance = options.floatTolerance ?? 1e-6;
  const stderrChars = options.stderrChars ?? 600;
  const prepared = new Map<string, Promise<PreparedProgram>>();
  // Printed by an assert script's last line (Python's harness reads it on stdin): a run that exits
  // 0 without it stopped before its assertions ran (sys.exit(0), os._exit(0) or process.exit(0) in
  // the submission).
  const doneMarker = assertDoneMarker();
  let compileError: string | null = null;

  const programFor = (test: CodeTest, index: number): { key: string; make: () => Program } => {
    if (test.kind === 'stdio') return { key: 'stdio', make: () => stdioProgram(language, code) };
    if (test.kind === 'call') return { key: 'call', make: () => callProgram(language, code) };
    return { key: `assert:${index}`, make: () => assertProgram(language, code, test.code, doneMarker) };
  };
  const prepare = (key: string, make: () => Program): Promise<PreparedProgram> => {
    let promise = prepared.get(key);
    if (!promise) {
      promise = Promise.resolve().then(() =>
        backend.prepare(make(), { compileLimits: options.compileLimits, ...(options.signal ? { signal: options.signal } : {}) }),
      );
      prepared.set(key, promise);
    }
    return promise;
  };

  const runOne = async (test: CodeTest, index: number): Promise<TestOutcome> => {
    const { key, make } = programFor(test, index);
    const program = await prepare(key, make);
    if (compileFailed(program.compile)) {
      const compile = program.compile as ExecResult;
      const message = compile.status === 'timeout' ? 'compilation timed out' : tail(`${compile.stderr}\n${compile.stdout}`, stderrChars);
      compileError ??= message;
      return { index, verdict: 'compile_error', detail: 'compile error', stderr: message };
    }
    const limits = test.timeoutMs === undefined ? options.limits : withTimeout(options.limits, test.timeoutMs);
    const marker = callResultMarker();
    const stdin =
      test.kind === 'stdio' ? test.stdin : test.kind === 'call' ? JSON.stringify({ fn: test.fnName, args: test.args, marker }) : assertInput(language, doneMarker);
    const result = await program.run({ stdin, limits, ...(options.signal ? { signal: options.signal } : {}) });
    const stderr = tail(result.stderr, stderrChars);
    const base = { index, stderr, durationMs: result.durationMs };
    if (result.status === 'compile_error') {
      compileError ??= stderr;
      return { ...base, verdict: 'compile_error', detail: 'compile error' };
    }
    if (result.status === 'timeout') {
      return { ...base, verdict: 'timeout', detail: `time limit of ${limits.timeoutMs / 1000} s exceeded` };
    }
    if (result.status === 'output_limit') {
      return { ...base, verdict: 'runtime_error', detail: `output limit of ${limits.outputBytes} bytes exceeded` };
    }
    if (result.exitCode !== 0 || result.signal) {
      if (test.kind === 'assert' && isAssertionFailure(language, result.stderr)) {
        return { ...base, verdict: 'wrong_answer', detail: 'assertion failed' };
      }
      if (test.kind === 'call' && result.exitCode === 3 && /is not defined/.test(result.stderr)) {
        return { ...base, verdict: 'runtime_error', detail: `function ${test.fnName} is not defined` };
      }
      return { ...base, verdict: 'runtime_error', detail: exitText(result) };
    }
    if (test.kind === 'assert') {
      return assertionsFinished(language, result.stdout, doneMarker, test.code)
        ? { ...base, verdict: 'passed', detail: 'assertions hold' }
        : { ...base, verdict: 'runtime_error', detail: 'the program exited before the test script finished (an exit call in the submission?)' };
    }
    const testCompare = test.compare ?? compare;
    const testTolerance = test.floatTolerance ?? tolerance;
    if (test.kind === 'stdio') {
      return outputsMatch(result.stdout, test.stdout, testCompare, testTolerance)
        ? { ...base, verdict: 'passed', detail: 'output matches' }
        : { ...base, verdict: 'wrong_answer', detail: `expected ${preview(test.stdout)}, got ${preview(result.stdout)}` };
    }
    const value = readCallResult(result.stdout, marker);
    if (!value.found) return { ...base, verdict: 'runtime_error', detail: `${test.fnName} returned no JSON value` };
    const floatTolerance = testCompare === 'exact' ? undefined : testTolerance;
    const accepted = [test.expected, ...(test.alternatives ?? [])].some((expected) => jsonEqual(value.value, expected, floatTolerance));
    return accepted
      ? { ...base, verdict: 'passed', detail: 'return value matches' }
      : {
          ...base,
          verdict: 'wrong_answer',
          detail: `${test.fnName}(…) expected ${preview(JSON.stringify(test.expected))}, got ${preview(JSON.stringify(value.value))}`,
        };
  };

  try {
    let outcomes: TestOutcome[];
    if (options.earlyStop) {
      outcomes = [];
      let stopped = false;
      for (const [index, test] of tests.entries()) {
        if (stopped) {
          outcomes.push({ index, verdict: 'not_run', detail: 'not run (early stop)', stderr: '' });
          continue;
        }
        const outcome = await runOne(test, index);
        outcomes.push(outcome);
        if (outcome.verdict !== 'passed') stopped = true;
      }
    } else {
      outcomes = await Promise.all(tests.map((test, index) => runOne(test, index)));
    }
    return { outcomes, compileError };
  } finally {
    const settled = await Promise.allSettled(prepared.values());
    await Promise.all(settled.map((entry) => (entry.status === 'fulfilled' ? entry.value.dispose() : undefined)));
  }
}
