import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { createMedicalYesnoReward, readYesNo } from './index.js';

const signal = new AbortController().signal;
let scorer: Scorer;
beforeAll(async () => {
  scorer = await createMedicalYesnoReward();
});
async function score(rollout: Rollout): Promise<RewardResult> {
  const [result] = await scorer.score([rollout], { signal });
  return result as RewardResult;
}

// [completion, reference, expected reward]
const cases: [string, string, number][] = [
  ['yes', 'yes', 1],
  ['Yes', 'yes', 1],
  ['YES.', 'yes', 1],
  ['no', 'no', 1],
  ['maybe', 'maybe', 1],
  ['Answer: yes', 'yes', 1],
  ['**Answer:** No', 'no', 1],
  ['**Final answer:** maybe', 'maybe', 1],
  ['The answer is yes.', 'yes', 1],
  ['<answer>yes</answer>', 'yes', 1],
  ['<think>could be no</think><answer>yes</answer>', 'yes', 1],
  ['\\boxed{no}', 'no', 1],
  ['\\boxed{\\text{maybe}}', 'maybe', 1],
  ['Yes. The randomized trial shows a significant reduction in mortality.', 'yes', 1],
  ['No, there is no evidence of benefit.', 'no', 1],
  ['No. The intervention did not reduce readmissions.', 'no', 1],
  ['Maybe. The data are limited.', 'maybe', 1],
  ['The study found no significant difference between the groups.', 'no', 1],
  ['There was no evidence that statins reduce delirium.', 'no', 1],
  ['The association was not statistically significant.', 'no', 1],
  ['The treatment did not improve survival.', 'no', 1],
  ['Vitamin D levels were not associated with fracture risk.', 'no', 1],
  ['The trial failed to demonstrate a benefit.', 'no', 1],
  ['We cannot conclude that the drug is effective.', 'maybe', 1],
  ['The evidence is inconclusive.', 'maybe', 1],
  ['There is insufficient evidence to decide.', 'maybe', 1],
  ['Answer: it is unclear from these data.', 'maybe', 1],
  // not rewarded
  ['yes', 'no', 0],
  ['no', 'yes', 0],
  ['maybe', 'yes', 0],
  ['The study found no significant difference between the groups.', 'yes', 0],
  ['There was no evidence that statins reduce delirium.', 'yes', 0],
  ['We cannot conclude that the drug is effective.', 'yes', 0],
  ['Yes, although the difference was not significant.', 'yes', 0],
  ['Yes, but we cannot conclude this firmly.', 'yes', 0],
  ['yes or no', 'yes', 0],
  ['yes/no', 'no', 0],
  ['Yes or maybe', 'maybe', 0],
  ['Answer: either yes or no', 'yes', 0],
  ['Answer: yes or maybe, depending on the subgroup', 'yes', 0],
  ['maybe yes', 'yes', 0],
  ['', 'yes', 0],
  ['   ', 'no', 0],
  [':', 'yes', 0],
  ['Thought process:', 'yes', 0],
  ["Let's solve this problem step by step.", 'no', 0],
  ['Solution', 'maybe', 0],
  ['<think>yes</think>', 'yes', 0],
  ['The study enrolled 200 patients.', 'yes', 0],
  ['yesterday the study was published', 'yes', 0],
  ['Nobody knows.', 'no', 0],
  ['Final answer: **Yes**', 'yes', 1],
  ['### Answer\n\nNo', 'no', 1],
  ['Answer: Maybe.', 'maybe', 1],
  ['<answer>No</answer>', 'yes', 0],
  ['The answer is no; the effect was not significant.', 'no', 1],
  ['Yes yes yes yes yes', 'yes', 1],
  ['yes no yes no yes no', 'yes', 0],
  ['Answer: possibly', 'maybe', 1],
  ['Answer: possibly', 'yes', 0],
  ['The results did not reach significance, so the answer is no.', 'no', 1],
  ['Mortality was not significantly reduced.', 'no', 1],
  ['\\boxed{yes}', 'yes', 1],
];

describe('medical.yesno', () => {
  test.each(cases)('%j (reference %s) -> %d', async (completion, reference, expected) => {
    const result = await score({ completion, reference });
    expect(result.status).toBe('ok');
    expect(result.reward).toBe(expected);
  });

  test('reference spellings: case, {"answer"}, PubMedQA {"final_decision"}, booleans', async () => {
    for (const reference of ['Yes', ' YES ', { answer: 'yes' }, { final_decision: 'yes' }, true]) {
      expect((await score({ completion: 'yes', reference })).reward).toBe(1);
    }
    expect((await score({ completion: 'no', reference: false })).reward).toBe(1);
  });

  test('no reference is skipped; a reference that is not a label is INVALID_REFERENCE', async () => {
    expect(await score({ completion: 'yes' })).toMatchObject({ status: 'skipped', reward: null });
    for (const reference of ['probably', 3, ['yes'], { answer: 1 }]) {
      const result = await score({ completion: 'yes', reference });
      expect(result.error?.code).toBe('INVALID_REFERENCE');
    }
  });

  test('readYesNo names the problem with a hedge', () => {
    expect(readYesNo('yes or no')).toEqual({ problem: 'a hedge across labels ("yes or no")' });
    expect(readYesNo('no significant difference')).toEqual({ label: 'no' });
    expect(readYesNo('cannot be determined')).toEqual({ label: 'maybe' });
  });

  test('1 MB of repeated text gives a result', async () => {
    const result = await score({ completion: 'yes no maybe '.repeat(80_000), reference: 'yes' });
    expect(result).toMatchObject({ status: 'ok', reward: 0 });
  });
});
