// Streaming `score`: rollouts are read line by line, scored in chunks as soon as a chunk is ready and
// written in input order, so memory is bounded by what has to wait, not by the file. Groups stay
// whole: a grouped rollout waits until its group is complete (see groupMode for the rule).
import { groupOf, type Composer, type ProgressEvent, type Registry, type RewardResult, type Rollout, type ValidatedConfig } from '@mixreward/core';
import type { CompiledNode } from '@mixreward/core';
import type { SizedInputLine } from './jsonl.js';
import { outputRecord, type OutputRecord } from './score.js';

/**
 * Whether a config needs whole groups: a `transform` node with `group` (rank, zscore) anywhere in its
 * mix, or a component whose reward is group-scoped (`scope: 'group'`). Without either, grouped
 * rollouts are scored like any other and nothing waits.
 */
export function needsWholeGroups(config: ValidatedConfig, registry: Registry): boolean {
  for (const component of config.components.values()) {
    if (registry.get(component.use).scope === 'group') return true;
  }
  return hasGroupTransform(config.mix);
}

function hasGroupTransform(node: CompiledNode): boolean {
  switch (node.kind) {
    case 'transform':
      return node.options.group !== undefined || hasGroupTransform(node.inner);
    case 'route':
      return [...node.routes.values()].some(hasGroupTransform) || (node.fallback !== undefined && hasGroupTransform(node.fallback));
    case 'gate':
      return hasGroupTransform(node.then) || hasGroupTransform(node.otherwise);
    default:
      return false;
  }
}

/** Progress of a streamed run: the composer's counts over the lines read so far, plus what is held. */
export interface StreamProgress extends ProgressEvent {
  /** Groups started and not yet complete (their members wait). */
  openGroups: number;
  /** Records held in memory: waiting in open groups, in the chunk being filled, or for earlier output. */
  heldRecords: number;
  /** Bytes of input those held records came from (a lower bound of what they cost). */
  heldBytes: number;
}

/** Options of {@link scoreStream}. */
export interface ScoreStreamOptions {
  /** Rollouts per composer call (>= 1). Default 4096. */
  chunkSize?: number;
  /** Input bytes per composer call: a chunk is also released once its lines reach this size (>= 1). Default 16 MiB. */
  chunkBytes?: number;
  /**
   * How grouped rollouts wait: `none` (the config needs no whole groups: nothing waits), `sized`
   * (`groupSizes` gives every group's size, from a first pass over a file: a group is released when
   * its last member is read), `hold` (stdin: a group is held until it reaches `groupSize` or its
   * members' `meta.group_size`, else until the end of the input).
   */
  groups: 'none' | 'sized' | 'hold';
  /** Members of each group, for `sized`. */
  groupSizes?: ReadonlyMap<string, number>;
  /** Members per group, for `hold` (a rollout's `meta.group_size` wins). */
  groupSize?: number;
  /** Called after every chunk and as rollouts finish. */
  onProgress?: (event: StreamProgress) => void;
  /** Cancels the run: reading stops, pending rollouts end `ABORTED`. */
  signal?: AbortSignal;
}

/** What a streamed run did. */
export interface StreamSummary {
  /** Lines read (= records written unless stopped). */
  read: number;
  /** Records written. */
  written: number;
  /** Records written whose rollout was not cut short by a cancel. */
  finished: number;
  /** Most records held at once (see {@link StreamProgress.heldRecords}). */
  peakHeldRecords: number;
  /** Most open groups at once. */
  peakOpenGroups: number;
}

interface Pending {
  position: number;
  line: SizedInputLine;
}

/**
 * First pass over a file for {@link scoreStream}'s `sized` mode: the number of members of every group.
 * Holds one count per group.
 */
export async function countGroups(lines: AsyncIterable<SizedInputLine>): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for await (const line of lines) {
    if ('problem' in line) continue;
    const key = groupOf(line.record as Rollout);
    if (key !== undefined) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return sizes;
}

/**
 * Score a stream of input lines chunk by chunk and hand each output record to `write` in input
 * order. One chunk is scored while the next is read. Bad lines become `error` records naming their
 * line. Memory: the chunk being filled, the chunk being scored, open groups and the results that
 * wait for an earlier position (a group's first member holds back every later result until the
 * group completes).
 */
