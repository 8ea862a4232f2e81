import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writing the output failed (disk full, no permission, a read-only file system). The CLI exits
 * with 74 (EX_IOERR) and names the file and the cause.
 * @internal
 */
export class OutputWriteError extends Error {
  /** The exit code of the CLI for this failure: 74 (EX_IOERR). */
  readonly exitCode = 74;
}

/**
 * Write the CLI's output so it is never silently truncated: into a temporary file next to the
 * target, flushed to disk, then renamed over it. A failure leaves the target as it was (an old
 * output stays whole) and removes the temporary file. A target that exists and is not a regular
 * file (`/dev/stdout`, a pipe, a device) is written directly, since it cannot be replaced.
 * @throws OutputWriteError naming the file and the cause (e.g. `ENOSPC: no space left on device`)
 */
export async function writeOutputFile(target: string, text: string): Promise<void> {
  const path = resolve(target);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw failure(target, Object.assign(new Error('is a directory'), { code: 'EISDIR' }), 'nothing was written');
  }
  if (existing && !existing.isFile()) {
    await writeAll(path, text, 'w').catch((error: unknown) => {
      throw failure(target, error, 'it may hold part of the output');
    });
    return;
  }
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw failure(target, error, 'nothing was written');
  }
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeAll(temporary, text, 'wx');
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw failure(target, error, existing ? 'the previous file there is unchanged' : 'nothing was written there');
  }
}

async function writeAll(path: string, text: string, flags: string): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.writeFile(text);
    // A full disk can also surface only when the data is flushed.
    await handle.sync().catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EINVAL' && error.code !== 'ENOTSUP') throw error;
    });
  } finally {
    await handle.close();
  }
}

function failure(target: string, error: unknown, state: string): OutputWriteError {
  const errno = error as NodeJS.ErrnoException;
  const cause = errno.code ? `${errno.code}: ${describeCode(errno.code) ?? errno.message}` : errno.message;
  return new OutputWriteError(`cannot write output ${target} (${cause}); ${state}. The scores of this run are lost: fix the cause and run again`, { cause: error });
}

function describeCode(code: string): string | undefined {
  const known: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory',
    EIO: 'input/output error',
  };
  return known[code];
}

/** An output being written: text goes in as it is ready; `commit` makes it visible, `discard` drops it. */
export interface OutputSink {
  /** Append text (buffered; flushed every 1 MiB). */
  write(text: string): Promise<void>;
  /** Flush, sync and rename the temporary file over the target (or finish a direct write). */
  commit(): Promise<void>;
  /** Stop: remove the temporary file, leaving the target as it was. Idempotent. */
  discard(): Promise<void>;
}

const flushBytes = 1024 * 1024;

/**
 * Open the CLI's output for streaming: like {@link writeOutputFile}, into a temporary file next to
 * the target that `commit` renames over it, so an interrupted or failed run leaves the target as it
 * was; a target that exists and is not a regular file (`/dev/stdout`, a pipe) is written directly.
 * @throws OutputWriteError naming the file and the cause
 */
export async function openOutputFile(target: string): Promise<OutputSink> {
  const path = resolve(target);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw failure(target, Object.assign(new Error('is a directory'), { code: 'EISDIR' }), 'nothing was written');
  }
  const direct = existing !== undefined && !existing.isFile();
  if (!direct) {
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      throw failure(target, error, 'nothing was written');
    }
  }
  const temporary = direct ? path : join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const state = direct ? 'it may hold part of the output' : existing ? 'the previous file there is unchanged' : 'nothing was written there';
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temporary, direct ? 'w' : 'wx');
  } catch (error) {
    throw failure(target, error, direct ? state : 'nothing was written');
  }
  let buffered: string[] = [];
  let size = 0;
  let closed = false;
  const fail = async (error: unknown): Promise<never> => {
    await discard();
    throw failure(target, error, state);
  };
  const flush = async () => {
    if (buffered.length === 0) return;
    const text = buffered.join('');
    buffered = [];
    size = 0;
    await (handle as NonNullable<typeof handle>).write(text);
  };
  const discard = async () => {
    if (closed) return;
    closed = true;
    buffered = [];
    await handle?.close().catch(() => undefined);
    if (!direct) await unlink(temporary).catch(() => undefined);
  };
  return {
    async write(text) {
      buffered.push(text);
      size += text.length;
      if (size >= flushBytes) await flush().catch(fail);
    },
    async commit() {
      try {
        await flush();
        await (handle as NonNullable<typeof handle>).sync().catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EINVAL' && error.code !== 'ENOTSUP') throw error;
        });
        closed = true;
        await (handle as NonNullable<typeof handle>).close();
        if (!direct) await rename(temporary, path);
      } catch (error) {
        closed = false;
        await fail(error);
      }
    },
    discard,
  };
}

/** A sink that writes to a stream (standard output), waiting for it to drain; nothing to commit. */
export function streamSink(stream: NodeJS.WritableStream): OutputSink {
  return {
    write(text) {
      if (stream.write(text)) return Promise.resolve();
      return new Promise((resolveDrain) => stream.once('drain', () => resolveDrain()));
    },
    commit: () => Promise.resolve(),
    discard: () => Promise.resolve(),
  };
}
