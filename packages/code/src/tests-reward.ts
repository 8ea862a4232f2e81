import { setMaxListeners } from 'node:events';
import { isAbsolute, resolve } from 'node:path';
import {
  type CreateContext,
  type RewardResult,
  type Rollout,
  type ScoreContext,
  type Scorer,
  RewardError,
  definePlugin,
  failed,
  ok,
  parseOptions,
  silentLogger,
  skipped,
} from '@mixreward/core';
import { z } from 'zod';
import type { ExecutionBackend } from './backend.js';
import { probeBwrap } from './bwrap.js';
import { DifficultyStore, problemKey } from './difficulty-store.js';
import { extractCode } from './extract.js';
import { type LanguageSpec, buildLanguageTable, languageEntrySchema, requireLanguage } from './languages.js';
import { type ExecutionLimits, defaultCompileLimits, defaultRunLimits } from './limits.js';
import { createLocalBackend } from './local-backend.js';
import { type ExecutionPool, createExecutionPool, sharedExecutionPool } from './pool.js';
import { type TestOutcome, type TestVerdict, runTests } from './run-tests.js';
import { createSandboxFusionBackend } from './sandbox-fusion.js';
import { type CodeTest, parseCodeReference } from './test-cases.js';

const mib = 1024 * 1024;

const codeTestsSchema = z
  .object({
    mode: z
      .enum(['all', 'fraction', 'weighted'])
      .default('all')
      .describe('all: 1 when every test passes; fraction: passed/total in [0, 1]; weighted: VeRPO difficulty-weighted partial credit mixed with the all-pass outcome. Default all'),
    language: z.string().optional().describe('language when the reference names none (else the fence of the code block; else python). Default none'),
    extract: z.enum(['last', 'first', 'whole']).default('last').describe('which fenced block is the code; whole: the completion is the code. Default last'),
    backend: z
      .enum(['auto', 'bwrap', 'process', 'sandbox-fusion'])
      .default('auto')
      .describe(
        'auto: bwrap when it works, else SandboxFusion when sandbox_fusion is set, else every rollout is an error (SANDBOX_UNAVAILABLE); bwrap/sandbox-fusion: exactly that; process: NO isolation (resource limits only), only when named. Default auto',
      ),
    bwrap_path: z.string().min(1).optional().describe('the bubblewrap executable (a path, relative to the config file). Default: bwrap on PATH'),
    sandbox_fusion: z
      .object({
        url: z.string().describe('SandboxFusion server URL (posts to <url>/run_code)'),
        max_concurrent: z.number().int().min(1).default(32).describe('requests in flight at once, >= 1. Default 32'),
        retries: z.number().int().min(0).default(3).describe('retries of an HTTP 504 answer, >= 0. Default 3'),
      })
      .strict()
      .optional()
      .describe('the SandboxFusion server, for backend sandbox-fusion (and auto without bwrap). Default none'),
    timeout_ms: z.number().positive().default(5000).describe("wall-time limit per test in ms, > 0 (a reference's or test's own timeout_ms wins). Default 5000"),
    compile_timeout_ms: z.number().positive().default(20000).describe('wall-time limit of a compile in ms, > 0. Default 20000'),
    memory_mb: z.number().int().positive().default(1024).describe('address-space limit per process in MiB, > 0. Default 1024'),
    compile_memory_mb: z.number().int().positive().default(2048).describe('address-space limit of the compiler in MiB, > 0. Default 2048'),
    processes: z.number().int().min(1).default(64).describe('most processes/threads per run, >= 1. Default 64'),
    max_output_bytes: z.number().int().min(1).default(mib).describe('stdout+stderr bytes kept, >= 1; more fails the test. Default 1048576 (1 MiB)'),
    max_file_bytes: z.number().int().min(0).default(16 * mib).describe('largest file a run may write, in bytes, >= 0. Default 16777216 (16 MiB)'),
    max_disk_bytes: z.number().int().min(4096).default(64 * mib).describe("size of a run's work dir (bwrap: a tmpfs), in bytes, >= 4096. Default 67108864 (64 MiB)"),
    compare: z
      .enum(['whitespace', 'exact', 'float'])
      .default('whitespace')
      .describe("stdout comparison (a reference's or test's own compare wins). Default whitespace"),
    float_tolerance: z
      .number()
      .min(0)
      .default(1e-6)
      .describe("tolerance of float comparison, >= 0: |a-b| <= t*max(1,|b|), for expected decimals only (a reference's or test's own float_tolerance wins). Default 1e-6"),
    early_stop: z.boolean().default(false).describe('stop at the first failing test (the rest count as not passed). Default false'),
    max_tests: z.number().int().min(0).default(0).describe('run at most this many tests per rollout (the first ones), >= 0; 0 = all. Default 0'),
    concurrency: z.number().int().min(1).optional().describe('programs run at once, >= 1. Default: the shared pool sized to the machine'),
    dense_weight: z.number().min(0).max(1).default(0.5).describe('weighted mode, in [0, 1]: reward = 1 when all pass, else w*dense. Default 0.5'),
    store_path: z.string().optional().describe('weighted mode: JSON file of the difficulty statistics, loaded at start and saved after each batch. Default none (in memory)'),
    stderr_chars: z.number().int().min(0).default(600).describe('characters of stderr kept in reasons, >= 0. Default 600'),
    languages: z.record(z.string(), languageEntrySchema).default({}).describe('extra or replaced languages: {source, compile?, run, fences?}. Default none'),
  })
  .strict();

