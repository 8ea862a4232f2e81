// The CLI's JSONL reader on hostile bytes: invalid UTF-8 is a per-line error naming the line, the
// other lines are read as usual, and nothing is silently replaced by U+FFFD.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readJsonl } from '../../../apps/mixreward/src/jsonl.js';

const line = (text: string) => Buffer.from(`${text}\n`, 'utf8');

function fileWith(...parts: Buffer[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mixreward-jsonl-')), 'input.jsonl');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

test.each([
  ['a lone 0xff byte', Buffer.from([0xff])],
  ['a cut-off three-byte character', Buffer.from([0xe2, 0x82])],
  ['an overlong encoding of "/"', Buffer.from([0xc0, 0xaf])],
  ['an encoded surrogate (CESU-8)', Buffer.from([0xed, 0xa0, 0x80])],
  ['a code point over U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
])('%s inside a string is an error for that line only', async (_name, bad) => {
  const file = fileWith(
    line('{"completion": "first"}'),
    Buffer.concat([Buffer.from('{"completion": "x'), bad, Buffer.from('y"}\n')]),
    line('{"completion": "third"}'),
  );
  // '{"completion": "x' is 17 bytes: the bad sequence starts at byte 17 (0-based).
  const lines = await readJsonl(file);
  expect(lines).toEqual([
    { line: 1, record: { completion: 'first' } },
    { line: 2, problem: expect.stringMatching(/^line 2: not valid UTF-8 \(at byte 17 of the line\); re-encode the file as UTF-8$/) },
    { line: 3, record: { completion: 'third' } },
  ]);
});

test('a character split across stream chunks is decoded whole', async () => {
  const bytes = line('{"completion": "€ and 😀"}');
  const euro = bytes.indexOf(0xe2);
  const stream = Readable.from([bytes.subarray(0, euro + 1), bytes.subarray(euro + 1, euro + 2), bytes.subarray(euro + 2)]);
  await expect(readJsonl('-', stream)).resolves.toEqual([{ line: 1, record: { completion: '€ and 😀' } }]);
});

test('escaped lone surrogates, NUL escapes, a BOM, CRLF and a last line without newline are defined', async () => {
  const file = fileWith(
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from('{"completion": "\\ud800 and \\u0000"}\r\n'),
    line('   '),
    line('[1, 2]'),
    line('{"completion": '),
    Buffer.from('{"completion": "last"}'),
  );
  await expect(readJsonl(file)).resolves.toEqual([
    { line: 1, record: { completion: '\ud800 and \u0000' } },
    { line: 3, problem: 'line 3: expected a JSON object, got a list' },
    { line: 4, problem: expect.stringMatching(/^line 4: not valid JSON/) },
    { line: 5, record: { completion: 'last' } },
  ]);
});
