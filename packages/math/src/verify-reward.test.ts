import type { Rollout, Scorer } from '@mixreward/core';
import { createMathVerifyReward } from './verify-reward.js';

const context = () => ({ signal: new AbortController().signal });

describe('math.verify inline', () => {
  let scorer: Scorer;
  beforeAll(async () => {
    scorer = await createMathVerifyReward({ isolation: 'inline' });
  });

  test('scores a batch in order: 1 for an equivalent answer, 0 for a wrong one, with reasons', async () => {
    const rollouts: Rollout[] = [
      { completion: '<think>half</think><answer>\\boxed{\\frac12}</answer>', reference: '0.5' },
      { completion: 'The answer is $\\frac{1}{3}$.', reference: '0.5' },
      { completion: 'so x = \\boxed{3}', reference: 3 },
    ];
    const results = await scorer.score(rollouts, context());
    expect(results.map((result) => [result.status, result.reward])).toEqual([
      ['ok', 1],
      ['ok', 0],
      ['ok', 1],
    ]);
    expect(results[0]?.reason).toBe('answer 1/2 (answer-tag) equals reference 1/2');
    expect(results[1]?.reason).toBe('answer 1/3 (anchor) does not equal reference 1/2');
    expect(results[0]?.components).toEqual({ answer_found: 1 });
  });

  test('a list of accepted answers: any one matching scores 1; skipped only when none is usable', async () => {
    const results = await scorer.score(
      [
        { completion: '\\boxed{0.5}', reference: ['\\frac{1}{3}', '\\frac12'] },
        { completion: '\\boxed{0.25}', reference: ['\\frac{1}{3}', '\\frac12'] },
        { completion: '\\boxed{0.5}', reference: ['\\frac{1}{', ''] },
      ],
      context(),
    );
    expect(results.map((result) => [result.status, result.reward])).toEqual([
      ['ok', 1],
      ['ok', 0],
      ['skipped', null],
    ]);
  });

  test('an unparseable reference is skipped, never scored', async () => {
    const [result] = await scorer.score([{ completion: '\\boxed{1}', reference: '\\frac{1}{' }], context());
    expect(result).toMatchObject({ status: 'skipped', reward: null });
    expect(result?.reason).toMatch(/could not be parsed/);
  });

  test('a missing reference is skipped naming the field; a malformed one is an INVALID_REFERENCE error for that rollout only', async () => {
    const results = await scorer.score(
      [
        { completion: '\\boxed{1}' },
        { completion: '\\boxed{1}', reference: { value: 1 } },
        { completion: '\\boxed{1}', reference: '1' },
        { completion: '\\boxed{1}', reference: null },
      ],
      context(),
    );
    expect(results.map((result) => result.status)).toEqual(['skipped', 'error', 'ok', 'error']);
    expect(results[0]).toMatchObject({ reward: null, reason: expect.stringMatching(/^no reference: math\.verify needs rollout\.reference/) });
    const [mixed] = await scorer.score([{ completion: '\\boxed{1}', reference: ['1', { value: 1 }] }], context());
    expect(mixed?.error?.code).toBe('INVALID_REFERENCE');
    expect(results[1]?.error?.code).toBe('INVALID_REFERENCE');
    expect(results[3]?.error?.code).toBe('INVALID_REFERENCE');
    expect(results[1]?.reason).toMatch(/reference/);
  });

  test('garbage input gives a result, never a throw; dispose is idempotent', async () => {
    const own = await createMathVerifyReward({ isolation: 'inline' });
    const results = await own.score(
      [
        { completion: 42 as never, reference: '42' },
        { completion: '\u0000\u0007\u001b[31m \\boxed{7}', reference: '7' },
        { completion: '\\boxed{', reference: '1' },
      ],
      context(),
    );
    expect(results.map((result) => [result.status, result.reward])).toEqual([
      ['ok', 0],
      ['ok', 1],
      ['ok', 0],
    ]);
    await own.dispose?.();
    await own.dispose?.();
  });

  test('the prompt shows a restated question: the expression it asks to compute is not an answer', async () => {
    const results = await scorer.score(
      [
        { prompt: 'Compute $7 \\times 8$.', completion: '\\boxed{7 \\times 8}', reference: '56' },
        { prompt: [{ role: 'user', content: 'Compute $7 \\times 8$.' }], completion: '\\boxed{7 \\times 8}', reference: '56' },
        { prompt: 'Compute $7 \\times 8$.', completion: '\\boxed{56}', reference: '56' },
      ],
      context(),
    );
    expect(results.map((result) => result.reward)).toEqual([0, 0, 1]);
    expect(results[0]?.reason).toMatch(/restates the question/);
  });

  test('no answer found is a 0 with a reason, and reward hacks never score 1', async () => {
    const results = await scorer.score(
      [':', "Let's solve this step by step.", 'Thought process:', ''].map((completion) => ({ completion, reference: '1' })),
      context(),
    );
    expect(results.every((result) => result.status === 'ok' && result.reward === 0)).toBe(true);
    expect(results[0]?.components).toEqual({ answer_found: 0 });
  });

  test('options change the verdict: percent, conflicting answers, last-number fallback, partial credit', async () => {
    const score = async (options: Parameters<typeof createMathVerifyReward>[0], completion: string, reference: string) =>
      (await (await createMathVerifyReward({ isolation: 'inline', ...options })).score([{ completion, reference }], context()))[0]?.reward;
    // Default "strip": the sign may be omitted or added; 0.25 for 25% only with "math-verify" or "either".
    expect(await score({}, '\\boxed{25}', '25\\%')).toBe(1);
    expect(await score({}, '\\boxed{0.25}', '25\\%')).toBe(0);
    expect(await score({ percent: 'math-verify' }, '\\boxed{25}', '25\\%')).toBe(0);
    expect(await score({ percent: 'math-verify' }, '\\boxed{0.25}', '25\\%')).toBe(1);
    expect(await score({ percent: 'strip' }, '\\boxed{25}', '25\\%')).toBe(1);
    expect(await score({ percent: 'either' }, '\\boxed{25}', '25\\%')).toBe(1);
    expect(await score({ percent: 'either' }, '\\boxed{0.25}', '25\\%')).toBe(1);
    expect(await score({}, '\\boxed{4} then \\boxed{5}', '5')).toBe(0);
    expect(await score({ conflicting_answers: 'select' }, '\\boxed{4} then \\boxed{5}', '5')).toBe(1);
    expect(await score({ conflicting_answers: 'select', boxed: 'first' }, '\\boxed{4} then \\boxed{5}', '5')).toBe(0);
    expect(await score({}, 'we get 17 in total', '17')).toBe(1);
    expect(await score({ last_number_fallback: false }, 'we get 17 in total', '17')).toBe(0);
    expect(await score({ partial_credit: true }, '\\boxed{\\{1, 2, 5\\}}', '\\{1,2,3,4\\}')).toBe(0.5);
    expect(await score({ reference_precision: false }, '\\boxed{3.14159}', '3.14')).toBe(0);
    expect(await score({ float_rounding: 2 }, '\\boxed{3.141}', '\\pi')).toBe(1);
  });

  test('invalid options name the field', async () => {
    await expect(createMathVerifyReward({ percent: 'half' as never })).rejects.toThrow(/with\.percent/);
    await expect(createMathVerifyReward({ unknown: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createMathVerifyReward({ timeoutMs: 100 } as never)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('math.verify in worker threads', () => {
  test('hostile input ends within the limit with ok or timeout, and the pool keeps working', async () => {
    const scorer = await createMathVerifyReward({ workers: 1, timeout_ms: 20_000 });
    try {
      const hostile: Rollout[] = [
        { completion: `\\boxed{${'\\frac{'.repeat(5_000)}}`, reference: '1' },
        { completion: '\\boxed{10^{100000}}', reference: '10^{100000}' },
        { completion: `${'x '.repeat(500_000)}\\boxed{1}`, reference: '1' },
        { completion: '\\boxed{2^{2^{2^{2^{2^{2}}}}}}', reference: '2' },
      ];
      const results = await scorer.score(hostile, context());
      for (const result of results) expect(['ok', 'timeout']).toContain(result.status);
      expect(results[2]).toMatchObject({ status: 'ok', reward: 1 });
      const [after] = await scorer.score([{ completion: '\\boxed{\\dfrac{6}{8}}', reference: '\\frac34' }], context());
      expect(after).toMatchObject({ status: 'ok', reward: 1 });
    } finally {
      await scorer.dispose?.();
    }
  }, 60_000);

  test('work that outlives the time limit ends with status timeout, not a wrong answer; worker start-up is not counted', async () => {
    const scorer = await createMathVerifyReward({ workers: 1 });
    try {
      // Matching two 600-element sets of expressions takes hundreds of milliseconds; the limit is 10 ms.
      const items = Array.from({ length: 600 }, (_, index) => `x+${index + 1}`);
      const slow = { reference: `\\{${items.join(',')}\\}`, completion: `\\boxed{\\{${[...items].reverse().join(',')}\\}}` };
      const [timedOut] = await scorer.score([slow], { ...context(), timeoutMs: 10 });
      expect(timedOut).toMatchObject({ status: 'timeout', reward: null });
      expect(timedOut?.error?.code).toBe('TIMEOUT');
      const [fine] = await scorer.score([{ completion: '\\boxed{1}', reference: '1' }], { ...context(), timeoutMs: 5_000 });
      expect(fine).toMatchObject({ status: 'ok', reward: 1 });
    } finally {
      await scorer.dispose?.();
    }
  }, 60_000);

  test('pairs only the CAS decides go to the CAS worker with the same verdicts as inline, lists of references included', async () => {
    // e^{999}(e-1) = e^{1000} - e^{999} (factor out e^{999}); e^{999}(e-2) differs from it by e^{999}.
    // Doubles overflow at e^{710}, so only the CAS decides these.
    const rollouts: Rollout[] = [
      { completion: '\\boxed{e^{999}(e-1)}', reference: 'e^{1000}-e^{999}' },
      { completion: '\\boxed{e^{999}(e-2)}', reference: 'e^{1000}-e^{999}' },
      { completion: '\\boxed{\\frac{3}{4}}', reference: '0.75' },
      // The first reference decides without the CAS; the second needs it and is never asked.
      { completion: '\\boxed{e^{999}(e-1)}', reference: ['e^{999}(e-1)', 'e^{1000}-e^{999}'] },
      // The first reference (0) needs the CAS to say no; the second matches.
      { completion: '\\boxed{e^{999}(e-1)}', reference: ['e^{1000}-2e^{999}', 'e^{1000}-e^{999}'] },
      { completion: '\\boxed{7}', reference: ['e^{1000}-e^{999}', '7'] },
    ];
    const inline = await createMathVerifyReward({ isolation: 'inline' });
    const workers = await createMathVerifyReward({ workers: 2 });
    try {
      const expected = await inline.score(rollouts, context());
      expect(expected.map((result) => result.reward)).toEqual([1, 0, 1, 1, 1, 1]);
      expect(await workers.score(rollouts, context())).toEqual(expected);
    } finally {
      await inline.dispose?.();
      await workers.dispose?.();
    }
  }, 60_000);

  test('a CAS pair keeps its hard time limit: loading the CAS (hundreds of ms of CPU) within a 100 ms limit times out, the others are scored', async () => {
    const scorer = await createMathVerifyReward({ workers: 1 });
    try {
      // Warm the fast worker first, so a plain pair takes well under a millisecond.
      await scorer.score([{ completion: '\\boxed{2}', reference: '2' }], context());
      const results = await scorer.score(
        [
          { completion: '\\boxed{e^{999}(e-1)}', reference: 'e^{1000}-e^{999}' },
          { completion: '\\boxed{1}', reference: '1' },
        ],
        { ...context(), timeoutMs: 100 },
      );
      expect(results[0]).toMatchObject({ status: 'timeout', reward: null });
      expect(results[1]).toMatchObject({ status: 'ok', reward: 1 });
    } finally {
      await scorer.dispose?.();
    }
  }, 60_000);
});
