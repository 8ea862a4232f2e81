// Runs format.regex inside a worker thread for the ReDoS tests: a pattern that hangs would be
// stopped by the pool's time limit and fail the test, instead of hanging the test process.
import { formatRegexPlugin } from '../format-regex-reward.js';
import { createScorer } from '../plugin.js';

export async function scoreRegex(input: { options: Record<string, unknown>; completion: string }): Promise<{ reward: number | null; status: string; ms: number }> {
  const scorer = await createScorer(formatRegexPlugin, input.options);
  const started = performance.now();
  const [result] = await scorer.score([{ completion: input.completion }], { signal: new AbortController().signal });
  return { reward: result?.reward ?? null, status: result?.status ?? 'missing', ms: performance.now() - started };
}
