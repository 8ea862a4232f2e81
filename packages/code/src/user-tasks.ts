import { readFile, readdir } from 'node:fs/promises';

let cached: { at: number; tasks: Promise<number> } | undefined;

/**
 * Tasks (processes and threads) the current user runs, read from /proc at most once a second.
 * RLIMIT_NPROC counts them all, so without a throwaway uid a run's process limit has to sit above
 * this. 0 where /proc cannot be read.
 * @internal
 */
export function userTasks(): Promise<number> {
  const now = Date.now();
  if (cached && now - cached.at < 1000) return cached.tasks;
  cached = { at: now, tasks: countTasks(process.getuid?.() ?? -1) };
  return cached.tasks;
}

async function countTasks(uid: number): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return 0;
  }
  const counts = await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        try {
          const status = await readFile(`/proc/${entry}/status`, 'utf8');
          if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) !== uid) return 0;
          return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
        } catch {
          return 0; // gone
        }
      }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
