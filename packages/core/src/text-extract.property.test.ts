// Properties of the text extractors (fast-check): they never throw on any input, stay linear, and
// the last tag's content round-trips.
import fc from 'fast-check';
import { answerText, lastTagContent, promptText, referenceText } from './text-extract.js';

const noTag = (tag: string) => fc.string({ unit: 'binary', maxLength: 200 }).filter((text) => !text.includes(`<${tag}>`) && !text.includes(`</${tag}>`));

describe('text extractor properties', () => {
  test('round trip: the content of the last <answer> block is what was written there', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), noTag('answer'), noTag('answer'), (before, content, after) => {
      const completion = `${before}<answer>${content}</answer>${after}`;
      expect(lastTagContent(completion, 'answer')).toBe(content);
      expect(answerText(completion)).toBe(content);
    }), { numRuns: 1_000 });
  });

  test('without a closing tag there is no tag content, and answerText is the whole completion', () => {
    fc.assert(fc.property(noTag('answer'), (text) => {
      expect(lastTagContent(text, 'answer')).toBeUndefined();
      expect(answerText(text)).toBe(text);
    }), { numRuns: 500 });
  });

  test('answerText is always a substring of the completion, for any text and tag', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 8 }), (text, tag) => {
      expect(text.includes(answerText(text, tag))).toBe(true);
    }), { numRuns: 1_000 });
  });

  test('promptText and referenceText take any value without throwing; numbers round-trip', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 4, withBoxedValues: true, withMap: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true }), (value) => {
      const all = promptText(value);
      const last = promptText(value, { messages: 'lastUser' });
      expect(all === undefined || typeof all === 'string').toBe(true);
      expect(last === undefined || typeof last === 'string').toBe(true);
      const reference = referenceText(value);
      expect(reference === undefined || typeof reference === 'string').toBe(true);
    }), { numRuns: 1_000 });
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
      expect(Number(referenceText(value))).toBe(value === 0 ? 0 : value);
    }), { numRuns: 500 });
  });
});
