import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { RewardError } from '@mixreward/core';
import type { RunIdentity } from './exec.js';

/** A host tool resolved for sandboxed use. */
export interface ResolvedTool {
  /** Absolute path of the real executable (symlinks and interpreter shims resolved). */
  path: string;
  /** Host folders outside the system folders that the tool needs (its install prefix), bound read-only in a sandbox. */
  roots: string[];
}

/** Folders that every sandbox binds read-only anyway. */
export const systemRoots = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

const cache = new Map<string, ResolvedTool | null>();

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function underSystem(path: string): boolean {
  return systemRoots.some((root) => path === root || path.startsWith(`${root}/`));
}

/**
 * Find `name` on the host PATH and resolve it to an executable that works for the sandbox user:
 * candidates are tried in PATH order, each must start as `identity` (a pyenv shim under /root does
 * not) and, with `probe` arguments, print its real executable path.
 * @returns the tool, or null when no candidate works
 */
export function findTool(name: string, options: { probe?: string[]; check?: string[]; identity?: RunIdentity; searchPath?: string } = {}): ResolvedTool | null {
  const searchPath = options.searchPath ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const key = `${name}\0${options.probe?.join(' ') ?? options.check?.join(' ') ?? ''}\0${options.identity ? 'user' : 'self'}\0${searchPath}`;
  if (cache.has(key)) return cache.get(key) ?? null;
  const candidates = isAbsolute(name) ? [name] : searchPath.split(delimiter).filter(Boolean).map((folder) => join(folder, name));
  const seen = new Set<string>();
  let found: ResolvedTool | null = null;
  for (const candidate of candidates) {
    if (!isExecutableFile(candidate)) continue;
    let real: string;
    try {
      real = realpathSync(candidate);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const probe = spawnSync(candidate, options.probe ?? options.check ?? ['--version'], {
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' },
      cwd: '/',
      timeout: 10000,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      ...(options.identity ? { uid: options.identity.uid, gid: options.identity.gid } : {}),
    });
    if (probe.status !== 0) continue;
    let path = real;
    if (options.probe) {
      const printed = probe.stdout.trim();
      if (!printed || !isAbsolute(printed) || !isExecutableFile(printed)) continue;
      path = realpathSync(printed);
    }
    const roots = underSystem(path) ? [] : [dirname(dirname(path))];
    found = { path, roots };
    break;
  }
  cache.set(key, found);
  return found;
}

/** Like {@link findTool}, but a missing tool is a `RewardError('DEPENDENCY_UNAVAILABLE')` that says how to install it. */
export function requireTool(name: string, options: { probe?: string[]; check?: string[]; identity?: RunIdentity; install?: string; language?: string }): ResolvedTool {
  const tool = findTool(name, options);
  if (tool) return tool;
  const how = options.install ?? 'install it';
  const who = options.identity ? ` that the sandbox user (uid ${options.identity.uid}) can run` : '';
  throw new RewardError(
    'DEPENDENCY_UNAVAILABLE',
    `\`${name}\`${options.language ? ` for ${options.language}` : ''} was not found on PATH${who}: ${how}, or change its command under with.languages`,
  );
}