export async function scoreStream(
  composer: Composer,
  lines: AsyncIterable<SizedInputLine>,
  write: (record: OutputRecord) => void | Promise<void>,
  options: ScoreStreamOptions,
): Promise<StreamSummary> {
  const chunkSize = options.chunkSize ?? 4096;
  const chunkBytes = options.chunkBytes ?? 16 * 1024 * 1024;
  const open = new Map<string, { members: Pending[]; bytes: number }>();
  const waiting = new Map<number, OutputRecord>();
  const counts = { ok: 0, skipped: 0, error: 0, timeout: 0 };
  let ready: Pending[] = [];
  let read = 0;
  let next = 0;
  let finished = 0;
  let openMembers = 0;
  let openBytes = 0;
  let readyBytes = 0;
  let scoringRecords = 0;
  let scoringBytes = 0;
  let waitingBytes = 0;
  const waitingSizes = new Map<number, number>();
  const summary: StreamSummary = { read: 0, written: 0, finished: 0, peakHeldRecords: 0, peakOpenGroups: 0 };

  const held = () => openMembers + ready.length + scoringRecords + waiting.size;
  const progress = (scoredInChunk = 0, chunkCounts?: typeof counts) => {
    const heldRecords = held();
    summary.peakHeldRecords = Math.max(summary.peakHeldRecords, heldRecords);
    summary.peakOpenGroups = Math.max(summary.peakOpenGroups, open.size);
    options.onProgress?.({
      done: next + waiting.size + scoredInChunk,
      total: read,
      counts: chunkCounts ?? { ...counts },
      openGroups: open.size,
      heldRecords,
      heldBytes: openBytes + readyBytes + scoringBytes + waitingBytes,
    });
  };

  const drain = async () => {
    for (let record = waiting.get(next); record !== undefined; record = waiting.get(next)) {
      waiting.delete(next);
      waitingBytes -= waitingSizes.get(next) ?? 0;
      waitingSizes.delete(next);
      next++;
      summary.written++;
      if (record.error?.code !== 'ABORTED') finished++;
      await write(record);
    }
  };

  const scoreChunk = async (chunk: Pending[], bytes: number) => {
    scoringRecords = chunk.length;
    scoringBytes = bytes;
    const usable: Pending[] = [];
    const results = new Map<number, OutputRecord>();
    for (const entry of chunk) {
      if ('problem' in entry.line) {
        results.set(entry.position, { line: entry.line.line, reward: null, status: 'error', reason: entry.line.problem, error: { code: 'INVALID_INPUT' } } as OutputRecord);
        counts.error++;
      } else usable.push(entry);
    }
    const before = { ...counts };
    const scored = usable.length === 0 ? [] : await composer.score(
      usable.map((entry) => (entry.line as { record: unknown }).record),
      {
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (event) => progress(event.done, {
          ok: before.ok + event.counts.ok,
          skipped: before.skipped + event.counts.skipped,
          error: before.error + event.counts.error,
          timeout: before.timeout + event.counts.timeout,
        }),
      },
    );
    usable.forEach((entry, index) => {
      const result = scored[index] as RewardResult;
      results.set(entry.position, outputRecord((entry.line as { record: unknown }).record, result));
      counts[result.status]++;
    });
    for (const entry of chunk) {
      waiting.set(entry.position, results.get(entry.position) as OutputRecord);
      waitingSizes.set(entry.position, entry.line.bytes);
      waitingBytes += entry.line.bytes;
    }
    scoringRecords = 0;
    scoringBytes = 0;
    await drain();
    progress();
  };

  let inFlight: Promise<void> | undefined;
  const release = async (force: boolean) => {
    if (ready.length === 0 || (!force && ready.length < chunkSize && readyBytes < chunkBytes)) return;
    if (inFlight) await inFlight;
    const chunk = ready;
    const bytes = readyBytes;
    ready = [];
    readyBytes = 0;
    inFlight = scoreChunk(chunk, bytes);
    if (force) await inFlight;
  };
  const toReady = (entries: Pending[]) => {
    for (const entry of entries) {
      ready.push(entry);
      readyBytes += entry.line.bytes;
    }
  };

  for await (const line of lines) {
    if (options.signal?.aborted) break;
    const entry: Pending = { position: read++, line };
    const key = options.groups === 'none' || 'problem' in line ? undefined : groupOf(line.record as Rollout);
    if (key === undefined) toReady([entry]);
    else {
      let group = open.get(key);
      if (!group) {
        group = { members: [], bytes: 0 };
        open.set(key, group);
      }
      group.members.push(entry);
      group.bytes += line.bytes;
      openMembers++;
      openBytes += line.bytes;
      const expected = options.groups === 'sized' ? options.groupSizes?.get(key) : declaredSize((line as { record: unknown }).record as Rollout) ?? options.groupSize;
      if (expected !== undefined && group.members.length >= expected) {
        open.delete(key);
        openMembers -= group.members.length;
        openBytes -= group.bytes;
        toReady(group.members);
      }
    }
    summary.peakHeldRecords = Math.max(summary.peakHeldRecords, held());
    summary.peakOpenGroups = Math.max(summary.peakOpenGroups, open.size);
    await release(false);
  }
  if (inFlight) await inFlight;
  // End of input: groups still open are scored as they are (in the order they started).
  const rest = [...open.values()].flatMap((group) => group.members).sort((a, b) => a.position - b.position);
  open.clear();
  openMembers = 0;
  openBytes = 0;
  toReady(rest);
  // One call: the composer's own chunker keeps every group whole.
  await release(true);
  summary.read = read;
  summary.finished = finished;
  return summary;
}

/** A rollout's declared group size (`meta.group_size`), when it is a positive integer. */
function declaredSize(rollout: Rollout): number | undefined {
  const value = (rollout.meta as Record<string, unknown> | undefined)?.group_size;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
