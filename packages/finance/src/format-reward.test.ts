import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { createFinanceFormatReward } from './index.js';

const signal = new AbortController().signal;
let scorer: Scorer;
beforeAll(async () => {
  scorer = await createFinanceFormatReward();
});
async function score(rollout: Rollout): Promise<RewardResult> {
  const [result] = await scorer.score([rollout], { signal });
  return result as RewardResult;
}

describe('finance.format (DianJin-R1)', () => {
  test.each([
    ['<think>Revenue grew from 80 to 100.</think><answer>\\boxed{25\\%}</answer>', 1],
    ['<think>a</think>\n<answer>The growth is \\boxed{25\\%}.</answer>\n', 1],
    ['<think>a</think><answer>\\boxed{\\frac{1}{4}}</answer>', 1],
    ['<think>a</think><answer>25%</answer>', 0],
    ['<think>a</think><answer>\\boxed{25} or \\boxed{26}</answer>', 0],
    ['<think>a</think><answer>\\boxed{}</answer>', 0],
    ['<think>a</think><answer>\\boxed{ }</answer>', 0],
    ['<answer>\\boxed{25}</answer><think>a</think>', 0],
    ['<think>a</think><think>b</think><answer>\\boxed{25}</answer>', 0],
    ['<think>a</think><answer>\\boxed{25}</answer><answer>\\boxed{26}</answer>', 0],
    ['Sure! <think>a</think><answer>\\boxed{25}</answer>', 0],
    ['<think></think><answer>\\boxed{25}</answer>', 0],
    ['\\boxed{25}', 0],
    ['', 0],
    ['<think>a<answer>\\boxed{25}</answer></think>', 0],
  ] as [string, number][])('%j -> %d', async (completion, expected) => {
    const result = await score({ completion });
    expect(result).toMatchObject({ status: 'ok', reward: expected });
  });

  test('a prompt that opened <think> is taken into account with prefix', async () => {
    const prefixed = await createFinanceFormatReward({ prefix: '<think>' });
    const [result] = await prefixed.score([{ completion: 'a</think><answer>\\boxed{1}</answer>' }], { signal });
    expect(result?.reward).toBe(1);
  });
});
