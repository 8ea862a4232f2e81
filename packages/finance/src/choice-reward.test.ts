import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { createFinanceChoiceReward } from './index.js';

const signal = new AbortController().signal;
let scorer: Scorer;
beforeAll(async () => {
  scorer = await createFinanceChoiceReward();
});
async function score(rollout: Rollout): Promise<RewardResult> {
  const [result] = await scorer.score([rollout], { signal });
  return result as RewardResult;
}

const cases: [string, unknown, number][] = [
  ['C', 'C', 1],
  ['The answer is D', 'D', 1],
  ['The answer is D.', 'C', 0],
  ['\\boxed{C}', 'C', 1],
  ['\\boxed{\\text{C}}', 'C', 1],
  ['option C', 'C', 1],
  ['Option C is the best.', 'C', 1],
  ['<answer>B</answer>', 'B', 1],
  ['<think>A</think><answer>B</answer>', 'B', 1],
  ['答案是B', 'B', 1],
  ['答案：AC', 'AC', 1],
  ['AC', 'AC', 1],
  ['CA', 'AC', 1],
  ['A, C', 'AC', 1],
  ['A,C', 'CA', 1],
  ['A and C', 'AC', 1],
  ['A、C', 'AC', 1],
  ['(A)(C)', 'AC', 0],
  ['\\boxed{AC}', ['A', 'C'], 1],
  ['The answer is A, C', 'A, C', 1],
  ['A', 'AC', 0],
  ['C', 'AC', 0],
  ['AC', 'A', 0],
  ['ABC', 'AC', 0],
  ['ABCD', 'AC', 0],
  ['A or C', 'A', 0],
  ['A/C', 'C', 0],
  ['A company with high leverage is riskier.', 'A', 0],
  ['A bond is a debt security.\nThe answer is B', 'B', 1],
  ['AAA-rated bonds have the lowest yield.', 'A', 0],
  ['The answer is B.', 'B', 1],
  ['**Answer: B**', 'B', 1],
  ['', 'B', 0],
  [':', 'B', 0],
  ['Thought process:', 'B', 0],
  ["Let's solve this problem step by step.", 'B', 0],
  ['Solution', 'B', 0],
];

describe('finance.choice', () => {
  test.each(cases)('%j vs %j -> %d', async (completion, reference, expected) => {
    const result = await score({ completion, reference });
    expect(result.status).toBe('ok');
    expect(result.reward).toBe(expected);
  });

  test('no reference is skipped; a reference that is not letters is INVALID_REFERENCE', async () => {
    expect(await score({ completion: 'A' })).toMatchObject({ status: 'skipped' });
    for (const reference of ['x', 'Z', 5, ['A', 2], '']) expect((await score({ completion: 'A', reference })).error?.code).toBe('INVALID_REFERENCE');
  });
});
