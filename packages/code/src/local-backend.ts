import { chmod, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RewardError } from '@mixreward/core';
import type { ExecutionBackend, PreparedProgram, Program, PrepareOptions, RunInput } from './backend.js';
import { type SandboxWorkDir, bwrapArguments, probeBwrap, programEnvironment, sandboxPath } from './bwrap.js';
import { type ExecResult, runLimited } from './exec.js';
import type { ExecutionLimits } from './limits.js';
import { type ExecutionPool, sharedExecutionPool, slotIdentity } from './pool.js';
import { findTool, requireTool } from './tools.js';
import { userTasks } from './user-tasks.js';
import { chownTree, createWorkDirs, listFiles, openTree } from './work-dirs.js';

/** Options of the local backends (`bwrap` and `process`). */
export interface LocalBackendOptions {
  /** Slots shared by all runs; default: the process-wide pool sized to the machine. */
  pool?: ExecutionPool;
  /** Folder under which work dirs are made; default: the OS temp dir. */
  tempDir?: string;
  /** PATH searched for `bwrap` and `prlimit`; default the process's PATH. */
  searchPath?: string;
  /** The bwrap executable (absolute path); default `bwrap` on `searchPath`. */
  bwrapPath?: string;
}

interface Tools {
  prlimit: string;
  bwrap?: string;
}

/**
 * The local backends. `bwrap` runs each program in fresh namespaces under resource limits;
 * `process` applies the same resource limits (and, as root, a throwaway uid) but no isolation:
 * use it only where the code is trusted. A compiled language is compiled once into a template
 * folder; each run gets the template's files in a fresh work dir.
 * @param kind `bwrap` (sandboxed) or `process` (limits only)
 */
export function createLocalBackend(kind: 'bwrap' | 'process', options: LocalBackendOptions = {}): ExecutionBackend {
  const pool = options.pool ?? sharedExecutionPool();
  const workDirs = createWorkDirs(options.tempDir);

  const ready = async (): Promise<Tools> => {
    let bwrap: string | undefined;
    if (kind === 'bwrap') {
      const probe = await probeBwrap({
        ...(options.bwrapPath !== undefined ? { bwrapPath: options.bwrapPath } : {}),
        ...(options.searchPath !== undefined ? { searchPath: options.searchPath } : {}),
      });
      if (!probe.ok) throw new RewardError('SANDBOX_UNAVAILABLE', probe.reason ?? 'bubblewrap is unavailable');
      bwrap = probe.path;
    }
    const prlimit = findTool('prlimit', { check: ['--version'], ...(options.searchPath !== undefined ? { searchPath: options.searchPath } : {}) });
    if (!prlimit) {
      throw new RewardError('SANDBOX_UNAVAILABLE', '`prlimit` (util-linux) is not installed: apt-get install util-linux');
    }
    return { prlimit: prlimit.path, ...(bwrap ? { bwrap } : {}) };
  };

  const execute = (input: {
    tools: Tools;
    argv: string[];
    roots: string[];
    template: string;
    /** The template's files, relative; bwrap test runs bind them read-only into a fresh tmpfs. */
    files: string[];
    /** Run in the template itself (a compile, whose output stays there). */
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
      const limits = identity ? input.limits : { ...input.limits, processes: input.limits.processes + (await userTasks()) };
      const common = {
        prlimit: input.tools.prlimit,
        stdin: input.stdin,
        limits,
        ...(identity ? { identity } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      };
      const sandboxed = (bwrap: string, work: SandboxWorkDir) =>
        runLimited({
          ...common,
          argv: [bwrap, ...bwrapArguments({ work, roots: input.roots }), '--json-status-fd', '3', '--', ...input.argv],
          cwd: '/',
          env: { PATH: sandboxPath },
          exitCodeSignals: true,
          killChildrenFirst: true,
          statusFd: true,
        });
      const bwrap = input.tools.bwrap;
      if (bwrap !== undefined && !input.inPlace) {
        // A fresh tmpfs per run: nothing to copy or clean up on the host, and the disk it can fill is bounded.
        return sandboxed(bwrap, { tmpfsBytes: limits.diskBytes, files: input.files.map((file) => ({ source: join(input.template, file), target: file })) });
      }
      const dir = input.inPlace ? input.template : await workDirs.copy(input.template);
      try {
        await chmod(dir, 0o700);
        if (identity) await chownTree(dir, identity);
        if (bwrap !== undefined) return await sandboxed(bwrap, { bind: dir });
        return await runLimited({ ...common, argv: input.argv, cwd: dir, env: programEnvironment(dir), sweepUid: identity !== undefined });
      } finally {
        // Off the critical path: the slot is free again while the old work dir goes.
        if (!input.inPlace) void rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }
    }, input.signal);

  return {
    name: kind,
    async prepare(program: Program, prepareOptions: PrepareOptions): Promise<PreparedProgram> {
      const tools = await ready();
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

      const template = await workDirs.template(program.files);
      let disposed = false;
      const dispose = async () => {
        if (disposed) return;
        disposed = true;
        await rm(template, { recursive: true, force: true });
      };
      let compile: ExecResult | null = null;
      let files: string[];
      try {
        if (compileArgv) {
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
        }
        // Runs (as other uids) bind the template's files: let them traverse and read it. Symlinks a
        // compile step may have made are never bound (that would bind their host targets).
        await openTree(template);
        files = await listFiles(template);
      } catch (error) {
        await dispose();
        throw error;
      }
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
