import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rollout } from '@mixreward/core';
import { startStandIn, tokenVerdict, type Script, type StandIn } from './__fixtures__/stand-in-server.js';
import { createJudgeVerifyReward, type JudgeVerifyOptions } from './index.js';

const signal = new AbortController().signal;
let server: StandIn | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function judge(script: (index: number) => Script, options: Partial<JudgeVerifyOptions> = {}): Promise<{ stand: StandIn; score: (rollouts: Rollout[]) => ReturnType<Awaited<ReturnType<typeof createJudgeVerifyReward>>['score']> }> {
  const stand = await startStandIn((_, index) => script(index));
  server = stand;
  const scorer = await createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'judge-1', retry_base_ms: 1, ...options });
  return { stand, score: (rollouts) => scorer.score(rollouts, { signal }) };
}

const math: Rollout = { prompt: 'What is 6 times 7?', completion: '<think>6*7 ... maybe 41? no, 42</think>So the product is \\boxed{42}.', reference: '42.0' };

describe('judge.verify verdicts', () => {
  test('a yes with logprobs is reward 1 with P(yes) = 0.8; the judge saw the question, the reference and only the extracted answer', async () => {
    const { stand, score } = await judge(() => tokenVerdict('yes', 0.8));
    const [result] = await score([math]);
    expect(result).toMatchObject({ status: 'ok', reward: 1, components: { verdict: 1 } });
    expect(result?.components?.p_yes).toBeCloseTo(0.8, 10);
    expect(stand.received).toHaveLength(1);
    const request = stand.received[0];
    const user = request?.messages[1]?.content ?? '';
    expect(user).toContain('What is 6 times 7?');
    expect(user).toContain('<reference_answer>\n42.0\n</reference_answer>');
    expect(user).toContain('<candidate_answer>\n42\n</candidate_answer>');
    expect(user).not.toContain('maybe 41');
    expect(request).toMatchObject({ model: 'judge-1', temperature: 0, logprobs: true, top_logprobs: 5, authorization: 'Bearer EMPTY' });
  });

  test('a no is an ok result with reward 0, never an error', async () => {
    const { score } = await judge(() => tokenVerdict('no', 0.1));
    const [result] = await score([math]);
    expect(result).toMatchObject({ status: 'ok', reward: 0, reason: 'the judge said no (P(yes) = 0.100)' });
  });

  test('reward_from p_yes gives P(yes) itself: 0.3 / (0.3 + 0.6)', async () => {
    const { score } = await judge(() => ({ content: 'No', logprobs: [{ token: 'No', logprob: Math.log(0.6), top: [{ token: 'No', logprob: Math.log(0.6) }, { token: ' yes', logprob: Math.log(0.3) }, { token: 'maybe', logprob: Math.log(0.1) }] }] }), { reward_from: 'p_yes' });
    const [result] = await score([math]);
    expect(result?.reward).toBeCloseTo(1 / 3, 10);
    expect(result?.components?.verdict).toBe(0);
  });

  test('without logprobs P(yes) is null and the verdict stands', async () => {
    const { stand, score } = await judge(() => ({ content: '**Yes.**' }), { logprobs: false });
    const [result] = await score([math]);
    expect(result).toMatchObject({ status: 'ok', reward: 1, components: { verdict: 1, p_yes: null } });
    expect(stand.received[0]?.logprobs).toBeUndefined();
  });

  test('json_schema asks for structured output and reads {"verdict": …}', async () => {
    const { stand, score } = await judge(() => ({ content: '{"verdict": "yes"}' }), { verdict_format: 'json_schema' });
    const [result] = await score([math]);
    expect(result).toMatchObject({ status: 'ok', reward: 1 });
    expect(stand.received[0]?.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema: { type: 'object', properties: { verdict: { type: 'string', enum: ['yes', 'no'] } }, required: ['verdict'], additionalProperties: false } } });
  });

  test('the math template is CompassVerifier-style equivalence; a custom template fills placeholders once', async () => {
    const first = await judge(() => tokenVerdict('yes', 0.9), { template: 'math' });
    await first.score([math]);
    expect(first.stand.received[0]?.messages[0]?.content).toContain('mathematically equivalent');
    await first.stand.close();
    const custom = await judge(() => tokenVerdict('yes', 0.9), { template: { user: 'Q={question} R={reference} A={answer}' }, answer_source: 'completion' });
    await custom.score([{ prompt: 'q?', completion: 'x {reference} y', reference: 'r' }]);
    expect(custom.stand.received[0]?.messages).toEqual([
      { role: 'system', content: 'Reply with exactly one word: "yes" if the candidate answer is correct, "no" otherwise. No explanation.' },
      { role: 'user', content: 'Q=q? R=r A=x {reference} y' },
    ]);
  });

  test('swap_check asks again with the answer first; disagreement counts as no', async () => {
    const { stand, score } = await judge((index) => tokenVerdict(index === 0 ? 'yes' : 'no', index === 0 ? 0.7 : 0.4), { swap_check: true });
    const [result] = await score([math]);
    expect(result).toMatchObject({ status: 'ok', reward: 0, components: { verdict: 0, swapped_verdict: 0, agreement: 0 } });
    const swapped = stand.received[1]?.messages[1]?.content ?? '';
    expect(swapped.indexOf('<candidate_answer>')).toBeLessThan(swapped.indexOf('<reference_answer>'));
  });

  test('an answer that is the reference verbatim scores 1 without a call', async () => {
    const { stand, score } = await judge(() => tokenVerdict('no', 0.1));
    const [result] = await score([{ completion: 'The answer is 42.', reference: '42' }]);
    expect(result).toMatchObject({ status: 'ok', reward: 1 });
    expect(stand.received).toHaveLength(0);
  });

  test('answers over max_answer_chars are cut, keeping the end', async () => {
    const { stand, score } = await judge(() => tokenVerdict('no', 0.2), { answer_source: 'completion', max_answer_chars: 10 });
    await score([{ completion: 'abcdefghij0123456789', reference: '7' }]);
    expect(stand.received[0]?.messages[1]?.content).toContain('<candidate_answer>\n[… 10 characters cut]\n0123456789\n</candidate_answer>');
  });
});

