import { readFileSync } from 'node:fs';
import { loadComputeEngine } from './cas.js';
import { verifyAnswer } from './verify.js';

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
