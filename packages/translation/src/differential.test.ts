import fc from 'fast-check';
import { naiveSentenceBleu, naiveSentenceChrf, naiveSentenceTer } from '../bench/naive.js';
import { sentenceBleu } from './bleu.js';
import { sentenceChrf } from './chrf.js';
import { sentenceTer } from './ter.js';

// The optimised metrics (integer n-gram keys, banded and cached TER rows) against direct
// transliterations of sacreBLEU's loops (string n-grams, full rows, no cache), on random
// sentences over a small vocabulary so that n-grams repeat and shifts are frequent.
const WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'a', 'dog', 'The', '3.5', '1,000', 'x-ray', 'end.', 'why?', '"quote"', 'l\'eau', 'über', '猫', '👍'];
const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 18 }).map((words) => words.join(' '));
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(1e-9);

test('BLEU equals the naive port', () => {
  fc.assert(
    fc.property(sentence, sentence, (hypothesis, reference) => {
      close(sentenceBleu(hypothesis, reference).score, naiveSentenceBleu(hypothesis, reference));
    }),
    { numRuns: 400, seed: 7 },
  );
});

test('chrF equals the naive port', () => {
  fc.assert(
    fc.property(sentence, sentence, (hypothesis, reference) => {
      close(sentenceChrf(hypothesis, reference).score, naiveSentenceChrf(hypothesis, reference));
    }),
    { numRuns: 400, seed: 7 },
  );
});

test('TER equals the naive port (shifts, beam and candidate limit included)', () => {
  fc.assert(
    fc.property(sentence, sentence, (hypothesis, reference) => {
      close(sentenceTer(hypothesis, reference).score, naiveSentenceTer(hypothesis, reference));
    }),
    { numRuns: 300, seed: 7 },
  );
}, 60_000);

test('TER equals the naive port on long permuted sentences (beam, 50-word shift limit)', () => {
  const long = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 55, maxLength: 70 }).map((ids) => ids.map((id) => `w${id}`));
  fc.assert(
    fc.property(long, fc.integer({ min: 0, max: 1000 }), (words, seed) => {
      const shuffled = [...words];
      for (let index = shuffled.length - 1; index > 0; index--) {
        const other = (seed * 31 + index * 17) % (index + 1);
        [shuffled[index], shuffled[other]] = [shuffled[other] as string, shuffled[index] as string];
      }
      const hypothesis = shuffled.slice(0, Math.max(1, shuffled.length - (seed % 7))).join(' ');
      close(sentenceTer(hypothesis, words.join(' ')).score, naiveSentenceTer(hypothesis, words.join(' ')));
    }),
    { numRuns: 3, seed: 11 },
  );
  // the naive port is slow on 60-word sentences: a generous limit, not a timing assertion
}, 60_000);
