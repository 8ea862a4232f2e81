import type { ExecResult } from './exec.js';
import type { LanguageSpec } from './languages.js';
import type { ExecutionLimits } from './limits.js';

/** The execution backends: `bwrap` (namespaces + limits), `process` (limits only), `sandbox-fusion` (HTTP). */
export type BackendName = 'bwrap' | 'process' | 'sandbox-fusion';

/** Source files of one program in one language; `files[language.source]` is the entry point. */
export interface Program {
  /** The language (its table entry). */
  language: LanguageSpec;
  /** File name (relative, no `..`) to contents. */
  files: Record<string, string>;
}

/** One execution of a prepared program. */
export interface RunInput {
  /** Standard input. */
  stdin: string;
  /** Limits of this run. */
  limits: ExecutionLimits;
  /** Cancel the run. */
  signal?: AbortSignal;
}

/** A program ready to run: compiled once (when its language compiles), then run once per test. */
export interface PreparedProgram {
  /** The compile run, or null when the language has no compile step (or the backend compiles per run). A non-zero exit is a compile error. */
  compile: ExecResult | null;
  /** Run it once, in a fresh work dir. */
  run(input: RunInput): Promise<ExecResult>;
  /** Remove its files. Safe to call twice. */
  dispose(): Promise<void>;
}

/** What {@link ExecutionBackend.prepare} receives besides the program. */
export interface PrepareOptions {
  /** Limits of the compile step. */
  compileLimits: ExecutionLimits;
  /** Cancel. */
  signal?: AbortSignal;
}

/** An execution backend. Faults of the backend itself throw `RewardError` (`SANDBOX_UNAVAILABLE`, `DEPENDENCY_UNAVAILABLE`). */
export interface ExecutionBackend {
  /** Which backend. */
  readonly name: BackendName;
  /** Write the program's files and compile it. */
  prepare(program: Program, options: PrepareOptions): Promise<PreparedProgram>;
}