describe('judge.verify references', () => {
  test('no reference is skipped and nothing is sent; a wrong-shaped one is INVALID_REFERENCE', async () => {
    const { stand, score } = await judge(() => tokenVerdict('yes', 0.9));
    const [missing, wrong] = await score([{ completion: '42' }, { completion: '42', reference: { boxes: [1] } }]);
    expect(missing).toMatchObject({ status: 'skipped', reward: null, reason: 'no reference: judge.verify needs rollout.reference (the answer, a string or number)' });
    expect(wrong).toMatchObject({ status: 'error', reward: null, error: { code: 'INVALID_REFERENCE' } });
    expect(stand.received).toHaveLength(0);
  });
});

describe('judge.verify faults are errors, never reward 0', () => {
  test('a 429 with Retry-After is waited out and retried (the backoff alone would be 60 s)', async () => {
    const { stand, score } = await judge((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : tokenVerdict('yes', 0.9)), { retry_base_ms: 60_000, retry_max_ms: 60_000 });
    const [result] = await score([math]);
    expect(result).toMatchObject({ status: 'ok', reward: 1 });
    expect(stand.received).toHaveLength(2);
  });

  test('500s are retried; when retries run out the result is MODEL_UNAVAILABLE', async () => {
    const recovering = await judge((index) => (index < 2 ? { status: 500 } : tokenVerdict('yes', 0.9)), { max_retries: 2 });
    expect((await recovering.score([math]))[0]).toMatchObject({ status: 'ok', reward: 1 });
    expect(recovering.stand.received).toHaveLength(3);
    await recovering.stand.close();
    const down = await judge(() => ({ status: 503 }), { max_retries: 2 });
    const [result] = await down.score([math]);
    expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'MODEL_UNAVAILABLE' } });
    expect(result?.reason).toContain('gave up after 3 attempts (last: HTTP 503');
    expect(down.stand.received).toHaveLength(3);
  });

  test('a 401 is not retried', async () => {
    const { stand, score } = await judge(() => ({ status: 401 }));
    const [result] = await score([math]);
    expect(result).toMatchObject({ status: 'error', error: { code: 'MODEL_UNAVAILABLE' } });
    expect(result?.reason).toContain('HTTP 401');
    expect(stand.received).toHaveLength(1);
  });

  test('a slow server: each attempt times out and is retried; past deadline_ms the result is timeout', async () => {
    const slow = await judge(() => ({ ...tokenVerdict('yes', 0.9), delay_ms: 3_000 }), { timeout_ms: 50, max_retries: 1 });
    const [result] = await slow.score([math]);
    expect(result).toMatchObject({ status: 'error', error: { code: 'MODEL_UNAVAILABLE' } });
    expect(result?.reason).toContain('gave up after 2 attempts');
    expect(slow.stand.received).toHaveLength(2);
    await slow.stand.close();
    const late = await judge(() => ({ ...tokenVerdict('yes', 0.9), delay_ms: 3_000 }), { deadline_ms: 100 });
    expect((await late.score([math]))[0]).toMatchObject({ status: 'timeout', reward: null, error: { code: 'TIMEOUT' } });
  });

  test('broken JSON, a refusal and a reply that is not a verdict are errors', async () => {
    const broken = await judge(() => ({ raw: '{"choices": [' }), { max_retries: 0 });
    expect((await broken.score([math]))[0]).toMatchObject({ status: 'error', reward: null, error: { code: 'MODEL_UNAVAILABLE' } });
    await broken.stand.close();
    const refusing = await judge(() => ({ content: '', refusal: 'I cannot help with that.' }));
    const [refusal] = await refusing.score([math]);
    expect(refusal).toMatchObject({ status: 'error', error: { code: 'MODEL_UNAVAILABLE' }, reason: 'the judge refused: I cannot help with that.' });
    await refusing.stand.close();
    const chatty = await judge(() => ({ content: 'Yes, the candidate is correct.' }));
    const [verbose] = await chatty.score([math]);
    expect(verbose).toMatchObject({ status: 'error', reward: null, error: { code: 'MODEL_UNAVAILABLE' } });
    expect(verbose?.reason).toContain("the judge's reply is not a verdict");
  });

  test('a server that is not there is MODEL_UNAVAILABLE naming base_url', async () => {
    const stand = await startStandIn(() => tokenVerdict('yes', 0.9));
    const url = stand.baseUrl;
    await stand.close();
    const scorer = await createJudgeVerifyReward({ base_url: url, model: 'judge-1', max_retries: 1, retry_base_ms: 1 });
    const [result] = await scorer.score([math], { signal });
    expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'MODEL_UNAVAILABLE' } });
    expect(result?.reason).toContain(url);
  });
});

