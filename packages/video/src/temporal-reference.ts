import type { Interval } from './intervals.js';
import { invalidReference } from './reward-common.js';

/** A temporal-grounding reference, validated: spans in seconds, the video length and frame rate when given. */
export interface TemporalReference {
  /** Ground-truth spans `[start_s, end_s]`, each with `0 <= start < end` (clipped to `duration` when given). */
  spans: Array<[number, number]>;
  /** The video length in seconds (> 0), when given. */
  duration?: number;
  /** Frames per second (> 0) for frame-number answers, when given. */
  fps?: number;
}

function isPair(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((item) => typeof item === 'number');
}

/**
 * Validate a temporal reference: `{"spans": [[start_s, end_s], …], "duration"?: s, "fps"?: n}`, a bare
 * list of pairs `[[s, e], …]`, a single pair `[s, e]`, `{"span": [s, e]}`, or a JSON string of any
 * of these. Spans must be finite with `start < end`; with a duration they are clipped to
 * `[0, duration]` and must keep a positive length.
 * @throws RewardError `INVALID_REFERENCE` naming the field at fault
 */
export function parseTemporalReference(raw: unknown): TemporalReference {
  if (typeof raw === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw invalidReference('', `expected {"spans": [[start_s, end_s]]} or JSON of it, got the string ${JSON.stringify(raw.slice(0, 60))}`);
    }
    return parseTemporalReference(parsed);
  }
  if (Array.isArray(raw)) return parseTemporalReference(isPair(raw) ? { spans: [raw] } : { spans: raw });
  if (typeof raw !== 'object' || raw === null) throw invalidReference('', `expected {"spans": [[start_s, end_s]], "duration"?: seconds}, got ${raw === null ? 'null' : typeof raw}`);
  const record = raw as Record<string, unknown>;
  const reference: TemporalReference = { spans: [] };
  for (const key of ['duration', 'fps'] as const) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw invalidReference(`.${key}`, `expected a number > 0, got ${JSON.stringify(value)}`);
    reference[key] = value;
  }
  const list = record.spans ?? (record.span === undefined ? undefined : [record.span]);
  if (!Array.isArray(list)) throw invalidReference('.spans', 'expected a list of [start_s, end_s] pairs');
  if (list.length === 0) throw invalidReference('.spans', 'is empty (a reference needs at least one span)');
  const path = record.spans === undefined ? '.span' : '.spans';
  list.forEach((entry, index) => {
    const where = record.spans === undefined ? path : `${path}[${index}]`;
    if (!isPair(entry) || !entry.every(Number.isFinite)) throw invalidReference(where, `expected [start_s, end_s] (two finite numbers), got ${JSON.stringify(entry)}`);
    let [start, end] = entry;
    if (!(end > start)) throw invalidReference(where, `the end (${end}) must be after the start (${start})`);
    start = Math.max(0, start);
    if (reference.duration !== undefined) end = Math.min(end, reference.duration);
    if (!(end > start)) throw invalidReference(where, `[${entry.join(', ')}] lies outside the video [0, ${reference.duration ?? '∞'}] s`);
    reference.spans.push([start, end]);
  });
  return reference;
}

/** Clip an interval to `[0, duration]` (`[0, ∞)` without one). @internal */
export function clipInterval([start, end]: Interval, duration: number | undefined): [number, number] {
  const limit = duration ?? Number.POSITIVE_INFINITY;
  const clippedStart = Math.min(Math.max(0, start), limit);
  return [clippedStart, Math.max(clippedStart, Math.min(Math.max(0, end), limit))];
}
