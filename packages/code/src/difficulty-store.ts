import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RewardError } from '@mixreward/core';

/** Pass statistics of one test. */
export interface TestStats {
  /** Times the test was run (>= 0). */
  attempts: number;
  /** Times it passed (0..attempts). */
  passes: number;
}

/** The saved form of a {@link DifficultyStore}: JSON with a version. */
export interface DifficultySnapshot {
  /** Format version (1). */
  version: 1;
  /** Per problem key, per test index: `[attempts, passes]`. */
  problems: Record<string, Array<[number, number]>>;
}

/** A stable key for a problem: a hash of its tests (so every rollout of one prompt shares statistics). */
export function problemKey(tests: unknown): string {
  return createHash('sha256').update(JSON.stringify(tests)).digest('hex').slice(0, 32);
}

/**
 * Per-test pass statistics that live across batches (VeRPO's difficulty weights). A test's pass
 * rate is estimated with a uniform prior, `(passes + 1) / (attempts + 2)`, and its difficulty
 * weight is `1 - rate`: a test that every rollout passes weighs little, one that few pass weighs
 * much. Save with {@link DifficultyStore.toJSON} / {@link DifficultyStore.save}, restore with
 * {@link DifficultyStore.fromJSON} / {@link DifficultyStore.load}.
 */
export class DifficultyStore {
  private readonly problems = new Map<string, TestStats[]>();

  /** Record one run of a problem's tests: `passed[i]` says whether test i passed (undefined: it did not run). */
  record(key: string, passed: ReadonlyArray<boolean | undefined>): void {
    let stats = this.problems.get(key);
    if (!stats) {
      stats = [];
      this.problems.set(key, stats);
    }
    for (const [index, pass] of passed.entries()) {
      if (pass === undefined) {
        stats[index] ??= { attempts: 0, passes: 0 };
        continue;
      }
      const entry = (stats[index] ??= { attempts: 0, passes: 0 });
      entry.attempts += 1;
      if (pass) entry.passes += 1;
    }
  }

  /** Statistics of test `index` of a problem (zeros when never seen). */
  stats(key: string, index: number): TestStats {
    const entry = this.problems.get(key)?.[index];
    return entry ? { ...entry } : { attempts: 0, passes: 0 };
  }

  /**
   * Difficulty weights of a problem's `count` tests, normalised to sum to 1.
   * @returns weights in [0, 1] summing to 1 (uniform when nothing is known yet)
   */
  weights(key: string, count: number): number[] {
    const raw = Array.from({ length: count }, (_, index) => {
      const { attempts, passes } = this.stats(key, index);
      return 1 - (passes + 1) / (attempts + 2);
    });
    const total = raw.reduce((sum, value) => sum + value, 0);
    return total > 0 ? raw.map((value) => value / total) : raw.map(() => 1 / count);
  }

  /** Number of problems seen. */
  get size(): number {
    return this.problems.size;
  }

  /** The statistics as JSON. */
  toJSON(): DifficultySnapshot {
    const problems: DifficultySnapshot['problems'] = {};
    for (const [key, stats] of this.problems) problems[key] = stats.map((entry) => [entry.attempts, entry.passes]);
    return { version: 1, problems };
  }

  /** A store from {@link DifficultyStore.toJSON}'s output. */
  static fromJSON(snapshot: unknown): DifficultyStore {
    const store = new DifficultyStore();
    const value = snapshot as Partial<DifficultySnapshot> | null;
    if (!value || value.version !== 1 || typeof value.problems !== 'object' || value.problems === null) {
      throw new RewardError('INVALID_INPUT', 'not a difficulty store snapshot (expected {"version": 1, "problems": {...}})');
    }
    for (const [key, stats] of Object.entries(value.problems)) {
      if (!Array.isArray(stats)) throw new RewardError('INVALID_INPUT', `difficulty store entry ${key} is not a list`);
      store.problems.set(
        key,
        stats.map((pair: unknown): TestStats => {
          const [attempts, passes] = Array.isArray(pair) ? (pair as unknown[]) : [];
          if (typeof attempts !== 'number' || typeof passes !== 'number' || !Number.isInteger(attempts) || !Number.isInteger(passes) || passes < 0 || passes > attempts) {
            throw new RewardError('INVALID_INPUT', `difficulty store entry ${key} has a bad [attempts, passes] pair`);
          }
          return { attempts, passes };
        }),
      );
    }
    return store;
  }

  /** Write the statistics to a JSON file (atomically: a temp file then a rename). */
  save(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.toJSON()));
    renameSync(temporary, path);
  }

  /** Read a store saved by {@link DifficultyStore.save}; a missing file gives an empty store. */
  static load(path: string): DifficultyStore {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new DifficultyStore();
      throw new RewardError('INVALID_INPUT', `cannot read the difficulty store ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return DifficultyStore.fromJSON(JSON.parse(text));
    } catch (error) {
      if (RewardError.isInstance(error)) throw error;
      throw new RewardError('INVALID_INPUT', `the difficulty store ${path} is not JSON`, { cause: error });
    }
  }
}
