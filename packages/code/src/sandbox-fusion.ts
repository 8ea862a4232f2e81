import { RewardError } from '@mixreward/core';
import type { ExecutionBackend, PreparedProgram, Program, PrepareOptions, RunInput } from './backend.js';
import type { ExecResult } from './exec.js';
import { type ExecutionPool, createExecutionPool } from './pool.js';

/** Options of the SandboxFusion client backend. */
export interface SandboxFusionOptions {
  /** Server base URL, e.g. `http://sandbox:8080` (the client posts to `<url>/run_code`). */
  url: string;
  /** Most requests in flight at once (>= 1). Default 32. */
  maxConcurrent?: number;
  /** Retries of a request answered with HTTP 504 (>= 0). Default 3. */
  retries?: number;
  /** Extra seconds the HTTP request may take beyond compile + run time (>= 0). Default 10. */
  requestSlackS?: number;
}

/** A SandboxFusion `run_code` request body. */
export interface RunCodeRequest {
  /** The entry file's source. */
  code: string;
  /** SandboxFusion language name (`python`, `nodejs`, `cpp`). */
  language: string;
  /** Compile time limit in seconds. */
  compile_timeout: number;
  /** Run time limit in seconds. */
  run_timeout: number;
  /** Memory limit in MB (-1: the server's default). */
  memory_limit_MB: number;
  /** Standard input. */
  stdin: string;
  /** Other files, path to base64 contents. */
  files: Record<string, string>;
}

/** One command's result in a SandboxFusion response. */
export interface CommandRunResult {
  /** `Finished`, `Error` (could not run) or `TimeLimitExceeded`. */
  status: string;
  /** Seconds, when reported. */
  execution_time?: number | null;
  /** Exit code, when it finished. */
  return_code?: number | null;
  /** Standard output. */
  stdout?: string | null;
  /** Standard error. */
  stderr?: string | null;
}

/** A SandboxFusion `run_code` response body. */
export interface RunCodeResponse {
  /** `Success`, `Failed` or `SandboxError`. */
  status: string;
  /** Why, for `SandboxError`. */
  message?: string;
  /** The compile step, for compiled languages. */
  compile_result?: CommandRunResult | null;
  /** The run step (absent when compilation failed). */
  run_result?: CommandRunResult | null;
}

/**
 * Map a `run_code` response to an {@link ExecResult}: a compile step that did not finish with exit
 * 0 is `compile_error`; `TimeLimitExceeded` is `timeout`; a `SandboxError` status or a command
 * that could not run (`Error`) is a fault of the service (thrown), never a wrong answer.
 * @param durationMs measured wall time of the request (>= 0)
 */
export function mapRunCodeResponse(response: RunCodeResponse, durationMs: number): ExecResult {
  const compile = response.compile_result;
  if (compile && (compile.status !== 'Finished' || (compile.return_code ?? 0) !== 0)) {
    if (compile.status === 'Error') {
      throw new RewardError('SANDBOX_UNAVAILABLE', `SandboxFusion could not run the compiler: ${compile.stderr ?? response.message ?? ''}`.trim());
    }
    return {
      status: 'compile_error',
      exitCode: compile.return_code ?? null,
      signal: null,
      stdout: compile.stdout ?? '',
      stderr: compile.status === 'TimeLimitExceeded' ? 'compilation timed out' : (compile.stderr ?? ''),
      durationMs,
    };
  }
  const run = response.run_result;
  if (!run) {
    throw new RewardError('SANDBOX_UNAVAILABLE', `SandboxFusion answered ${response.status} without a run result${response.message ? `: ${response.message}` : ''}`);
  }
  if (run.status === 'Error' || (response.status === 'SandboxError' && run.status !== 'TimeLimitExceeded')) {
    throw new RewardError('SANDBOX_UNAVAILABLE', `SandboxFusion sandbox error: ${response.message ?? run.stderr ?? 'unknown'}`);
  }
  return {
    status: run.status === 'TimeLimitExceeded' ? 'timeout' : 'exited',
    exitCode: run.return_code ?? (run.status === 'TimeLimitExceeded' ? null : 0),
    signal: null,
    stdout: run.stdout ?? '',
    stderr: run.stderr ?? '',
    durationMs,
  };
}

/**
 * The `sandbox-fusion` backend: an HTTP client of a SandboxFusion server's `run_code` API, for
 * clusters. Each run sends the program's entry file as `code` and its other files as base64
 * `files`; the server compiles per request. Network failures and sandbox errors are
 * `SANDBOX_UNAVAILABLE` faults.
 */
export function createSandboxFusionBackend(options: SandboxFusionOptions): ExecutionBackend {
  let base: URL;
  try {
    base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  } catch {
    throw new RewardError('INVALID_OPTIONS', `sandbox_fusion.url "${options.url}" is not a URL (e.g. http://localhost:8080)`, { path: 'with.sandbox_fusion.url' });
  }
  const endpoint = new URL('run_code', base);
  const pool: ExecutionPool = createExecutionPool(options.maxConcurrent ?? 32);
  const retries = options.retries ?? 3;
  const slack = options.requestSlackS ?? 10;

  const post = async (body: RunCodeRequest, signal?: AbortSignal): Promise<RunCodeResponse> => {
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout((body.compile_timeout + body.run_timeout + slack) * 1000);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (signal?.aborted) throw new RewardError('ABORTED', 'the run was cancelled', { cause: error });
        throw new RewardError(
          'SANDBOX_UNAVAILABLE',
          `cannot reach the SandboxFusion server at ${endpoint.href} (${(error as Error).message}): start it or fix with.sandbox_fusion.url`,
          { cause: error },
        );
      }
      if (response.status === 504 && attempt < retries) continue;
      if (!response.ok) {
        throw new RewardError('SANDBOX_UNAVAILABLE', `SandboxFusion at ${endpoint.href} answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
      }
      try {
        return (await response.json()) as RunCodeResponse;
      } catch (error) {
        throw new RewardError('SANDBOX_UNAVAILABLE', `SandboxFusion at ${endpoint.href} answered with something other than JSON`, { cause: error });
      }
    }
  };

  return {
    name: 'sandbox-fusion',
    async prepare(program: Program, prepareOptions: PrepareOptions): Promise<PreparedProgram> {
      const language = program.language;
      const entry = program.files[language.source];
      if (entry === undefined) throw new RewardError('INTERNAL', `program has no ${language.source}`);
      const files: Record<string, string> = {};
      for (const [name, content] of Object.entries(program.files)) {
        if (name !== language.source) files[name] = Buffer.from(content, 'utf8').toString('base64');
      }
      const compileTimeout = prepareOptions.compileLimits.timeoutMs / 1000;
      return {
        compile: null,
        run: (input: RunInput) =>
          pool.use(async () => {
            const started = performance.now();
            const response = await post(
              {
                code: entry,
                language: language.sandboxFusion ?? language.name,
                compile_timeout: compileTimeout,
                run_timeout: input.limits.timeoutMs / 1000,
                memory_limit_MB: Math.floor(input.limits.memoryBytes / (1024 * 1024)),
                stdin: input.stdin,
                files,
              },
              input.signal,
            );
            const result = mapRunCodeResponse(response, performance.now() - started);
            if (result.status === 'exited' && Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr) > input.limits.outputBytes) {
              return { ...result, status: 'output_limit' as const, stdout: result.stdout.slice(0, input.limits.outputBytes) };
            }
            return result;
          }, input.signal),
        dispose: async () => undefined,
      };
    },
  };
}