/** Options of `code.tests` as written in a config's `with:` (every key optional; see the README for defaults). */
export type CodeTestsOptions = z.input<typeof codeTestsSchema>;

type ParsedOptions = z.output<typeof codeTestsSchema>;

/** Objects a library user may give {@link createCodeTestsReward} besides its options. */
export interface CodeTestsRuntime {
  /** Difficulty statistics for `weighted` mode (shared across scorers or restored from a save). */
  store?: DifficultyStore;
  /** Execution slots; default the shared pool (or a pool of `concurrency`). */
  pool?: ExecutionPool;
  /** A backend to use instead of the one `backend` names. A backend named `process` marks every result as unsandboxed. */
  executionBackend?: ExecutionBackend;
}

const verdictText: Record<TestVerdict, string> = {
  passed: 'passed',
  wrong_answer: 'wrong answer',
  runtime_error: 'runtime error',
  timeout: 'timeout',
  compile_error: 'compile error',
  not_run: 'not run',
};

type Scored =
  | { kind: 'done'; result: RewardResult }
  | { kind: 'tests'; key: string; outcomes: TestOutcome[]; compileError: string | null };

function limitsOf(options: ParsedOptions): { run: ExecutionLimits; compile: ExecutionLimits } {
  return {
    run: {
      ...defaultRunLimits,
      timeoutMs: options.timeout_ms,
      cpuSeconds: Math.ceil(options.timeout_ms / 1000) + 1,
      memoryBytes: options.memory_mb * mib,
      processes: options.processes,
      outputBytes: options.max_output_bytes,
      fileBytes: options.max_file_bytes,
      diskBytes: options.max_disk_bytes,
    },
    compile: {
      ...defaultCompileLimits,
      timeoutMs: options.compile_timeout_ms,
      cpuSeconds: Math.ceil(options.compile_timeout_ms / 1000) + 1,
      memoryBytes: options.compile_memory_mb * mib,
      processes: Math.max(options.processes, 16),
    },
  };
}

/** A backend that runs nothing: every program is a `SANDBOX_UNAVAILABLE` fault with the reason. */
function unavailableBackend(reason: string): ExecutionBackend {
  return {
    name: 'bwrap',
    prepare: () => Promise.reject(new RewardError('SANDBOX_UNAVAILABLE', reason, { path: 'with.backend' })),
  };
}

/**
 * The backend the options name. `auto` fails closed: bwrap when it works, else SandboxFusion when
 * `sandbox_fusion` is set, else a backend whose every run is a `SANDBOX_UNAVAILABLE` error naming
 * the fix. The unsandboxed `process` backend runs only when named.
 */
async function selectBackend(options: ParsedOptions, pool: ExecutionPool, context: CreateContext): Promise<ExecutionBackend> {
  const logger = context.logger;
  const bwrapLocation = options.bwrap_path !== undefined ? { bwrapPath: resolve(context.baseDir, options.bwrap_path) } : {};
  const sandboxFusion = () => {
    if (!options.sandbox_fusion) {
      throw new RewardError('INVALID_OPTIONS', 'backend: sandbox-fusion needs with.sandbox_fusion.url', { path: 'with.sandbox_fusion.url' });
    }
    return createSandboxFusionBackend({
      url: options.sandbox_fusion.url,
      maxConcurrent: options.sandbox_fusion.max_concurrent,
      retries: options.sandbox_fusion.retries,
    });
  };
  switch (options.backend) {
    case 'sandbox-fusion':
      return sandboxFusion();
    case 'bwrap':
      return createLocalBackend('bwrap', { pool, ...bwrapLocation });
    case 'process':
      logger.warn(unsandboxedWarning);
      return createLocalBackend('process', { pool });
    default: {
      const probe = await probeBwrap(bwrapLocation);
      if (probe.ok) return createLocalBackend('bwrap', { pool, ...bwrapLocation });
      if (options.sandbox_fusion) {
        logger.info(`code.tests (backend auto): bubblewrap is unavailable, using SandboxFusion at ${options.sandbox_fusion.url}`);
        return sandboxFusion();
      }
      const reason = `code.tests (backend auto) found no sandbox and will not run generated code without one: ${probe.reason ?? 'bubblewrap is unavailable'}`;
      logger.warn(reason);
      return unavailableBackend(reason);
    }
  }
}

