import { setMaxListeners } from 'node:events';
import { isAbsolute, resolve } from 'node:path';
import {
  type Logger,
  type RewardResult,
  type Rollout,
  type ScoreContext,
  type Scorer,
  RewardError,
  definePlugin,
  failed,
  ok,
  silentLogger,
} from '@mixreward/core';
import { z } from 'zod';
import type { ExecutionBackend } from './backend.js';
import { DifficultyStore, problemKey } from './difficulty-store.js';
import { extractCode } from './extract.js';
import { type LanguageSpec, buildLanguageTable, languageEntrySchema, requireLanguage } from './languages.js';
import { type ExecutionLimits, defaultCompileLimits, defaultRunLimits } from './limits.js';
import { createLocalBackend, probeBwrap, warnNoSandbox } from './local-backend.js';
import { type ExecutionPool, createExecutionPool, sharedExecutionPool } from './pool.js';
import { type TestOutcome, type TestVerdict, runTests } from './run-tests.js';
import { createSandboxFusionBackend } from './sandbox-fusion.js';
import { type CodeTest, parseCodeReference } from './test-cases.js';

const mib = 1024 * 1024;

/** Options of `code.tests` (config `with:`), with their defaults. */
export const codeTestsOptions = z
  .object({
    mode: z
      .enum(['all', 'fraction', 'weighted'])
      .default('all')
      .describe('all: 1 when every test passes; fraction: passed/total; weighted: VeRPO difficulty-weighted partial credit mixed with the all-pass outcome'),
    language: z.string().optional().describe('language when the reference names none (else the fence of the code block; else python)'),
    extract: z.enum(['last', 'first', 'whole']).default('last').describe('which fenced block is the code; whole: the completion is the code'),
    backend: z
      .enum(['auto', 'bwrap', 'process', 'sandbox-fusion'])
      .default('auto')
      .describe('auto: bwrap when it works, else process with a loud warning; bwrap/process/sandbox-fusion: exactly that'),
    sandbox_fusion: z
      .object({
        url: z.string().describe('SandboxFusion server URL (posts to <url>/run_code)'),
        max_concurrent: z.number().int().min(1).default(32).describe('requests in flight at once'),
        retries: z.number().int().min(0).default(3).describe('retries of an HTTP 504 answer'),
      })
      .strict()
      .optional()
      .describe('the SandboxFusion server, for backend: sandbox-fusion'),
    timeout_s: z.number().positive().default(5).describe('wall-time limit per test in seconds (a test\'s own timeout_s wins)'),
    compile_timeout_s: z.number().positive().default(20).describe('wall-time limit of a compile in seconds'),
    memory_mb: z.number().int().positive().default(1024).describe('address-space limit per process in MiB'),
    compile_memory_mb: z.number().int().positive().default(2048).describe('address-space limit of the compiler in MiB'),
    processes: z.number().int().min(1).default(64).describe('most processes/threads per run'),
    max_output_bytes: z.number().int().min(1).default(mib).describe('stdout+stderr bytes kept; more fails the test'),
    max_file_bytes: z.number().int().min(0).default(16 * mib).describe('largest file a run may write, in bytes'),
    max_disk_bytes: z.number().int().min(4096).default(64 * mib).describe('size of a run\'s work dir (bwrap: a tmpfs), in bytes'),
    compare: z.enum(['whitespace', 'exact', 'float']).default('whitespace').describe('stdout comparison'),
    float_tolerance: z.number().min(0).default(1e-6).describe('tolerance of float comparison: |a-b| <= t*max(1,|b|)'),
    early_stop: z.boolean().default(false).describe('stop at the first failing test (the rest count as not passed)'),
    max_tests: z.number().int().min(0).default(0).describe('run at most this many tests per rollout (the first ones); 0 = all'),
    concurrency: z.number().int().min(1).optional().describe('programs run at once; default: the shared pool sized to the machine'),
    dense_weight: z.number().min(0).max(1).default(0.5).describe('weighted mode: reward = (1-w)*all_passed + w*dense'),
    store_path: z.string().optional().describe('weighted mode: JSON file of the difficulty statistics, loaded at start and saved after each batch'),
    stderr_chars: z.number().int().min(0).default(600).describe('characters of stderr kept in reasons'),
    languages: z.record(z.string(), languageEntrySchema).default({}).describe('extra or replaced languages: {source, compile?, run, fences?}'),
  })
  .strict();

/** Parsed options of `code.tests`. */
export type CodeTestsOptions = z.output<typeof codeTestsOptions>;

/** Options of {@link createCodeTestsReward}: the config options plus objects a library user may share. */
export type CodeTestsRewardOptions = z.input<typeof codeTestsOptions> & {
  /** Difficulty statistics for `weighted` mode (shared across scorers or restored from a save). */
  store?: DifficultyStore;
  /** Execution slots; default the shared pool (or a pool of `concurrency`). */
  pool?: ExecutionPool;
  /** A backend to use instead of the one `backend` names. */
  executionBackend?: ExecutionBackend;
  /** Where fallbacks are reported. Default silent. */
  logger?: Logger;
  /** Folder `store_path` resolves against. Default cwd. */
  baseDir?: string;
};

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

