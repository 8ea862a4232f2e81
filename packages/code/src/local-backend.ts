import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { RewardError, type Logger, silentLogger } from '@mixreward/core';
import type { ExecutionBackend, PreparedProgram, Program, PrepareOptions, RunInput } from './backend.js';
import { type ExecResult, type RunIdentity, runLimited } from './exec.js';
import type { ExecutionLimits } from './limits.js';
import { type ExecutionPool, sharedExecutionPool, slotIdentity } from './pool.js';
import { findTool, requireTool } from './tools.js';

/** Options of the local backends (`bwrap` and `process`). */
export interface LocalBackendOptions {
  /** Slots shared by all runs; default: the process-wide pool sized to the machine. */
  pool?: ExecutionPool;
  /** Folder under which work dirs are made; default: the OS temp dir. */
  tempDir?: string;
  /** PATH searched for `bwrap` and `prlimit`; default the process's PATH. */
  searchPath?: string;
}

const sandboxPath = '/usr/local/bin:/usr/bin:/bin';
const workInside = '/work';

/** The environment of a sandboxed program: nothing of the host's, only these. */
function programEnvironment(home: string): Record<string, string> {
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

/** bwrap arguments that mount the host's system folders read-only (and nothing else of the host). */
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

/** Where a sandboxed run's work dir (/work) comes from. */
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

/** Whether bubblewrap works here, and if not why (cached per process). */
export interface BwrapProbe {
  /** True when a trivial program ran under the full set of namespaces. */
  ok: boolean;
  /** The bwrap executable, when found. */
  path?: string;
  /** Why not, with the fix. */
  reason?: string;
}

const bwrapProbes = new Map<string, BwrapProbe>();

/**
 * Check whether `bwrap` is installed and can create the namespaces (as the sandbox user when root).
 * Cached per process and PATH.
 * @param searchPath PATH to search instead of the process's
 */
export function probeBwrap(searchPath?: string): BwrapProbe {
  const path = searchPath ?? process.env.PATH ?? '';
  let probe = bwrapProbes.get(path);
  if (!probe) {
    probe = probeBwrapOnce(searchPath);
    bwrapProbes.set(path, probe);
  }
  return probe;
}

function probeBwrapOnce(searchPath: string | undefined): BwrapProbe {
  let bwrapProbe: BwrapProbe;
  const bwrap = findTool('bwrap', { check: ['--version'], ...(searchPath !== undefined ? { searchPath } : {}) });
  if (!bwrap) {
    bwrapProbe = {
      ok: false,
      reason:
        'bubblewrap (`bwrap`) is not installed: install it (apt-get install bubblewrap / dnf install bubblewrap), or set with.backend: process to run with resource limits only (no isolation)',
    };
    return bwrapProbe;
  }
  const trueTool = findTool('true', { check: ['--version'] });
  const identity = slotIdentity(0);
  const scratch = mkdtempSync(join(tmpdir(), 'mixreward-bwrap-probe-'));
  try {
    if (identity) {
      chmodSync(scratch, 0o700);
      chownSync(scratch, identity.uid, identity.gid);
    }
    const result = spawnSync(bwrap.path, [...bwrapArguments({ work: { bind: scratch } }), '--', trueTool?.path ?? '/usr/bin/true'], {
      env: { PATH: sandboxPath },
      timeout: 10000,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(identity ? { uid: identity.uid, gid: identity.gid } : {}),
    });
    bwrapProbe =
      result.status === 0
        ? { ok: true, path: bwrap.path }
        : {
            ok: false,
            path: bwrap.path,
            reason: `bubblewrap is installed but cannot create a sandbox here (${(result.stderr || result.error?.message || `exit ${result.status}`).trim()}): allow unprivileged user namespaces (sysctl -w kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), or set with.backend: process`,
          };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return bwrapProbe;
}

let taskCount: { at: number; tasks: number } | undefined;

/**
 * Tasks (processes and threads) the current user runs, refreshed at most once a second. RLIMIT_NPROC
 * counts them all, so without a throwaway uid the limit has to sit above this.
 */
function userTasks(): number {
  const now = Date.now();
  if (taskCount && now - taskCount.at < 1000) return taskCount.tasks;
  const uid = process.getuid?.() ?? -1;
  let tasks = 0;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const status = readFileSync(`/proc/${entry}/status`, 'utf8');
        if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) !== uid) continue;
        tasks += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
      } catch {
        // gone
      }
    }
  } catch {
    tasks = 0;
  }
  taskCount = { at: now, tasks };
  return tasks;
}

