import { startStandIn, tokenVerdict } from './__fixtures__/stand-in-server.js';
import { createJudgeVerifyReward, retryAfterMs } from './index.js';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

test('retryAfterMs reads retry-after-ms, Retry-After seconds and an HTTP date; nothing readable is undefined', () => {
  expect(retryAfterMs(headers({ 'retry-after-ms': '250' }))).toBe(250);
  expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
  expect(retryAfterMs(headers({ 'retry-after': 'Sun, 06 Dec 2026 01:00:10 GMT' }), Date.parse('Sun, 06 Dec 2026 01:00:00 GMT'))).toBe(10_000);
  expect(retryAfterMs(headers({ 'retry-after': 'Sun, 06 Dec 2026 01:00:00 GMT' }), Date.parse('Sun, 06 Dec 2026 01:00:05 GMT'))).toBe(0);
  expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
  expect(retryAfterMs(headers({}))).toBeUndefined();
  expect(retryAfterMs(undefined)).toBeUndefined();
});

test('tokens_per_minute holds back a request whose estimated tokens the bucket lacks', async () => {
  const stand = await startStandIn(() => tokenVerdict('yes', 0.9));
  try {
    // Each request is ~190 prompt tokens (characters / 4) + 16 max_tokens; a 300-token bucket holds one.
    const scorer = await createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'judge-1', tokens_per_minute: 300, deadline_ms: 300 });
    const results = await scorer.score(
      [
        { completion: '\\boxed{7}', reference: '7.0' },
        { completion: '\\boxed{8}', reference: '8.0' },
      ],
      { signal: new AbortController().signal },
    );
    expect(results.map((result) => result.status).sort()).toEqual(['ok', 'timeout']);
    expect(stand.received).toHaveLength(1);
  } finally {
    await stand.close();
  }
});

test('a cancelled run is ABORTED, not a wrong answer', async () => {
  const stand = await startStandIn(() => ({ ...tokenVerdict('yes', 0.9), delay_ms: 2_000 }));
  try {
    const scorer = await createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'judge-1' });
    const controller = new AbortController();
    const pending = scorer.score([{ completion: '\\boxed{7}', reference: '7.0' }], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const [result] = await pending;
    expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'ABORTED' } });
  } finally {
    await stand.close();
  }
});
