import { createArithmeticReward } from './arithmetic-plugin.js';

const context = () => ({ signal: new AbortController().signal });

describe('math.arithmetic', () => {
  test('the share of correct computations is the reward, each one a step, the wrong ones named', async () => {
    const scorer = createArithmeticReward();
    const completion = 'First 12 × 7 = 84. Then 3/4 of 20 is 15. Also \\frac{6}{8} = \\frac{3}{4}, and 84 + 15 = 98. So \\boxed{98}.';
    const [result] = await scorer.score([{ completion }], context());
    expect(result).toMatchObject({ status: 'ok', reward: 0.75, steps: [1, 1, 1, 0], components: { computations: 4, wrong: 1 } });
    expect(result?.reason).toBe('3 of 4 computations are correct; wrong: "84 + 15 = 98" (is 99)');
  });

  test('all correct scores 1', async () => {
    const [result] = await createArithmeticReward().score([{ completion: '$2^{10} = 1024$ and 1024 / 4 = 256' }], context());
    expect(result).toMatchObject({ status: 'ok', reward: 1, steps: [1, 1], reason: 'all 2 computations are correct' });
  });

  test('no computation: skipped by default, or a configured reward', async () => {
    const rollouts = [{ completion: "Let's solve this step by step." }, { completion: ':' }, { completion: 'Let 2x + 3 = 7, so x = 2.' }];
    const skippedResults = await createArithmeticReward().score(rollouts, context());
    expect(skippedResults.map((result) => result.status)).toEqual(['skipped', 'skipped', 'skipped']);
    const zero = await createArithmeticReward({ noComputations: 'zero' }).score(rollouts, context());
    expect(zero.map((result) => result.reward)).toEqual([0, 0, 0]);
    const one = await createArithmeticReward({ noComputations: 'one' }).score(rollouts.slice(0, 1), context());
    expect(one[0]).toMatchObject({ status: 'ok', reward: 1, steps: [] });
  });

  test('scope "reasoning" checks only the <think> part', async () => {
    const completion = '<think>2 + 2 = 4</think> so 2 + 2 = 5';
    const [all] = await createArithmeticReward().score([{ completion }], context());
    const [reasoning] = await createArithmeticReward({ scope: 'reasoning' }).score([{ completion }], context());
    expect(all?.reward).toBe(0.5);
    expect(reasoning?.reward).toBe(1);
  });

  test('rounding and tolerance options are passed through', async () => {
    const completion = '10 / 3 = 3.33';
    expect((await createArithmeticReward().score([{ completion }], context()))[0]?.reward).toBe(1);
    expect((await createArithmeticReward({ allowRounding: false }).score([{ completion }], context()))[0]?.reward).toBe(0);
    expect(() => createArithmeticReward({ relativeTolerance: -1 })).toThrow(/relativeTolerance/);
  });
});
