import { createMathArithmeticReward } from './arithmetic-reward.js';

const context = () => ({ signal: new AbortController().signal });

describe('math.arithmetic', () => {
  test('the share of correct computations is the reward, each one a step, the wrong ones named', async () => {
    const scorer = await createMathArithmeticReward();
    const completion = 'First 12 × 7 = 84. Then 3/4 of 20 is 15. Also \\frac{6}{8} = \\frac{3}{4}, and 84 + 15 = 98. So \\boxed{98}.';
    const [result] = await scorer.score([{ completion }], context());
    expect(result).toMatchObject({ status: 'ok', reward: 0.75, steps: [1, 1, 1, 0], components: { computations: 4, wrong: 1 } });
    expect(result?.reason).toBe('3 of 4 computations are correct; wrong: "84 + 15 = 98" (is 99)');
  });

  test('all correct scores 1', async () => {
    const [result] = await (await createMathArithmeticReward()).score([{ completion: '$2^{10} = 1024$ and 1024 / 4 = 256' }], context());
    expect(result).toMatchObject({ status: 'ok', reward: 1, steps: [1, 1], reason: 'all 2 computations are correct' });
  });

  test('no computation: skipped by default, or a configured reward', async () => {
    const rollouts = [{ completion: "Let's solve this step by step." }, { completion: ':' }, { completion: 'Let 2x + 3 = 7, so x = 2.' }];
    const skippedResults = await (await createMathArithmeticReward()).score(rollouts, context());
    expect(skippedResults.map((result) => result.status)).toEqual(['skipped', 'skipped', 'skipped']);
    const zero = await (await createMathArithmeticReward({ no_computations: 'zero' })).score(rollouts, context());
    expect(zero.map((result) => result.reward)).toEqual([0, 0, 0]);
    const one = await (await createMathArithmeticReward({ no_computations: 'one' })).score(rollouts.slice(0, 1), context());
    expect(one[0]).toMatchObject({ status: 'ok', reward: 1, steps: [] });
  });

  test('scope "reasoning" checks only the <think> part', async () => {
    const completion = '<think>2 + 2 = 4</think> so 2 + 2 = 5';
    const [all] = await (await createMathArithmeticReward()).score([{ completion }], context());
    const [reasoning] = await (await createMathArithmeticReward({ scope: 'reasoning' })).score([{ completion }], context());
    expect(all?.reward).toBe(0.5);
    expect(reasoning?.reward).toBe(1);
  });

  test('rounding and tolerance options are passed through', async () => {
    const completion = '10 / 3 = 3.33';
    expect((await (await createMathArithmeticReward()).score([{ completion }], context()))[0]?.reward).toBe(1);
    expect((await (await createMathArithmeticReward({ allow_rounding: false })).score([{ completion }], context()))[0]?.reward).toBe(0);
    await expect(createMathArithmeticReward({ relative_tolerance: -1 })).rejects.toThrow(/relative_tolerance/);
    await expect(createMathArithmeticReward({ relativeTolerance: 1e-6 } as never)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('math.arithmetic results for any input', () => {
  test('a non-string completion or a huge text gives a result, never a throw; dispose is idempotent', async () => {
    const scorer = await createMathArithmeticReward();
    const results = await scorer.score([{ completion: 42 as never }, { completion: `${'1 + 1 = 2. '.repeat(20_000)}` }, { completion: '\u0000\u0007 2 + 2 = 5' }], context());
    expect(results.map((result) => result.status)).toEqual(['skipped', 'ok', 'ok']);
    // 1,000 computations are checked by default (max_computations), all correct.
    expect(results[1]).toMatchObject({ reward: 1, components: { computations: 1000, wrong: 0 } });
    expect(results[2]).toMatchObject({ reward: 0 });
    await scorer.dispose?.();
    await scorer.dispose?.();
  });
});
