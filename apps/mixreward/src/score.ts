import { createComposer, type Composer, type ProgressEvent, type Registry, type RewardResult, type Rollout, type ValidatedConfig } from '@mixreward/core';
import type { InputLine } from './jsonl.js';

/** A scored output record: the input rollout with the result fields merged in. */
export type OutputRecord = Record<string, unknown> & RewardResult;

/**
 * The output record of a rollout: its own fields, then the result's (a result field replaces the
 * rollout's of the same name), as `{ ...record, ...result }` builds it, about three times faster
 * (`Object.assign` onto an empty object; spread only for a record with an own `__proto__` key,
 * which assignment would turn into the prototype).
 */
export function outputRecord(record: unknown, result: RewardResult): OutputRecord {
  if (typeof record !== 'object' || record === null) return Object.assign({}, result) as OutputRecord;
  if (Object.hasOwn(record, '__proto__')) return { ...(record as Record<string, unknown>), ...result } as OutputRecord;
  return Object.assign({}, record, result) as OutputRecord;
}

/** Options of {@link scoreLines}. */
export interface ScoreLinesOptions {
  /** Called as rollouts finish, with counts over the whole input. */
  onProgress?: (event: ProgressEvent) => void;
  /** Cancels the run. */
  signal?: AbortSignal;
}

/**
 * Score parsed input lines with a composer; bad lines become `error` records naming their line.
 * Every usable rollout goes to one `composer.score` call, whose chunker keeps each group whole
 * wherever its members stand in the file (group `rank`/`zscore` see the full group).
 */
export async function scoreLines(composer: Composer, lines: readonly InputLine[], options: ScoreLinesOptions = {}): Promise<OutputRecord[]> {
  const output: OutputRecord[] = new Array(lines.length);
  const counts = { ok: 0, skipped: 0, error: 0, timeout: 0 };
  let done = 0;
  const usable: { position: number; rollout: Rollout }[] = [];
  lines.forEach((line, position) => {
    if ('problem' in line) {
      output[position] = { line: line.line, reward: null, status: 'error', reason: line.problem, error: { code: 'INVALID_INPUT' } };
      counts.error++;
      done++;
    } else usable.push({ position, rollout: line.record as Rollout });
  });
  const total = lines.length;
  const before = done;
  const beforeCounts = { ...counts };
  const results = await composer.score(
    usable.map((entry) => entry.rollout),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (event) => options.onProgress?.({
        done: before + event.done,
        total,
        counts: {
          ok: beforeCounts.ok + event.counts.ok,
          skipped: beforeCounts.skipped + event.counts.skipped,
          error: beforeCounts.error + event.counts.error,
          timeout: beforeCounts.timeout + event.counts.timeout,
        },
      }),
    },
  );
  usable.forEach((entry, index) => {
    const result = results[index] as RewardResult;
    output[entry.position] = outputRecord(entry.rollout, result);
    counts[result.status]++;
    done++;
  });
  options.onProgress?.({ done, total, counts: { ...counts } });
  return output;
}

/** Make a composer for a validated config with the CLI's settings. */
export function composerFor(config: ValidatedConfig, registry: Registry, options: { concurrency?: number; timeoutMs?: number; chunkSize?: number; mediaDir?: string; logger?: { info(message: string): void; warn(message: string): void } }): Composer {
  return createComposer(config, registry, {
    ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.mediaDir !== undefined ? { mediaDir: options.mediaDir } : {}),
  });
}

/** Per-task summary of scored records: count, mean reward over ok results, status counts, component means. */
export interface TaskSummary {
  /** Records of this task. */
  count: number;
  /** Mean reward over `ok` records; null when there is none. */
  meanReward: number | null;
  /** Records by status. */
  statuses: Record<string, number>;
  /** Mean of each component over the records where it is a number. */
  components: Record<string, number>;
  /** The reason of the first `error`/`timeout` record (with its error code), clipped to 200 characters. */
  firstProblem?: string;
}

