import fc from 'fast-check';
import { temporalIou } from './intervals.js';
import { parseOrder } from './order-reward.js';
import { parseTube } from './tube-reward.js';
import { parseSpans, parserWork } from './span-parse.js';

const pieces = ['0', '12.5', '1:05', '00:01:02.5', ' to ', '-', '–', ' and ', ', ', '[', ']', '(', ')', '{"start": ', '"end": ', 's', ' min ', 'frame ', '<answer>', '</answer>', '<think>', '</think>', '\n', '1. ', 'between ', 'from ', 'until ', ':', '.', '-', '~', ' scenes', ' long'];

describe('parseSpans properties', () => {
  it('never throws and returns finite spans on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const parsed = parseSpans(text, { fps: 25 });
        return parsed.spans.every((span) => Number.isFinite(span.start) && Number.isFinite(span.end));
      }),
      { numRuns: 500 },
    );
  });
  it('never throws on strings built from time syntax', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        const parsed = parseSpans(parts.join(''), { extract: 'anywhere', fps: 10 });
        return parsed.spans.every((span) => Number.isFinite(span.start) && Number.isFinite(span.end));
      }),
      { numRuns: 500 },
    );
  });
  it('reads back any span written as "from S to E seconds"', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (a, b) => {
        const start = a / 100;
        const end = b / 100;
        const spans = parseSpans(`The action lasts a while: from ${start} to ${end} seconds.`).spans;
        return spans.length === 1 && spans[0]?.start === start && spans[0]?.end === end;
      }),
    );
  });
  it('linear time: the work on 100k characters of hostile input is at most a few steps per character', () => {
    const hostile = [
      '1'.repeat(100_000),
      '1-'.repeat(50_000),
      '1:'.repeat(50_000),
      '1:00'.repeat(25_000),
      '<answer>'.repeat(12_500),
      '<think>'.repeat(14_000),
      '<think></think><answer>'.repeat(4_000),
      '</think>'.repeat(12_500),
      '[1, 2] '.repeat(14_000),
      'from 1 to '.repeat(10_000),
      '1 min '.repeat(16_000),
      '1 min and '.repeat(10_000),
      '- '.repeat(50_000),
      '- 1'.repeat(33_000),
      '1\n'.repeat(50_000),
      '1.'.repeat(50_000),
      'a'.repeat(100_000),
      'starts at 1 and '.repeat(6_000),
    ];
    for (const text of hostile) {
      parserWork(true);
      parseSpans(text, { extract: 'anywhere' });
      const anywhere = parserWork(true);
      parseSpans(text);
      const answer = parserWork(true);
      expect(Math.max(anywhere, answer) / text.length).toBeLessThan(12);
    }
  });
  it('fast-check: work per character stays bounded on generated time syntax', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 400 }), (parts) => {
        const text = parts.join('');
        parserWork(true);
        parseSpans(text, { extract: 'anywhere', fps: 10 });
        return parserWork(true) <= 12 * text.length + 10;
      }),
      { numRuns: 300 },
    );
  });
});

describe('temporalIou properties', () => {
  const interval = fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true })).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));
  it('is in [0, 1], symmetric, and 1 on itself', () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 8 }), fc.array(interval, { maxLength: 8 }), (a, b) => {
        const value = temporalIou(a, b);
        const self = temporalIou(a, a);
        const hasLength = a.some(([start, end]) => end > start);
        return value >= 0 && value <= 1 && Math.abs(value - temporalIou(b, a)) < 1e-9 && (!hasLength || Math.abs(self - 1) < 1e-9);
      }),
    );
  });
  it('adding predicted spans outside the reference never raises the IoU', () => {
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 5 }), interval, (predicted, extra) => {
        const reference: Array<[number, number]> = [[200, 210]];
        const shifted: [number, number] = [extra[0] + 300, extra[1] + 300];
        return temporalIou([...predicted, shifted], reference) <= temporalIou(predicted, reference) + 1e-12;
      }),
    );
  });
});

describe('other parsers never throw', () => {
  const orderPieces = ['A', 'B', 'C', 'D', ', ', ' > ', ' then ', '\n', '1. ', '"', '[', ']', 'event ', ' and ', '->', ' '];
  it('parseOrder returns known ids only, each once', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.constantFrom(...orderPieces), { maxLength: 40 }).map((parts) => parts.join(''))), (text) => {
        const parsed = parseOrder(text, ['A', 'B', 'C']);
        return parsed.sequence.every((id) => ['A', 'B', 'C'].includes(id)) && new Set(parsed.sequence).size === parsed.sequence.length;
      }),
      { numRuns: 300 },
    );
  });
  it('parseTube returns whole frame numbers and four numbers per box', () => {
    const tubePieces = ['{', '}', '[', ']', '"12": ', '"frame": 3, ', '"bbox": ', '0, ', '10.5', ', ', 'frame 7: ', '(1, 2, 3, 4)', '\n', "'"];
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.constantFrom(...tubePieces), { maxLength: 40 }).map((parts) => parts.join(''))), (text) => {
        const tube = parseTube(text, [1, 2]);
        return [...tube].every(([frame, box]) => Number.isInteger(frame) && frame >= 0 && box.length === 4);
      }),
      { numRuns: 300 },
    );
  });
});
