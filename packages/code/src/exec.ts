import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { RewardError } from '@mixreward/core';
import { type ExecutionLimits, prlimitArguments } from './limits.js';

/** How a run ended. */
export type ExecStatus = 'exited' | 'timeout' | 'output_limit' | 'compile_error';

/** The outcome of one run (a compile or a test execution). */
export interface ExecResult {
  /** `exited` (look at `exitCode`/`signal`), `timeout` (wall or CPU limit), `output_limit` (killed for too much output) or `compile_error` (remote backends that compile per run). */
  status: ExecStatus;
  /** Exit code, or null when killed by a signal. */
  exitCode: number | null;
  /** The signal that ended the program (`SIGKILL`, `SIGSEGV`, …), or null. */
  signal: string | null;
  /** Standard output, truncated to the output limit. */
  stdout: string;
  /** Standard error, truncated to the output limit. */
  stderr: string;
  /** Wall time of the run in ms (>= 0). */
  durationMs: number;
}

/** A user/group id to run as (used when mixreward runs as root, so that sandboxes never run as root). */
export interface RunIdentity {
  /** User id (> 0). */
  uid: number;
  /** Group id (> 0). */
  gid: number;
}

/** What {@link runLimited} runs. */
export interface LimitedRunRequest {
  /** Absolute path of `prlimit` (util-linux). */
  prlimit: string;
  /** The command (argv); the limits are applied to it by prlimit. */
  argv: string[];
  /** Working directory on the host. */
  cwd: string;
  /** The complete environment (nothing is inherited). */
  env: Record<string, string>;
  /** Bytes for standard input. */
  stdin: string;
  /** Limits. */
  limits: ExecutionLimits;
  /** Run as this user (root only). */
  identity?: RunIdentity;
  /** After the run, kill every process of `identity.uid` left behind (needs an exclusive uid). */
  sweepUid?: boolean;
  /** Map exit codes 129..159 to signals (bubblewrap reports a signalled child as 128 + signal). */
  exitCodeSignals?: boolean;
  /**
   * On a timeout, overflow or abort, kill the command's children first and the command itself only
   * if it does not exit by itself (bubblewrap: killing the namespace's init lets bwrap reap it, so
   * no zombie is left to an init that does not reap).
   */
  killChildrenFirst?: boolean;
  /**
   * Give the command a status pipe on fd 3 (bubblewrap's `--json-status-fd 3`): a run that exits
   * without reporting `exit-code` there never started its program, and is a `SANDBOX_UNAVAILABLE`
   * fault rather than a program failure.
   */
  statusFd?: boolean;
  /** Cancel: kills the run and rejects with `RewardError('ABORTED')`. */
  signal?: AbortSignal;
}

const signalNames: Record<number, string> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE',
  9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM',
  24: 'SIGXCPU', 25: 'SIGXFSZ', 31: 'SIGSYS',
};

/**
 * Run one command under resource limits in its own process group, and make sure nothing outlives it:
 * on exit, timeout, output overflow or abort the whole group is killed (and, with `sweepUid`, every
 * process of the run's user).
 */
export function runLimited(request: LimitedRunRequest): Promise<ExecResult> {
  const { limits } = request;
  return new Promise<ExecResult>((resolve, reject) => {
    if (request.signal?.aborted) {
      reject(new RewardError('ABORTED', 'the run was cancelled before it started'));
      return;
    }
    const started = performance.now();
    const child = spawn(request.prlimit, [...prlimitArguments(limits), '--', ...request.argv], {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: request.statusFd ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
      ...(request.identity ? { uid: request.identity.uid, gid: request.identity.gid } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let kept = 0;
    let status: ExecStatus = 'exited';
    let aborted = false;
    let settled = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;

    let exited = false;
    const killChildren = () => {
      if (child.pid === undefined) return;
      let children: string[] = [];
      try {
        children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        // gone, or no such file on this kernel
      }
      for (const pid of children) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone
        }
      }
      setTimeout(() => {
        if (!exited) killAll();
      }, children.length > 0 ? 500 : 0).unref();
    };
    const stop = () => (request.killChildrenFirst ? killChildren() : killAll());
    const killAll = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is already gone
        }
      }
      if (request.sweepUid && request.identity) killUser(request.identity.uid);
    };
    const take = (target: Buffer[]) => (chunk: Buffer) => {
      if (status === 'output_limit') return;
      const room = limits.outputBytes - kept;
      if (chunk.length > room) {
        if (room > 0) target.push(chunk.subarray(0, room));
        kept = limits.outputBytes;
        status = 'output_limit';
        stop();
        return;
      }
      target.push(chunk);
      kept += chunk.length;
    };
    let statusText = '';
    const statusPipe = request.statusFd ? (child.stdio[3] as NodeJS.ReadableStream | null) : null;
    statusPipe?.on('data', (chunk: Buffer) => {
      if (statusText.length < 4096) statusText += chunk.toString('utf8');
    });
    statusPipe?.on('error', () => undefined);
    child.stdout.on('data', take(stdout));
    child.stderr.on('data', take(stderr));
    child.stdin.on('error', () => undefined);
    child.stdout.on('error', () => undefined);
    child.stderr.on('error', () => undefined);

    const timer = setTimeout(() => {
      if (status === 'exited') status = 'timeout';
      stop();
    }, limits.timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    let closeTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (closeTimer) clearTimeout(closeTimer);
      request.signal?.removeEventListener('abort', onAbort);
      killAll();
      if (aborted) {
        reject(new RewardError('ABORTED', 'the run was cancelled'));
        return;
      }
      let signal = exitSignal;
      let code = exitCode;
      if (request.exitCodeSignals && code !== null && code > 128 && code < 160 && signalNames[code - 128]) {
        signal = signalNames[code - 128] as string;
        code = null;
      }
      if (status === 'exited' && signal === 'SIGXCPU') status = 'timeout';
      if (request.statusFd && status === 'exited' && !statusText.includes('"exit-code"')) {
        const why = Buffer.concat(stderr).toString('utf8').trim().slice(0, 500) || `exit code ${code}`;
        reject(new RewardError('SANDBOX_UNAVAILABLE', `the sandbox could not start the program: ${why}`));
        return;
      }
      resolve({
        status,
        exitCode: code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: performance.now() - started,
      });
    };
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      reject(new RewardError('SANDBOX_UNAVAILABLE', `could not start ${request.prlimit}: ${error.message}`, { cause: error }));
    });
    child.on('exit', (code, signal) => {
      exited = true;
      exitCode = code;
      exitSignal = signal;
      // Kill what the program left behind at once, so that pipes it still holds close.
      killAll();
      closeTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, 2000);
    });
    child.on('close', finish);
    child.stdin.end(request.stdin);
  });
}

/** Kill every process whose real uid is `uid` (a sandbox user that nothing else uses), until none is left. */
export function killUser(uid: number): void {
  for (let round = 0; round < 20; round++) {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return;
    }
    let found = 0;
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const status = readFileSync(`/proc/${entry}/status`, 'utf8');
        const match = /^Uid:\s+(\d+)/m.exec(status);
        if (match && Number(match[1]) === uid && !/^State:\s+[ZX]/m.test(status)) {
          found += 1;
          process.kill(Number(entry), 'SIGKILL');
        }
      } catch {
        // exited meanwhile
      }
    }
    if (found === 0) return;
  }
}
