import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { RewardError, toRollout } from '@mixreward/core';

/** One input line: a parsed record, or the problem with the line. */
export type InputLine = { line: number; record: unknown } | { line: number; problem: string };

/** An input line with its length in bytes (what holding it costs, roughly), as {@link streamJsonl} yields it. */
export type SizedInputLine = InputLine & { bytes: number };

/** Longest input line accepted, in characters (64 MiB); longer lines become per-line errors. */
export const maxLineLength = 64 * 1024 * 1024;

const newline = 0x0a;

/**
 * Read a JSONL source (a file path, or `-` for stdin) line by line. Blank lines are skipped; a line
 * that is not valid UTF-8 or not a JSON object becomes a problem naming its line number (bytes are
 * never silently replaced by U+FFFD). A UTF-8 byte order mark and CRLF line ends are accepted.
 */
export async function readJsonl(source: string, stdin: Readable = process.stdin): Promise<InputLine[]> {
  const lines: InputLine[] = [];
  for await (const { bytes: _bytes, ...line } of streamJsonl(source, stdin)) lines.push(line as InputLine);
  return lines;
}

/**
 * Read a JSONL source line by line as {@link readJsonl} does, yielding each line as it is read, so
 * a file of any size is read in bounded memory (one line and one read buffer of 64 KiB at a time).
 */
export async function* streamJsonl(source: string, stdin: Readable = process.stdin): AsyncGenerator<SizedInputLine> {
  const stream = source === '-' ? stdin : createReadStream(source);
  const opened = new Promise<void>((resolve, reject) => {
    if (source === '-') return resolve();
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) => reject(new RewardError('INVALID_INPUT', `cannot read input ${source}: ${error.code ?? error.message}`, { cause: error })));
  });
  await opened;
  let lines: SizedInputLine[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let number = 0;
  const handle = (bytes: Buffer) => {
    number++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      lines.push({ line: number, problem: `line ${number}: not valid UTF-8 (at byte ${firstInvalidByte(bytes)} of the line); re-encode the file as UTF-8`, bytes: bytes.length });
      return;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    if (text.length > maxLineLength) {
      lines.push({ line: number, problem: `line ${number}: ${text.length} characters, over the ${maxLineLength}-character limit`, bytes: bytes.length });
      return;
    }
    try {
      const record = JSON.parse(text);
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        lines.push({ line: number, problem: `line ${number}: expected a JSON object, got ${Array.isArray(record) ? 'a list' : typeof record}`, bytes: bytes.length });
      } else lines.push({ line: number, record: toRollout(record), bytes: bytes.length });
    } catch (error) {
      lines.push({ line: number, problem: `line ${number}: not valid JSON (${(error as Error).message})`, bytes: bytes.length });
    }
  };
  let pending: Buffer[] = [];
  for await (const raw of stream) {
    const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : (raw as Buffer);
    let start = 0;
    let end = chunk.indexOf(newline, start);
    while (end !== -1) {
      pending.push(chunk.subarray(start, end));
      handle(pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending));
      pending = [];
      start = end + 1;
      end = chunk.indexOf(newline, start);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    if (lines.length > 0) {
      yield* lines;
      lines = [];
    }
  }
  if (pending.length > 0) handle(Buffer.concat(pending));
  yield* lines;
}

/** The offset of the byte sequence where a line stops being valid UTF-8, for the error message. */
function firstInvalidByte(bytes: Buffer): number {
  const valid = longestValidPrefix(bytes);
  // The prefix may end inside the bad sequence (after its lead byte and continuation bytes): back up to its start.
  let start = valid - 1;
  while (start >= 0 && valid - start < 4 && ((bytes[start] as number) & 0xc0) === 0x80) start--;
  return start >= 0 && (bytes[start] as number) >= 0xc0 ? start : valid;
}

function longestValidPrefix(bytes: Buffer): number {
  let low = 0;
  let high = bytes.length;
  // Bisection: a prefix that ends inside a character counts as valid (stream mode), so validity
  // only shrinks as the prefix grows.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (isValidPrefix(bytes.subarray(0, middle))) low = middle;
    else high = middle - 1;
  }
  return low;
}

function isValidPrefix(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}
