import { readFileSync } from 'node:fs';
import { loadComputeEngine } from './cas.js';
import { verifyAnswer, verifyWithoutCas, type VerifyInput } from './verify.js';

beforeAll(() => loadComputeEngine(), 60_000);

interface Pairs {
  templates: string[];
  pairs: { category: string; reference: string; answer: string; expected: 0 | 1 }[];
}

// The corpus wraps each equivalence pair in one rotating completion template; here every pair
// meets every template, so extraction and equivalence are checked together.
const { templates, pairs } = JSON.parse(readFileSync(new URL('./__fixtures__/verify-pairs.json', import.meta.url), 'utf8')) as Pairs;

test('the pairs cover both verdicts', () => {
  expect(pairs.length).toBeGreaterThan(250);
  expect(new Set(pairs.map((entry) => entry.expected))).toEqual(new Set([0, 1]));
});

describe.each(templates.map((template, index) => [index, template] as const))('template %i: %j', (_, template) => {
  test.each(pairs.map((entry) => [entry.category, entry.reference, entry.answer, entry.expected] as const))('%s: %j vs %j → %j', async (_category, reference, answer, expected) => {
    const outcome = await verifyAnswer({ reference, completion: template.replace('%s', answer) });
    expect({ reward: outcome.reward, reason: outcome.reason }).toEqual({ reward: expected, reason: outcome.reason });
  });
});

test('without the CAS: the same outcome as verifyAnswer for every pair, template and corpus entry, or a request for the CAS exactly where verifyAnswer used it', async () => {
  const corpus = JSON.parse(readFileSync(new URL('./__fixtures__/verify-corpus.json', import.meta.url), 'utf8')) as VerifyInput[];
  const inputs: VerifyInput[] = [
    ...templates.flatMap((template) => pairs.map((entry) => ({ reference: entry.reference, completion: template.replace('%s', entry.answer) }))),
    ...corpus.map(({ reference, completion, settings, prompt }) => ({ reference, completion, ...(settings ? { settings } : {}), ...(prompt === undefined ? {} : { prompt }) })),
  ];
  let asked = 0;
  for (const input of inputs) {
    const full = await verifyAnswer(input);
    const fast = verifyWithoutCas(input);
    if ('needsCas' in fast) {
      asked++;
      expect(full.usedCas).toBe(true);
      expect(fast.elapsedMs).toBeGreaterThanOrEqual(0);
    } else expect(fast).toEqual(full);
  }
  expect(asked).toBeGreaterThan(0);
});
