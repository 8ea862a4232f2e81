import { rmSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { RewardError } from '@mixreward/core';
import type { RunIdentity } from './exec.js';

/**
 * The host folders of one local backend: a root made on first use (removed when the process
 * exits), a template folder per program, and a fresh copy of a template per run where a run needs
 * a host folder. All file work is asynchronous.
 * @internal
 */
export interface WorkDirs {
  /** Make a template folder holding the program's files (names relative, no `..`). */
  template(files: Record<string, string>): Promise<string>;
  /** A fresh host copy of a template, for one run. */
  copy(template: string): Promise<string>;
}

/**
 * Work dirs under `tempDir` (default the OS temp dir).
 * @internal
 */
export function createWorkDirs(tempDir: string = tmpdir()): WorkDirs {
  let root: Promise<string> | undefined;
  let counter = 0;
  const workRoot = () => {
    root ??= (async () => {
      const made = await mkdtemp(join(tempDir, 'mixreward-code-'));
      await chmod(made, 0o711);
      // Exit handlers must be synchronous.
      process.once('exit', () => rmSync(made, { recursive: true, force: true }));
      return made;
    })();
    return root;
  };
  return {
    async template(files) {
      const folder = join(await workRoot(), `program-${process.pid}-${counter++}`);
      await mkdir(folder, { mode: 0o711 });
      for (const [name, content] of Object.entries(files)) {
        const target = join(folder, safeRelative(name));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }
      return folder;
    },
    async copy(template) {
      const folder = join(await workRoot(), `run-${process.pid}-${counter++}`);
      await cp(template, folder, { recursive: true });
      return folder;
    },
  };
}

/** A file name that stays inside the work dir, normalised; else `INVALID_INPUT`. */
function safeRelative(name: string): string {
  const normal = normalize(name);
  if (normal.startsWith('..') || normal.startsWith('/') || normal === '.' || normal === '') {
    throw new RewardError('INVALID_INPUT', `file name "${name}" must be relative and stay inside the work dir`);
  }
  return normal;
}

/**
 * Give a folder and everything in it to a sandbox user.
 * @internal
 */
export async function chownTree(path: string, identity: RunIdentity): Promise<void> {
  await chown(path, identity.uid, identity.gid);
  const stat = await lstat(path);
  if (!stat.isDirectory()) return;
  for (const entry of await readdir(path)) await chownTree(join(path, entry), identity);
}

/**
 * Let other users traverse the folders of a template (0711) and read its files (o+r), so that the
 * runs (other uids) can bind them. Symlinks are left alone.
 * @internal
 */
export async function openTree(path: string): Promise<void> {
  const stat = await lstat(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    await chmod(path, 0o711);
    for (const entry of await readdir(path)) await openTree(join(path, entry));
  } else {
    const mode = stat.mode & 0o777;
    await chmod(path, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
  }
}

/**
 * Every regular file under a folder, as paths relative to it (symlinks and other kinds left out).
 * @internal
 */
export async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}
