import { spawn, type ChildProcess } from 'node:child_process';
import { RewardError } from '@mixreward/core';

/** Children still running, so a dispose or an abort can end every one. */
const running = new Set<ChildProcess>();

/** How many ffmpeg children this process has running now (>= 0). @internal */
export function runningFfmpegCount(): number {
  return running.size;
}

/** What {@link runFfmpeg} returns. @internal */
export interface FfmpegRun {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  /** Bytes written to stdout (at most `maxStdoutBytes`). */
  stdout: Buffer;
  /** The last 8 KiB of stderr. */
  stderr: string;
}

/** Options of {@link runFfmpeg}. @internal */
export interface RunFfmpegOptions {
  /** Killed (SIGKILL) when aborted. */
  signal?: AbortSignal | undefined;
  /** Killed after this many ms (> 0). */
  timeoutMs: number;
  /** Stdout beyond this many bytes kills the child (a bound on memory). */
  maxStdoutBytes: number;
  /** Stdout bytes expected, to allocate once. Default 0 (grow). */
  expectedBytes?: number;
}

/**
 * Run ffmpeg with arguments, stdout captured into one buffer (raw frames over a pipe, no temp
 * files), stderr's tail kept for messages. The child is killed with SIGKILL on abort, timeout or
 * an overlong stdout, and the promise settles only after it has exited, so no child outlives it.
 * @internal
 */
export function runFfmpeg(binary: string, args: readonly string[], options: RunFfmpegOptions): Promise<FfmpegRun> {
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) {
      reject(new RewardError('ABORTED', 'scoring was cancelled before ffmpeg started'));
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      reject(new RewardError('DEPENDENCY_UNAVAILABLE', `could not start ffmpeg at ${binary}`, { cause: error }));
      return;
    }
    running.add(child);
    let buffer = Buffer.allocUnsafe(Math.min(options.expectedBytes ?? 0, options.maxStdoutBytes));
    let length = 0;
    let stderr = '';
    let failure: RewardError | undefined;
    const kill = (reason: RewardError): void => {
      failure ??= reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(new RewardError('TIMEOUT', `ffmpeg took longer than ${options.timeoutMs} ms (option timeout_ms)`)), options.timeoutMs);
    const onAbort = (): void => kill(new RewardError('ABORTED', 'scoring was cancelled; ffmpeg was stopped'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (length + chunk.length > options.maxStdoutBytes) {
        kill(new RewardError('INVALID_INPUT', `ffmpeg produced more than ${options.maxStdoutBytes} bytes of frames; lower max_frames or the frame size`));
        return;
      }
      if (length + chunk.length > buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(options.maxStdoutBytes, Math.max(buffer.length * 2, length + chunk.length)));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      chunk.copy(buffer, length);
      length += chunk.length;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-8192);
    });
    child.on('error', (error) => {
      failure ??= new RewardError('DEPENDENCY_UNAVAILABLE', `could not run ffmpeg at ${binary}: ${error.message}`, { cause: error });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      running.delete(child);
      if (failure !== undefined) reject(failure);
      else resolvePromise({ code, stdout: buffer.subarray(0, length), stderr });
    });
  });
}
