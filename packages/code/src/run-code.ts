import { RewardError } from '@mixreward/core';
import type { ExecutionBackend } from './backend.js';
import { probeBwrap } from './bwrap.js';
import type { ExecResult } from './exec.js';
import { type LanguageEntry, buildLanguageTable, requireLanguage } from './languages.js';
import { type ExecutionLimits, defaultCompileLimits, defaultRunLimits } from './limits.js';
import { createLocalBackend } from './local-backend.js';
import type { ExecutionPool } from './pool.js';
import { createSandboxFusionBackend } from './sandbox-fusion.js';

/** What {@link runCode} runs. */
export interface RunCodeOptions {
  /** The program's source. */
  code: string;
  /** Its language (a name or fence tag of the table). Default `python`. */
  language?: string;
  /** Standard input. Default ''. */
  stdin?: string;
  /**
   * `bwrap` (the default), `sandbox-fusion`, `process` (NO isolation: resource limits only; only
   * when named), or a backend object. The default never falls back to `process`.
   */
  backend?: 'bwrap' | 'process' | 'sandbox-fusion' | ExecutionBackend;
  /** The bubblewrap executable (absolute path); default `bwrap` on PATH. */
  bwrapPath?: string;
  /** SandboxFusion server URL, for `backend: 'sandbox-fusion'`. */
  sandboxFusionUrl?: string;
  /** Limits of the run (defaults: {@link defaultRunLimits}). */
  limits?: Partial<ExecutionLimits>;
  /** Limits of the compile (defaults: {@link defaultCompileLimits}). */
  compileLimits?: Partial<ExecutionLimits>;
  /** Extra or replaced languages, as in the `code.tests` option `languages`. */
  languages?: Record<string, LanguageEntry>;
  /** Execution slots; default the shared pool. */
  pool?: ExecutionPool;
  /** Cancel. */
  signal?: AbortSignal;
}

/** The outcome of {@link runCode}: the run, or the failed compile (`status: 'compile_error'`), with the compile step when there was one. */
export interface RunCodeResult extends ExecResult {
  /** The compile step, when the language compiles locally. */
  compile: ExecResult | null;
}

/**
 * Run one program once in the sandbox and return what happened: the library form of
 * SandboxFusion's `run_code`. A program that does not compile comes back with
 * `status: 'compile_error'` and the compiler's output in `stderr`.
 * @throws RewardError `SANDBOX_UNAVAILABLE` (bubblewrap missing or broken: it never runs the code
 *   unsandboxed unless `backend: 'process'` is named) / `DEPENDENCY_UNAVAILABLE`, naming what to install
 */
export async function runCode(options: RunCodeOptions): Promise<RunCodeResult> {
  const table = buildLanguageTable(options.languages);
  const language = requireLanguage(table, options.language ?? 'python', 'language');
  let backend: ExecutionBackend;
  if (typeof options.backend === 'object') {
    backend = options.backend;
  } else if (options.backend === 'sandbox-fusion') {
    if (!options.sandboxFusionUrl) throw new RewardError('INVALID_OPTIONS', 'backend sandbox-fusion needs sandboxFusionUrl', { path: 'sandboxFusionUrl' });
    backend = createSandboxFusionBackend({ url: options.sandboxFusionUrl });
  } else {
    const kind = options.backend ?? 'bwrap';
    if (kind === 'bwrap') {
      const probe = await probeBwrap(options.bwrapPath !== undefined ? { bwrapPath: options.bwrapPath } : {});
      if (!probe.ok) throw new RewardError('SANDBOX_UNAVAILABLE', probe.reason ?? 'bubblewrap is unavailable');
    }
    backend = createLocalBackend(kind, {
      ...(options.pool ? { pool: options.pool } : {}),
      ...(options.bwrapPath !== undefined ? { bwrapPath: options.bwrapPath } : {}),
    });
  }
  const program = await backend.prepare(
    { language, files: { [language.source]: options.code } },
    { compileLimits: { ...defaultCompileLimits, ...options.compileLimits }, ...(options.signal ? { signal: options.signal } : {}) },
  );
  try {
    const compile = program.compile;
    if (compile && (compile.status !== 'exited' || compile.exitCode !== 0)) {
      return { ...compile, status: 'compile_error', stderr: compile.status === 'timeout' ? `compilation timed out\n${compile.stderr}` : compile.stderr, compile };
    }
    const result = await program.run({
      stdin: options.stdin ?? '',
      limits: { ...defaultRunLimits, ...options.limits },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { ...result, compile };
  } finally {
    await program.dispose();
  }
}