/** Summarise scored records by `task` (`(none)` when a record has no task). */
export function summarize(records: readonly OutputRecord[]): Map<string, TaskSummary> {
  const byTask = new Map<string, { count: number; rewardSum: number; okCount: number; statuses: Record<string, number>; sums: Map<string, [number, number]>; firstProblem?: string }>();
  for (const record of records) {
    const task = typeof record.task === 'string' ? record.task : '(none)';
    let entry = byTask.get(task);
    if (!entry) {
      entry = { count: 0, rewardSum: 0, okCount: 0, statuses: {}, sums: new Map() };
      byTask.set(task, entry);
    }
    entry.count++;
    entry.statuses[record.status] = (entry.statuses[record.status] ?? 0) + 1;
    if ((record.status === 'error' || record.status === 'timeout') && entry.firstProblem === undefined) {
      const code = typeof record.error?.code === 'string' ? `[${record.error.code}] ` : '';
      entry.firstProblem = clip(`${code}${record.reason ?? 'no reason given'}`);
    }
    if (record.status === 'ok' && typeof record.reward === 'number') {
      entry.rewardSum += record.reward;
      entry.okCount++;
    }
    for (const [name, value] of Object.entries(record.components ?? {})) {
      if (typeof value !== 'number') continue;
      const sum = entry.sums.get(name) ?? [0, 0];
      sum[0] += value;
      sum[1] += 1;
      entry.sums.set(name, sum);
    }
  }
  const summary = new Map<string, TaskSummary>();
  for (const [task, entry] of [...byTask].sort(([a], [b]) => a.localeCompare(b))) {
    const components: Record<string, number> = {};
    for (const [name, [sum, count]] of entry.sums) components[name] = sum / count;
    summary.set(task, { count: entry.count, meanReward: entry.okCount > 0 ? entry.rewardSum / entry.okCount : null, statuses: entry.statuses, components, ...(entry.firstProblem !== undefined ? { firstProblem: entry.firstProblem } : {}) });
  }
  return summary;
}

/**
 * Warnings for components that gave no rollout a score in a run (skipped or failed every rollout
 * they were computed for), each naming the component, the count and the first reason. That is
 * almost always a field-mapping mistake (no `reference`, a misnamed field).
 */
export function componentWarnings(records: readonly OutputRecord[]): string[] {
  const tracker = componentWarningTracker();
  for (const record of records) tracker.add(record);
  return tracker.warnings();
}

/**
 * {@link componentWarnings} record by record, for a streamed run: `add` each output record as it is
 * written (it keeps one small entry per component, not the records), then `warnings()`.
 */
export function componentWarningTracker(): { add(record: OutputRecord): void; warnings(): string[] } {
  const seen = new Map<string, { computed: number; scored: number; reason: string | undefined }>();
  return {
    add(record) {
      for (const [name, value] of Object.entries(record.components ?? {})) {
        if (name.includes('.')) continue;
        let entry = seen.get(name);
        if (!entry) {
          entry = { computed: 0, scored: 0, reason: undefined };
          seen.set(name, entry);
        }
        entry.computed++;
        if (typeof value === 'number') entry.scored++;
        else entry.reason ??= componentReason(record.reason, name);
      }
    },
    warnings() {
      const warnings: string[] = [];
      for (const [name, entry] of seen) {
        if (entry.computed === 0 || entry.scored > 0) continue;
        warnings.push(
          `component "${name}" skipped or failed all ${entry.computed} rollout${entry.computed === 1 ? '' : 's'} it ran on` +
            `${entry.reason ? ` (first reason: ${entry.reason})` : ''}; check the input's field names (completion, reference, task) and the component's options`,
        );
      }
      return warnings;
    },
  };
}

/** The part of a composed reason that concerns one component (`name: …` or `component name failed: …`). */
function componentReason(reason: string | undefined, name: string): string | undefined {
  if (!reason) return undefined;
  for (const part of reason.split('; ')) {
    if (part.startsWith(`${name}: `)) return clip(part.slice(name.length + 2));
    if (part.startsWith(`component ${name} `) || part.startsWith(`${name} failed`)) return clip(part);
  }
  return undefined;
}

function clip(text: string, length = 200): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