const unsandboxedWarning =
  'code.tests runs generated code WITHOUT A SANDBOX (with.backend: process): resource limits only; the program can read your files and use the network';

/** The prefix of every reason of a scorer that runs code with the `process` backend. */
const unsandboxedNote = 'UNSANDBOXED (backend process: no isolation): ';

function summarize(outcomes: readonly TestOutcome[], compileError: string | null) {
  const count = (verdict: TestVerdict) => outcomes.filter((outcome) => outcome.verdict === verdict).length;
  const total = outcomes.length;
  const passed = count('passed');
  return {
    passed,
    total,
    pass_rate: total === 0 ? 0 : passed / total,
    all_passed: total > 0 && passed === total ? 1 : 0,
    compile_error: compileError !== null ? 1 : 0,
    runtime_error: count('runtime_error'),
    timeout: count('timeout'),
    wrong_answer: count('wrong_answer'),
    not_run: count('not_run'),
    no_code: 0,
  };
}

function reasonOf(outcomes: readonly TestOutcome[], compileError: string | null, passed: number): string {
  const total = outcomes.length;
  if (compileError !== null) return `compile error: ${compileError}`;
  if (passed === total) return total === 1 ? 'the test passed' : `all ${total} tests passed`;
  const first = outcomes.find((outcome) => outcome.verdict !== 'passed' && outcome.verdict !== 'not_run');
  if (!first) return `${passed}/${total} tests passed`;
  const stderr = first.stderr ? `; stderr: ${first.stderr}` : '';
  return `${passed}/${total} tests passed; first failure: test ${first.index + 1} ${verdictText[first.verdict]} (${first.detail})${stderr}`;
}

const missingReference =
  'no reference: code.tests needs rollout.reference (the tests: {"tests": [...]}, a list of tests, or {"inputs": [...], "outputs": [...]})';