describe('judge.verify client', () => {
  test('the key comes from api_key_env and appears in no result; an unset variable fails at creation', async () => {
    process.env.JUDGE_TEST_KEY = 'sk-test-secret-123';
    const { stand, score } = await judge(() => ({ status: 400 }), { api_key_env: 'JUDGE_TEST_KEY' });
    const results = await score([math]);
    expect(stand.received[0]?.authorization).toBe('Bearer sk-test-secret-123');
    expect(JSON.stringify(results)).not.toContain('sk-test-secret-123');
    delete process.env.JUDGE_TEST_KEY;
    await expect(createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'm', api_key_env: 'JUDGE_TEST_KEY' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'm', api_key: 'sk-x' } as JudgeVerifyOptions)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  test('the cache answers a repeated request; identical rollouts in one batch share one call', async () => {
    const { stand, score } = await judge(() => tokenVerdict('yes', 0.9));
    const first = await score([math, math, math]);
    const again = await score([math]);
    expect([...first, ...again].map((result) => result.reward)).toEqual([1, 1, 1, 1]);
    expect(stand.received).toHaveLength(1);
  });

  test('the on-disk cache serves a new scorer; cache_size 0 without cache_dir sends every request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'judge-cache-'));
    const { stand } = await judge(() => tokenVerdict('yes', 0.9));
    for (let run = 0; run < 2; run++) {
      const scorer = await createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'judge-1', cache_dir: dir, cache_size: 0 });
      expect((await scorer.score([math], { signal }))[0]).toMatchObject({ reward: 1, components: { verdict: 1 } });
    }
    expect(stand.received).toHaveLength(1);
    expect(readdirSync(dir)).toHaveLength(1);
    const uncached = await createJudgeVerifyReward({ base_url: stand.baseUrl, model: 'judge-1', cache_size: 0 });
    await uncached.score([math], { signal });
    await uncached.score([math], { signal });
    expect(stand.received).toHaveLength(3);
  });

  test('max_concurrency bounds the requests in flight', async () => {
    const { stand, score } = await judge(() => ({ ...tokenVerdict('yes', 0.9), delay_ms: 30 }), { max_concurrency: 2 });
    const rollouts = Array.from({ length: 8 }, (_, index) => ({ ...math, reference: String(index + 100) }));
    const results = await score(rollouts);
    expect(results.every((result) => result.status === 'ok')).toBe(true);
    expect(stand.received).toHaveLength(8);
    expect(stand.maxInFlight()).toBe(2);
  });

  test('requests_per_minute holds back the second request (one a minute) until the deadline', async () => {
    const { stand, score } = await judge(() => tokenVerdict('yes', 0.9), { requests_per_minute: 1, deadline_ms: 300 });
    const results = await score([math, { ...math, reference: '43' }]);
    expect(results.map((result) => result.status).sort()).toEqual(['ok', 'timeout']);
    expect(stand.received).toHaveLength(1);
  });
});
