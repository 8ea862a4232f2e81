// Properties of the tag checker (fast-check): any text gives a score in [0, 1] without throwing;
// a completion built from the template passes; any text outside the tags fails.
import fc from 'fast-check';
import { checkTags } from './format-tags-reward.js';

const tagFree = fc.string({ unit: 'binary', maxLength: 100 }).filter((text) => !/<\/?(think|answer)>/.test(text));
const content = tagFree.filter((text) => text.trim() !== '');
const blank = fc.stringMatching(/^[ \n\t]{0,4}$/);

describe('format.tags checker properties', () => {
  test('any text: score in [0, 1], passed exactly when every check passed, never a throw', () => {
    const pieces = fc.constantFrom('<think>', '</think>', '<answer>', '</answer>', 'x', ' ', '\n', '<', '>', '/');
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join(''))), (text) => {
      const check = checkTags(text);
      expect(check.score).toBeGreaterThanOrEqual(0);
      expect(check.score).toBeLessThanOrEqual(1);
      expect(check.passed).toBe(check.score === 1 && check.problems.length === 0);
      expect(check.wellFormed).toBeGreaterThanOrEqual(0);
      expect(check.wellFormed).toBeLessThanOrEqual(2);
    }), { numRuns: 2_000 });
  });

  test('built from the template (whitespace around and between allowed): passes', () => {
    fc.assert(fc.property(blank, content, blank, content, blank, (lead, think, middle, answer, trail) => {
      expect(checkTags(`${lead}<think>${think}</think>${middle}<answer>${answer}</answer>${trail}`).passed).toBe(true);
    }), { numRuns: 1_000 });
  });

  test('non-whitespace text outside the tags, a swapped order or an empty block: fails', () => {
    const outside = tagFree.filter((text) => text.trim() !== '');
    fc.assert(fc.property(content, content, outside, fc.integer({ min: 0, max: 2 }), (think, answer, extra, where) => {
      const parts = [`<think>${think}</think>`, `<answer>${answer}</answer>`];
      parts.splice(where, 0, extra);
      expect(checkTags(parts.join('')).passed).toBe(false);
      expect(checkTags(`<answer>${answer}</answer><think>${think}</think>`).passed).toBe(false);
      expect(checkTags(`<think> </think><answer>${answer}</answer>`).passed).toBe(false);
    }), { numRuns: 1_000 });
  });
});
