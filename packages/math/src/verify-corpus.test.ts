import { readFileSync } from 'node:fs';
import { loadComputeEngine } from './cas.js';
import { verifyAnswer, type VerifySettings } from './verify.js';

// The CAS loads once (slowly on a busy machine) before the cases that need it.
beforeAll(() => loadComputeEngine(), 60_000);

interface CorpusCase {
  category: string;
  reference: string;
  completion: string;
  expected: 0 | 1 | 'skipped';
  note?: string;
  /** Settings other than the defaults, for cases of an option. */
  settings?: Partial<VerifySettings>;
  /** The rollout's prompt, for cases that need it. */
  prompt?: string;
}

const corpus = JSON.parse(readFileSync(new URL('./__fixtures__/verify-corpus.json', import.meta.url), 'utf8')) as CorpusCase[];

test('the corpus has at least 400 cases and both verdicts in every category', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(400);
  const verdicts = new Map<string, Set<string>>();
  for (const entry of corpus) verdicts.set(entry.category, (verdicts.get(entry.category) ?? new Set()).add(String(entry.expected)));
  for (const [category, seen] of verdicts) {
    if (category === 'unusable-reference') expect([...seen]).toEqual(['skipped']);
    else expect({ category, both: seen.has('0') && seen.has('1') }).toEqual({ category, both: true });
  }
});

describe.each([...new Set(corpus.map((entry) => entry.category))])('%s', (category) => {
  const entries = corpus.filter((entry) => entry.category === category);
  test.each(entries.map((entry) => [entry.reference, entry.completion, entry.expected, entry.settings ?? {}, entry.prompt] as const))('%j vs %j → %j %j', async (reference, completion, expected, settings, prompt) => {
    const outcome = await verifyAnswer({ reference, completion, settings, ...(prompt === undefined ? {} : { prompt }) });
    if (expected === 'skipped') {
      expect(outcome.status).toBe('skipped');
      expect(outcome.reward).toBeNull();
    } else {
      expect({ reward: outcome.reward, status: outcome.status, reason: outcome.reason }).toEqual({ reward: expected, status: 'ok', reason: outcome.reason });
    }
  });
});