function chownTree(path: string, identity: RunIdentity): void {
  chownSync(path, identity.uid, identity.gid);
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), identity);
}

/** Let other users traverse the folders of a template (0711) and read its files (o+r), so that the runs can bind them. */
function chmodTree(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, 0o711);
    for (const entry of readdirSync(path)) chmodTree(join(path, entry));
  } else {
    const mode = stat.mode & 0o777;
    chmodSync(path, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
  }
}

/** Every regular file under a folder, as paths relative to it. */
function listFiles(root: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...listFiles(root, relative));
    else if (entry.isFile()) found.push(relative);
  }
  return found;
}

function safeRelative(name: string): string {
  const normal = normalize(name);
  if (normal.startsWith('..') || normal.startsWith('/') || normal === '.' || normal === '') {
    throw new RewardError('INVALID_INPUT', `file name "${name}" must be relative and stay inside the work dir`);
  }
  return normal;
}

let loggedFallback = false;

/** Warn once per process that programs run without a sandbox (on the logger, or as a process warning when the logger is silent). */
export function warnNoSandbox(logger: Logger, why: string): void {
  if (loggedFallback) return;
  loggedFallback = true;
  const message = `!!! code rewards run generated code WITHOUT A SANDBOX (backend "process": resource limits only, the program can read your files and use the network): ${why}`;
  if (logger === silentLogger) process.emitWarning(message, 'MixrewardSandboxWarning');
  else logger.warn(message);
}

/**
 * The local backends. `bwrap` runs each program in fresh namespaces under resource limits;
 * `process` applies the same resource limits (and, as root, a throwaway uid) but no isolation.
 * A compiled language is compiled once into a template folder; each run gets a fresh copy of it.
 */
