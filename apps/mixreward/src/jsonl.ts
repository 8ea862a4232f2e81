import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { RewardError, toRollout } from '@mixreward/core';

/** One input line: a parsed record, or the problem with the line. */
export type InputLine = { line: number; record: unknown } | { line: number; problem: string };

/** Longest input line accepted, in characters (64 MiB); longer lines become per-line errors. */
export const maxLineLength = 64 * 1024 * 1024;

/**
 * Read a JSONL source (a file path, or `-` for stdin) line by line. Blank lines are skipped; a line
 * that is not a JSON object becomes a problem naming its line number.
 */
export async function readJsonl(source: string, stdin: Readable = process.stdin): Promise<InputLine[]> {
  const stream = source === '-' ? stdin : createReadStream(source, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    if (source === '-') return resolve();
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) => reject(new RewardError('INVALID_INPUT', `cannot read input ${source}: ${error.code ?? error.message}`, { cause: error })));
  });
  await opened;
  const lines: InputLine[] = [];
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  for await (const text of reader) {
    number++;
    if (text.trim() === '') continue;
    if (text.length > maxLineLength) {
      lines.push({ line: number, problem: `line ${number}: ${text.length} characters, over the ${maxLineLength}-character limit` });
      continue;
    }
    try {
      const record = JSON.parse(text);
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        lines.push({ line: number, problem: `line ${number}: expected a JSON object, got ${Array.isArray(record) ? 'a list' : typeof record}` });
      } else lines.push({ line: number, record: toRollout(record) });
    } catch (error) {
      lines.push({ line: number, problem: `line ${number}: not valid JSON (${(error as Error).message})` });
    }
  }
  return lines;
}
