/** Resource limits of one run (one compile or one test execution). */
export interface ExecutionLimits {
  /** Wall-clock limit in ms (> 0); the whole process group is killed when it passes. */
  timeoutMs: number;
  /** CPU-time limit in whole seconds (>= 1), per process (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Address-space limit in bytes (RLIMIT_AS), per process. */
  memoryBytes: number;
  /** Most processes/threads the run may have at once (RLIMIT_NPROC, enforced per sandbox user), >= 1. */
  processes: number;
  /** Most bytes of stdout + stderr kept; past it the run is killed and fails (`output_limit`). */
  outputBytes: number;
  /** Largest file the run may write, in bytes (RLIMIT_FSIZE). */
  fileBytes: number;
  /** Most open file descriptors per process (RLIMIT_NOFILE). */
  openFiles: number;
  /** Size of the run's work dir in bytes: under bwrap a tmpfs of this size (the program's files plus what it writes). */
  diskBytes: number;
}

/** Defaults for one test execution: 5 s wall, 1 GiB address space, 64 processes, 1 MiB output, 16 MiB files, a 64 MiB work dir. */
export const defaultRunLimits: Readonly<ExecutionLimits> = {
  timeoutMs: 5000,
  cpuSeconds: 6,
  memoryBytes: 1024 * 1024 * 1024,
  processes: 64,
  outputBytes: 1024 * 1024,
  fileBytes: 16 * 1024 * 1024,
  openFiles: 256,
  diskBytes: 64 * 1024 * 1024,
};

/** Defaults for one compile: 20 s wall, 2 GiB address space (g++ needs it), 64 processes, 1 MiB output, 256 MiB files. */
export const defaultCompileLimits: Readonly<ExecutionLimits> = {
  timeoutMs: 20000,
  cpuSeconds: 21,
  memoryBytes: 2 * 1024 * 1024 * 1024,
  processes: 64,
  outputBytes: 1024 * 1024,
  fileBytes: 256 * 1024 * 1024,
  openFiles: 256,
  diskBytes: 512 * 1024 * 1024,
};

/** The `prlimit` arguments that apply these limits to the command that follows them. */
export function prlimitArguments(limits: ExecutionLimits): string[] {
  const whole = (value: number) => String(Math.max(1, Math.floor(value)));
  return [
    `--as=${whole(limits.memoryBytes)}`,
    // Soft below hard, so that the program gets SIGXCPU (read as a timeout) before SIGKILL.
    `--cpu=${whole(limits.cpuSeconds)}:${whole(limits.cpuSeconds + 1)}`,
    `--nproc=${whole(limits.processes)}`,
    `--fsize=${whole(limits.fileBytes)}`,
    `--nofile=${whole(limits.openFiles)}`,
    '--core=0',
  ];
}

/** Limits for a test with its own wall time: the CPU limit follows the wall limit (ceil + 1 s). */
export function withTimeout(limits: ExecutionLimits, timeoutMs: number): ExecutionLimits {
  return { ...limits, timeoutMs, cpuSeconds: Math.ceil(timeoutMs / 1000) + 1 };
}