/** Make a `code.tests` scorer from parsed options: the plugin's factory. */
async function buildCodeTestsScorer(options: ParsedOptions, context: CreateContext, runtime: CodeTestsRuntime): Promise<Scorer> {
  const table = buildLanguageTable(options.languages);
  const defaultLanguage = options.language === undefined ? undefined : requireLanguage(table, options.language, 'with.language');
  const pool = runtime.pool ?? (options.concurrency ? createExecutionPool(options.concurrency) : sharedExecutionPool());
  const backend = runtime.executionBackend ?? (await selectBackend(options, pool, context));
  const unsandboxed = backend.name === 'process';
  const limits = limitsOf(options);
  const storePath =
    options.store_path === undefined ? undefined : isAbsolute(options.store_path) ? options.store_path : resolve(context.baseDir, options.store_path);
  const store = runtime.store ?? (storePath ? DifficultyStore.load(storePath) : new DifficultyStore());

  const scoreOne = async (rollout: Rollout, signal: AbortSignal): Promise<Scored> => {
    if (rollout.reference === undefined) return { kind: 'done', result: skipped(missingReference) };
    const reference = parseCodeReference(rollout.reference);
    let tests: CodeTest[] = reference.tests;
    if (options.max_tests > 0) tests = tests.slice(0, options.max_tests);
    let language: LanguageSpec | undefined = reference.language ? requireLanguage(table, reference.language) : defaultLanguage;
    const completion = typeof rollout.completion === 'string' ? rollout.completion : '';
    const extracted = extractCode(completion, { mode: options.extract, table, ...(language ? { language } : {}) });
    if (extracted && !language && extracted.tag !== '' && !extracted.language) {
      return {
        kind: 'done',
        result: ok(0, {
          components: { ...summarize([], null), total: tests.length, no_code: 1 },
          reason: `the code block is tagged "${extracted.tag}", a language with no entry in the table (add it under with.languages)`,
        }),
      };
    }
    language ??= extracted?.language ?? requireLanguage(table, 'python');
    if (!extracted || extracted.code.trim() === '') {
      const components = { ...summarize([], null), total: tests.length, no_code: 1 };
      return { kind: 'done', result: ok(0, { components, reason: `no ${language.name} code block in the completion` }) };
    }
    const report = await runTests({
      backend,
      language,
      code: extracted.code,
      tests,
      limits: limits.run,
      compileLimits: limits.compile,
      compare: options.compare,
      floatTolerance: options.float_tolerance,
      earlyStop: options.early_stop,
      stderrChars: options.stderr_chars,
      signal,
    });
    return { kind: 'tests', key: problemKey(tests), outcomes: report.outcomes, compileError: report.compileError };
  };

  const finish = (scored: Scored): RewardResult => {
    if (scored.kind === 'done') return scored.result;
    const components: Record<string, number> = summarize(scored.outcomes, scored.compileError);
    const passed = components.passed as number;
    const allPassed = components.all_passed as number;
    let reward: number;
    if (options.mode === 'all') {
      reward = allPassed;
    } else if (options.mode === 'fraction') {
      reward = components.pass_rate as number;
    } else {
      const weights = store.weights(scored.key, scored.outcomes.length);
      const dense = scored.outcomes.reduce((sum, outcome, index) => sum + (outcome.verdict === 'passed' ? (weights[index] as number) : 0), 0);
      components.dense = dense;
      components.outcome = allPassed;
      reward = allPassed === 1 ? 1 : options.dense_weight * dense;
    }
    return ok(reward, { components, reason: reasonOf(scored.outcomes, scored.compileError, passed) });
  };

  return {
    async score(rollouts: readonly Rollout[], scoreContext: ScoreContext): Promise<RewardResult[]> {
      // One internal signal per batch: every run listens to it, so lift the listener cap.
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const forward = () => controller.abort(scoreContext.signal.reason);
      if (scoreContext.signal.aborted) forward();
      else scoreContext.signal.addEventListener('abort', forward, { once: true });
      const scored = await Promise.all(
        rollouts.map(async (rollout): Promise<Scored> => {
          try {
            return await scoreOne(rollout, controller.signal);
          } catch (error) {
            return { kind: 'done', result: failed(error) };
          }
        }),
      );
      scoreContext.signal.removeEventListener('abort', forward);
      if (options.mode === 'weighted') {
        for (const entry of scored) {
          if (entry.kind === 'tests') store.record(entry.key, entry.outcomes.map((outcome) => (outcome.verdict === 'not_run' ? undefined : outcome.verdict === 'passed')));
        }
        if (storePath) store.save(storePath);
      }
      const results = scored.map(finish);
      return unsandboxed ? results.map((result) => ({ ...result, reason: `${unsandboxedNote}${result.reason ?? ''}` })) : results;
    },
  };
}

/** `code.tests`: run the completion's code against the reference's tests in a sandbox. */
export const codeTestsPlugin = definePlugin({
  name: 'code.tests',
  description: "runs the completion's code against stdin/stdout, function-call and assert tests in a sandbox",
  follows: 'SandboxFusion run_code statuses; verl prime_code test shapes; VeRPO difficulty weights (mode weighted)',
  reference:
    '{"language"?, "compare"?, "float_tolerance"?, "timeout_ms"?, "tests": [{"stdin","stdout"} | {"fn_name","args","expected"} | {"assert"}]} or {"inputs","outputs","fn_name"?}',
  options: codeTestsSchema,
  batchSize: 64,
  create: (options, context) => buildCodeTestsScorer(options, context, {}),
});

/**
 * Make a `code.tests` scorer: extract the code, run the reference's tests in the sandbox and turn
 * the outcomes into a reward in [0, 1] (`mode`). Rollouts of a batch run in parallel through the
 * shared pool.
 * @param options the reward's options, as in a config's `with:`
 * @param context `baseDir` that `store_path` resolves against (default cwd), and a logger
 * @param runtime objects to share: a difficulty store, an execution pool, a backend
 * @throws RewardError `INVALID_OPTIONS` naming the bad option
 */
export async function createCodeTestsReward(options: CodeTestsOptions = {}, context: Partial<CreateContext> = {}, runtime: CodeTestsRuntime = {}): Promise<Scorer> {
  const parsed = parseOptions(codeTestsPlugin, options);
  const baseDir = context.baseDir ?? process.cwd();
  return buildCodeTestsScorer(parsed, { baseDir, mediaDir: context.mediaDir ?? baseDir, logger: context.logger ?? silentLogger }, runtime);
}
