import { execFile } from 'node:child_process';
import { lstatSync, readlinkSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slotIdentity } from './pool.js';
import { findTool } from './tools.js';

/** PATH inside a sandbox. */
export const sandboxPath = '/usr/local/bin:/usr/bin:/bin';

/** Where a run's work dir is mounted inside bubblewrap. */
export const workInside = '/work';

/** The environment of a sandboxed program: nothing of the host's, only these. */
export function programEnvironment(home: string): Record<string, string> {
  return {
    PATH: sandboxPath,
    HOME: home,
    TMPDIR: home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONHASHSEED: '0',
  };
}

let systemBindCache: string[] | undefined;

/** bwrap arguments that mount the host's system folders read-only (and nothing else of the host); read once per process. */
function systemBinds(): string[] {
  if (systemBindCache) return systemBindCache;
  const binds: string[] = [];
  for (const path of ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) binds.push('--symlink', readlinkSync(path), path);
      else if (stat.isDirectory()) binds.push('--ro-bind', path, path);
    } catch {
      // absent on this distribution
    }
  }
  for (const path of ['/etc/alternatives', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/localtime']) {
    binds.push('--ro-bind-try', path, path);
  }
  systemBindCache = binds;
  return binds;
}

/**
 * Where a sandboxed run's work dir (/work) comes from.
 * @internal
 */
export type SandboxWorkDir =
  | {
      /** A host folder bound writable at /work (compiles: their output stays in it). */
      bind: string;
    }
  | {
      /** A fresh tmpfs of this many bytes at /work, … */
      tmpfsBytes: number;
      /** … with these host files bound read-only into it (`target` relative to /work). */
      files: ReadonlyArray<{ source: string; target: string }>;
    };

/**
 * The bubblewrap command line for one run: new user, pid, network, ipc, uts (and cgroup) namespaces,
 * read-only system folders, a work dir at /work as the only writable place (a fresh size-limited
 * tmpfs holding the program's files read-only, or a bound host folder), a fresh /proc and /dev, a
 * cleared environment, its own session, and death with its parent.
 * @param options.roots extra host folders to bind read-only (a tool's install prefix)
 * @internal
 */
export function bwrapArguments(options: { work: SandboxWorkDir; roots?: string[] }): string[] {
  const roots = (options.roots ?? []).flatMap((root) => ['--ro-bind', root, root]);
  const work =
    'bind' in options.work
      ? ['--bind', options.work.bind, workInside]
      : [
          '--size',
          String(Math.max(4096, Math.floor(options.work.tmpfsBytes))),
          '--tmpfs',
          workInside,
          ...options.work.files.flatMap((file) => ['--ro-bind', file.source, `${workInside}/${file.target}`]),
        ];
  return [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'sandbox',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    ...systemBinds(),
    ...roots,
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    ...work,
    '--chdir',
    workInside,
    '--clearenv',
    ...Object.entries(programEnvironment(workInside)).flatMap(([name, value]) => ['--setenv', name, value]),
  ];
}

/** Whether bubblewrap works here, and if not why. */
export interface BwrapProbe {
  /** True when a trivial program ran under the full set of namespaces. */
  ok: boolean;
  /** The bwrap executable, when found. */
  path?: string;
  /** Why not, with the fix. */
  reason?: string;
}

/** Where to look for bubblewrap. */
export interface BwrapLocation {
  /** The bwrap executable to use (an absolute path); default: `bwrap` looked up on `searchPath`. */
  bwrapPath?: string;
  /** PATH searched for `bwrap`; default the process's PATH. */
  searchPath?: string;
}

const notInstalledFix =
  'install bubblewrap (apt-get install bubblewrap / dnf install bubblewrap), or configure a SandboxFusion server (with.sandbox_fusion.url), or set with.backend: process to run generated code WITHOUT isolation (resource limits only)';

const probes = new Map<string, Promise<BwrapProbe>>();

/**
 * Check whether bubblewrap is installed and can create the namespaces (as the sandbox user when
 * root), by running `true` under the full set of options. Cached per process and location.
 * @param location an explicit bwrap path, or the PATH to search
 */
export function probeBwrap(location: BwrapLocation = {}): Promise<BwrapProbe> {
  const key = `${location.bwrapPath ?? ''}\0${location.searchPath ?? process.env.PATH ?? ''}`;
  let probe = probes.get(key);
  if (!probe) {
    probe = probeOnce(location);
    probes.set(key, probe);
  }
  return probe;
}

async function probeOnce(location: BwrapLocation): Promise<BwrapProbe> {
  const bwrap = findTool(location.bwrapPath ?? 'bwrap', { check: ['--version'], ...(location.searchPath !== undefined ? { searchPath: location.searchPath } : {}) });
  if (!bwrap) {
    const what = location.bwrapPath === undefined ? 'bubblewrap (`bwrap`) is not installed (not found on PATH)' : `bubblewrap was not found at ${location.bwrapPath} (with.bwrap_path)`;
    return { ok: false, reason: `${what}: ${notInstalledFix}` };
  }
  const trueTool = findTool('true', { check: ['--version'] });
  const identity = slotIdentity(0);
  const scratch = await mkdtemp(join(tmpdir(), 'mixreward-bwrap-probe-'));
  try {
    if (identity) {
      await chmod(scratch, 0o700);
      await chown(scratch, identity.uid, identity.gid);
    }
    const failure = await new Promise<string | undefined>((resolve) => {
      execFile(
        bwrap.path,
        [...bwrapArguments({ work: { bind: scratch } }), '--', trueTool?.path ?? '/usr/bin/true'],
        { env: { PATH: sandboxPath }, timeout: 10000, encoding: 'utf8', ...(identity ? { uid: identity.uid, gid: identity.gid } : {}) },
        (error, _stdout, stderr) => resolve(error ? (stderr || error.message || 'failed').trim() : undefined),
      );
    });
    return failure === undefined
      ? { ok: true, path: bwrap.path }
      : {
          ok: false,
          path: bwrap.path,
          reason: `bubblewrap (${bwrap.path}) is installed but cannot create a sandbox here (${failure}): allow unprivileged user namespaces (sysctl -w kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), or configure a SandboxFusion server (with.sandbox_fusion.url), or set with.backend: process to run WITHOUT isolation`,
        };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