export function createLocalBackend(kind: 'bwrap' | 'process', options: LocalBackendOptions = {}): ExecutionBackend {
  const pool = options.pool ?? sharedExecutionPool();
  let root: string | undefined;
  let counter = 0;
  const workRoot = () => {
    if (!root) {
      const made = mkdtempSync(join(options.tempDir ?? tmpdir(), 'mixreward-code-'));
      chmodSync(made, 0o711);
      process.once('exit', () => rmSync(made, { recursive: true, force: true }));
      root = made;
    }
    return root;
  };

  const ready = (): { prlimit: string; bwrap?: string } => {
    let bwrap: string | undefined;
    if (kind === 'bwrap') {
      const probe = probeBwrap(options.searchPath);
      if (!probe.ok) throw new RewardError('SANDBOX_UNAVAILABLE', probe.reason ?? 'bubblewrap is unavailable');
      bwrap = probe.path;
    }
    const prlimit = findTool('prlimit', { check: ['--version'], ...(options.searchPath !== undefined ? { searchPath: options.searchPath } : {}) });
    if (!prlimit) {
      throw new RewardError('SANDBOX_UNAVAILABLE', '`prlimit` (util-linux) is not installed: apt-get install util-linux');
    }
    return { prlimit: prlimit.path, ...(bwrap ? { bwrap } : {}) };
  };

  const execute = async (input: {
    tools: { prlimit: string; bwrap?: string };
    argv: string[];
    roots: string[];
    template: string;
    /** The template's files, relative; bwrap test runs bind them read-only into a fresh tmpfs. */
    files: string[];
    inPlace: boolean;
    stdin: string;
    limits: ExecutionLimits;
    signal?: AbortSignal;
  }): Promise<ExecResult> =>
    pool.use(async (slot) => {
      // Rotate the slot's uids: a run that leaves processes behind leaves zombies (bwrap exits
      // before its namespace's init is reaped; orphans go to the host's init), and until that init
      // reaps them they count against their uid's process limit.
      const identity = slotIdentity(slot.id, slot.turn);
      // As root every run has its own uid, so `processes` is the run's own budget; otherwise the
      // kernel counts all of the user's tasks, and the budget goes on top of them.
      const limits = identity ? input.limits : { ...input.limits, processes: input.limits.processes + userTasks() };
      const common = {
        prlimit: input.tools.prlimit,
        stdin: input.stdin,
        limits,
        ...(identity ? { identity } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      };
      const sandboxed = (work: SandboxWorkDir) =>
        runLimited({
          ...common,
          argv: [input.tools.bwrap as string, ...bwrapArguments({ work, roots: input.roots }), '--json-status-fd', '3', '--', ...input.argv],
          cwd: '/',
          env: { PATH: sandboxPath },
          exitCodeSignals: true,
          killChildrenFirst: true,
          statusFd: true,
        });
      if (kind === 'bwrap' && !input.inPlace) {
        // A fresh tmpfs per run: nothing to copy or clean up on the host, and the disk it can fill is bounded.
        return sandboxed({ tmpfsBytes: limits.diskBytes, files: input.files.map((file) => ({ source: join(input.template, file), target: file })) });
      }
      let dir = input.template;
      if (!input.inPlace) {
        dir = join(workRoot(), `run-${process.pid}-${counter++}`);
        cpSync(input.template, dir, { recursive: true });
      }
      try {
        chmodSync(dir, 0o700);
        if (identity) chownTree(dir, identity);
        if (kind === 'bwrap') return await sandboxed({ bind: dir });
        return await runLimited({ ...common, argv: input.argv, cwd: dir, env: programEnvironment(dir), sweepUid: identity !== undefined });
      } finally {
        // Off the critical path: the slot is free again while the old work dir goes.
        if (!input.inPlace) void rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }
    }, input.signal);

  return {
    name: kind,
    async prepare(program: Program, prepareOptions: PrepareOptions): Promise<PreparedProgram> {
      const tools = ready();
      const spec = program.language;
      const identity = slotIdentity(0);
      const roots = new Set<string>();
      const resolve = (argv: string[], probe: string[] | undefined): string[] => {
        const [head, ...rest] = argv;
        if (head === undefined) throw new RewardError('INVALID_CONFIG', `language ${spec.name} has an empty command`);
        if (head.startsWith('./') || head.startsWith('/')) return argv;
        const tool = requireTool(head, {
          ...(probe ? { probe } : {}),
          ...(spec.check ? { check: spec.check } : {}),
          ...(identity ? { identity } : {}),
          ...(spec.install ? { install: spec.install } : {}),
          language: spec.name,
        });
        for (const toolRoot of tool.roots) roots.add(toolRoot);
        return [tool.path, ...rest];
      };
      const compileArgv = spec.compile ? resolve(spec.compile, undefined) : undefined;
      const runArgv = resolve(spec.run, spec.compile ? undefined : spec.probe);

      const template = join(workRoot(), `program-${process.pid}-${counter++}`);
      mkdirSync(template, { mode: 0o711 });
      for (const [name, content] of Object.entries(program.files)) {
        const target = join(template, safeRelative(name));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
      let disposed = false;
      const dispose = async () => {
        if (disposed) return;
        disposed = true;
        rmSync(template, { recursive: true, force: true });
      };
      let compile: ExecResult | null = null;
      if (compileArgv) {
        try {
          compile = await execute({
            tools,
            argv: compileArgv,
            roots: [...roots],
            template,
            files: [],
            inPlace: true,
            stdin: '',
            limits: prepareOptions.compileLimits,
            ...(prepareOptions.signal ? { signal: prepareOptions.signal } : {}),
          });
        } catch (error) {
          await dispose();
          throw error;
        }
      }
      // Runs (as other uids) bind the template's files: let them traverse and read it. Symlinks a
      // compile step may have made are never bound (that would bind their host targets).
      chmodTree(template);
      const files = listFiles(template);
      return {
        compile,
        run: (input: RunInput) =>
          execute({
            tools,
            argv: runArgv,
            roots: [...roots],
            template,
            files,
            inPlace: false,
            stdin: input.stdin,
            limits: input.limits,
            ...(input.signal ? { signal: input.signal } : {}),
          }),
        dispose,
      };
    },
  };
}
