import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { checkFinanceArithmetic, createFinanceArithmeticReward } from './index.js';

const signal = new AbortController().signal;
let scorer: Scorer;
beforeAll(async () => {
  scorer = await createFinanceArithmeticReward();
});
async function score(rollout: Rollout): Promise<RewardResult> {
  const [result] = await scorer.score([rollout], { signal });
  return result as RewardResult;
}

// [text, kinds found, correct flags]; expected values worked by hand in the comments.
const cases: [string, string[], boolean[]][] = [
  ['(120 - 100) / 100 = 20%', ['arithmetic'], [true]], // 20/100 = 0.2
  ['(120 - 100) / 100 = 25%', ['arithmetic'], [false]],
  ['$1.5M / $1.2M = 1.25', ['arithmetic'], [true]], // 1,500,000 / 1,200,000 = 1.25
  ['$1.5M / $1.2M = 1.4', ['arithmetic'], [false]],
  ['2 + 2 = 4\n3 × 3 = 10\n10 / 4 = 2.5', ['arithmetic', 'arithmetic', 'arithmetic'], [true, false, true]],
  ['Revenue grew 25% from $80M to $100M.', ['percent_change'], [true]], // (100-80)/80 = 25%
  ['Revenue grew 20% from $80M to $100M.', ['percent_change'], [false]],
  ['Costs fell 20% from $100M to $80M.', ['percent_change'], [true]], // (80-100)/100 = -20%
  ['Costs fell 25% from $100M to $80M.', ['percent_change'], [false]],
  ['Costs rose 20% from $100M to $80M.', ['percent_change'], [false]], // wrong direction
  ['The share price changed by -12.5% from 40 to 35.', ['percent_change'], [true]], // -5/40
  ['Sales increased from 1,234 to 1,500, an increase of 21.6%.', ['percent_change'], [true]], // 266/1234 = 21.556%
  ['Sales increased from 1,234 to 1,500, an increase of 21.4%.', ['percent_change'], [false]],
  ['The CAGR from 1.2 to 1.5 over 3 years is 7.72%.', ['cagr'], [true]], // (1.25)^(1/3)-1 = 7.7217%
  ['The CAGR from 1.2 to 1.5 over 3 years is 8.33%.', ['cagr'], [false]], // the simple average, wrong
  ['From $100 million to $161 million over 5 years, the compound annual growth rate is 10%.', ['cagr'], [true]], // 1.61^(0.2)-1 = 9.99%
  ['With net income of $20M on revenue of $200M, the net margin is 10%.', ['margin'], [true]],
  ['With net income of $20M on revenue of $200M, the net margin is 12%.', ['margin'], [false]],
  ['Operating margin: 45 on sales of 300, i.e. 15%.', ['margin'], [true]],
  ['Gross profit 1.2亿元, revenue 4亿元, gross margin 30%.', ['margin'], [true]],
];

describe('finance.arithmetic checks', () => {
  test.each(cases)('%j', (text, kinds, correct) => {
    const checks = checkFinanceArithmetic(text);
    expect(checks.map((check) => check.kind)).toEqual(kinds);
    expect(checks.map((check) => check.correct)).toEqual(correct);
  });

  test('the reward is the share of right computations, with one step each, in text order', async () => {
    const completion = 'Growth: (120 - 100) / 100 = 20%.\nRevenue grew 25% from $80M to $100M.\nMargin: 30 / 200 = 20%.';
    const result = await score({ completion });
    expect(result.steps).toEqual([1, 1, 0]);
    expect(result.reward).toBeCloseTo(2 / 3, 12);
    expect(result.components).toEqual({ checked: 3, correct: 2 });
  });

  test('no computation: skipped, so a mix can use default(arithmetic, …)', async () => {
    expect(await score({ completion: 'The company is profitable.' })).toMatchObject({ status: 'skipped', reward: null });
    expect(await score({ completion: '' })).toMatchObject({ status: 'skipped' });
  });

  test('include_answer: false leaves the answer block out', async () => {
    const noAnswer = await createFinanceArithmeticReward({ include_answer: false });
    const [result] = await noAnswer.score([{ completion: '<think>2 + 2 = 4</think><answer>2 + 2 = 5</answer>' }], { signal });
    expect(result).toMatchObject({ reward: 1, steps: [1] });
    expect((await score({ completion: '<think>2 + 2 = 4</think><answer>2 + 2 = 5</answer>' })).steps).toEqual([1, 0]);
  });

  test('hostile input ends with a result', async () => {
    expect((await score({ completion: '1 + 1 = 2\n'.repeat(100_000) })).status).toBe('ok');
    expect(['ok', 'skipped']).toContain((await score({ completion: `${'9'.repeat(10_000)} + 1 = ${'9'.repeat(10_000)}` })).status);
  });
});