function limitsOf(options: CodeTestsOptions): { run: ExecutionLimits; compile: ExecutionLimits } {
  return {
    run: {
      ...defaultRunLimits,
      timeoutMs: options.timeout_s * 1000,
      cpuSeconds: Math.ceil(options.timeout_s) + 1,
      memoryBytes: options.memory_mb * mib,
      processes: options.processes,
      outputBytes: options.max_output_bytes,
      fileBytes: options.max_file_bytes,
      diskBytes: options.max_disk_bytes,
    },
    compile: {
      ...defaultCompileLimits,
      timeoutMs: options.compile_timeout_s * 1000,
      cpuSeconds: Math.ceil(options.compile_timeout_s) + 1,
      memoryBytes: options.compile_memory_mb * mib,
      processes: Math.max(options.processes, 16),
    },
  };
}

/** Pick the backend the options name (see the `backend` option). */
export function selectBackend(options: CodeTestsOptions, pool: ExecutionPool, logger: Logger): ExecutionBackend {
  switch (options.backend) {
    case 'sandbox-fusion':
      if (!options.sandbox_fusion) {
        throw new RewardError('INVALID_OPTIONS', 'backend: sandbox-fusion needs with.sandbox_fusion.url', { path: 'with.sandbox_fusion.url' });
      }
      return createSandboxFusionBackend({
        url: options.sandbox_fusion.url,
        maxConcurrent: options.sandbox_fusion.max_concurrent,
        retries: options.sandbox_fusion.retries,
      });
    case 'bwrap':
      return createLocalBackend('bwrap', { pool });
    case 'process':
      logger.info('code rewards use backend "process": resource limits only, no isolation');
      return createLocalBackend('process', { pool });
    default: {
      const probe = probeBwrap();
      if (probe.ok) return createLocalBackend('bwrap', { pool });
      warnNoSandbox(logger, probe.reason ?? 'bubblewrap is unavailable');
      return createLocalBackend('process', { pool });
    }
  }
}

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

/**
 * Make a `code.tests` scorer: extract the code, run the reference's tests in the sandbox and turn
 * the outcomes into a reward (`mode`). Rollouts of a batch run in parallel through the shared pool.
 */
export function createCodeTestsReward(rawOptions: CodeTestsRewardOptions = {}): Scorer {
  const { store: givenStore, pool: givenPool, executionBackend, logger = silentLogger, baseDir = process.cwd(), ...configOptions } = rawOptions;
  const parsed = codeTestsOptions.safeParse(configOptions);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `with.${issue.path.map(String).join('.')}: ${issue.message}`).join('; ');
    throw new RewardError('INVALID_OPTIONS', `invalid options for code.tests: ${issues}`, { cause: parsed.error });
  }
  const options = parsed.data;
  const table = buildLanguageTable(options.languages);
  const defaultLanguage = options.language === undefined ? undefined : requireLanguage(table, options.language, 'with.language');
  const pool = givenPool ?? (options.concurrency ? createExecutionPool(options.concurrency) : sharedExecutionPool());
  const backend = executionBackend ?? selectBackend(options, pool, logger);
  const limits = limitsOf(options);
  const storePath = options.store_path === undefined ? undefined : isAbsolute(options.store_path) ? options.store_path : resolve(baseDir, options.store_path);
  const store = givenStore ?? (storePath ? DifficultyStore.load(storePath) : new DifficultyStore());

  const scoreOne = async (rollout: Rollout, signal: AbortSignal): Promise<Scored> => {
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
    async score(rollouts: readonly Rollout[], context: ScoreContext): Promise<RewardResult[]> {
      // One internal signal per batch: every run listens to it, so lift the listener cap.
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const forward = () => controller.abort(context.signal.reason);
      if (context.signal.aborted) forward();
      else context.signal.addEventListener('abort', forward, { once: true });
      const scored = await Promise.all(
        rollouts.map(async (rollout): Promise<Scored> => {
          try {
            return await scoreOne(rollout, controller.signal);
          } catch (error) {
            return { kind: 'done', result: failed(error) };
          }
        }),
      );
      context.signal.removeEventListener('abort', forward);
      if (options.mode === 'weighted') {
        for (const entry of scored) {
          if (entry.kind === 'tests') store.record(entry.key, entry.outcomes.map((outcome) => (outcome.verdict === 'not_run' ? undefined : outcome.verdict === 'passed')));
        }
        if (storePath) store.save(storePath);
      }
      return scored.map(finish);
    },
  };
}

/** `code.tests`: run the completion's code against the reference's tests in a sandbox. */
export const codeTestsPlugin = definePlugin({
  name: 'code.tests',
  description: 'runs the completion\'s code against stdin/stdout, function-call and assert tests in a sandbox',
  follows: 'SandboxFusion run_code statuses; verl prime_code test shapes; VeRPO difficulty weights (mode weighted)',
  reference: '{"language"?: "python", "tests": [{"stdin","stdout"} | {"fn_name","args","expected"} | {"assert"}]} or {"inputs","outputs","fn_name"?}',
  options: codeTestsOptions,
  batchSize: 64,
  create(options, context) {
    return createCodeTestsReward({ ...options, logger: context.logger, baseDir: context.baseDir });
  },
});
