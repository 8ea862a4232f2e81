import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { createMedicalChoiceReward, readChoiceAnswer } from './index.js';
import { optionsFromPrompt } from './choice-options.js';

const signal = new AbortController().signal;
let scorer: Scorer;
beforeAll(async () => {
  scorer = await createMedicalChoiceReward();
});
async function score(rollout: Rollout): Promise<RewardResult> {
  const [result] = await scorer.score([rollout], { signal });
  return result as RewardResult;
}

const options = { A: 'Insulin glargine', B: 'Metformin', C: 'Glipizide', D: 'Sitagliptin', E: 'Pioglitazone' };
const prompt = `A 52-year-old man has newly diagnosed type 2 diabetes. Which drug is first line?
A. Insulin glargine
B. Metformin
C. Glipizide
D. Sitagliptin
E. Pioglitazone`;

// [completion, expected reward] with reference "B" and the options above.
const single: [string, number][] = [
  ['B', 1],
  ['(B)', 1],
  ['B.', 1],
  ['B)', 1],
  ['[B]', 1],
  ['**B**', 1],
  ['Answer: B', 1],
  ['Answer: (B)', 1],
  ['**Answer:** B', 1],
  ['**Final Answer:** B. Metformin', 1],
  ['### Final answer\n\nB', 1],
  ['The answer is B.', 1],
  ['The correct answer is (B) Metformin.', 1],
  ['The correct option is B', 1],
  ['I choose B', 1],
  ['\\boxed{B}', 1],
  ['So the answer is $\\boxed{B}$.', 1],
  ['\\boxed{\\text{B}}', 1],
  ['<think>A looks tempting, maybe A.</think><answer>B</answer>', 1],
  ['<think>Hmm</think>\n<answer>B. Metformin</answer>', 1],
  ['Metformin', 1],
  ['metformin.', 1],
  ['Answer: Metformin', 1],
  ['The answer is metformin, because it is first-line therapy.', 1],
  ['The answer is **Metformin**', 1],
  ['B. Metformin', 1],
  ['B - Metformin', 1],
  ['B: metformin', 1],
  ['(B) Metformin', 1],
  ['Option B', 1],
  ['Therefore, the most appropriate choice is B.', 1],
  ['After weighing the options, I would go with (B).', 1],
  ['Metformin lowers hepatic glucose output and is first line.\nAnswer: B', 1],
  ['B. This drug lowers hepatic glucose output and is first-line therapy in most patients', 1],
  // wrong or unrewardable
  ['A', 0],
  ['C', 0],
  ['Answer: D', 0],
  ['\\boxed{E}', 0],
  ['B. Insulin glargine', 0],
  ['(B) Glipizide', 0],
  ['B: Sitagliptin', 0],
  ['A. Metformin', 0],
  ['B. Insulin', 0],
  ['A or B', 0],
  ['B, C', 0],
  ['B and C', 0],
  ['B/C', 0],
  ['Answer: A, B, C, D, E', 0],
  ['A B C D E', 0],
  ['Metformin or glipizide', 0],
  ['Answer: insulin glargine', 0],
  ['Answer: Acarbose', 0],
  ['All of the above', 0],
  ['None of the above', 0],
  ['A patient with diabetes should start on lifestyle changes.', 0],
  ['<think>The answer is B.</think>', 0],
  ['<think>The answer is B.</think><answer></answer>', 0],
  ['', 0],
  ['   ', 0],
  [':', 0],
  ['Thought process:', 0],
  ['Let\'s solve this problem step by step.', 0],
  ['I am not sure.', 0],
  ['The answer is either B or C.', 0],
  ['BC', 0],
];

describe('medical.choice, single answer (reference B, options in the reference)', () => {
  test.each(single)('%j -> %d', async (completion, expected) => {
    const result = await score({ completion, reference: { answer: 'B', options } });
    expect(result.status).toBe('ok');
    expect(result.reward).toBe(expected);
  });
});

describe('medical.choice, options from meta and from the prompt', () => {
  test.each([
    ['B. Metformin', 1],
    ['Metformin', 1],
    ['B. Glipizide', 0],
    ['Glipizide', 0],
    ['Answer: B', 1],
  ] as [string, number][])('meta.options as a list: %j -> %d', async (completion, expected) => {
    const result = await score({ completion, reference: 'B', meta: { options: Object.values(options) } });
    expect(result.reward).toBe(expected);
  });

  test.each([
    ['B. Metformin', 1],
    ['metformin', 1],
    ['B. Pioglitazone', 0],
    ['Pioglitazone', 0],
    ['(E)', 0],
  ] as [string, number][])('options parsed from the prompt: %j -> %d', async (completion, expected) => {
    const result = await score({ completion, reference: 'B', prompt });
    expect(result.reward).toBe(expected);
  });

  test('chat-message prompts and inline "(A) … (B) …" options are parsed', async () => {
    const chat = [{ role: 'user', content: 'Best drug? (A) Aspirin (B) Heparin (C) Warfarin (D) Alteplase' }];
    expect((await score({ completion: 'Heparin', reference: 'B', prompt: chat })).reward).toBe(1);
    expect((await score({ completion: 'B. Warfarin', reference: 'B', prompt: chat })).reward).toBe(0);
    expect(optionsFromPrompt('Which? (A) one (B) two (C) three')).toEqual(new Map([['A', 'one'], ['B', 'two'], ['C', 'three']]));
    expect(optionsFromPrompt('No options here. A. only one')).toBeUndefined();
  });

  test('a reference given as option text maps to its letter', async () => {
    expect((await score({ completion: 'B', reference: 'Metformin', prompt })).reward).toBe(1);
    expect((await score({ completion: 'C', reference: 'Metformin', prompt })).reward).toBe(0);
  });
});

describe('medical.choice without known options (letters only)', () => {
  test.each([
    ['B', 1],
    ['The answer is B', 1],
    ['B. Metformin', 1],
    ['A. Metformin', 0],
    ['A', 0],
    ['A or B', 0],
    ['A patient like this needs B.', 1],
    ['A 52-year-old patient needs lifestyle advice.', 0],
    ['I think B is correct.', 1],
    ['Hepatitis B vaccination is unrelated; the answer is D.', 0],
    ['Vitamin B12 deficiency', 0],
  ] as [string, number][])('%j -> %d', async (completion, expected) => {
    const result = await score({ completion, reference: 'B' });
    expect(result.reward).toBe(expected);
  });
});

describe('medical.choice, multi-answer questions compare sets', () => {
  test.each([
    ['A, C', 1],
    ['C, A', 1],
    ['A and C', 1],
    ['AC', 1],
    ['CA', 1],
    ['(A) and (C)', 1],
    ['\\boxed{A, C}', 1],
    ['Answer: A, C', 1],
    ['A', 0],
    ['C', 0],
    ['A, B, C', 0],
    ['A, C, D', 0],
    ['A or C', 0],
    ['A, B, C, D, E', 0],
  ] as [string, number][])('reference ["A","C"]: %j -> %d', async (completion, expected) => {
    const result = await score({ completion, reference: ['A', 'C'], meta: { options } });
    expect(result.reward).toBe(expected);
  });

  test('reference spellings "A,C", "AC" and {"answer": ["A","C"]} are the same set', async () => {
    for (const reference of ['A,C', 'AC', 'A, C', { answer: ['A', 'C'] }, { answer: 'CA' }]) {
      expect((await score({ completion: 'C, A', reference })).reward).toBe(1);
    }
  });
});

describe('medical.choice, references and bad input', () => {
  test('no reference at all is skipped, naming the field', async () => {
    const result = await score({ completion: 'B' });
    expect(result).toMatchObject({ status: 'skipped', reward: null });
    expect(result.reason).toMatch(/rollout\.reference/);
  });

  test('a reference that names no option is an INVALID_REFERENCE error', async () => {
    for (const reference of [42, 'not a letter', { answer: 7 }, ['A', 3], { answer: 'Z' , options }]) {
      const result = await score({ completion: 'B', reference });
      expect(result.status).toBe('error');
      expect(result.error?.code).toBe('INVALID_REFERENCE');
    }
  });

  test('hostile completions give results, never throws', async () => {
    const huge = 'B '.repeat(500_000);
    const inputs = [huge, '\u0000\u0001B', '\ud800B', '{'.repeat(10_000), `${'(A) '.repeat(5000)}`];
    for (const completion of inputs) {
      const result = await score({ completion, reference: 'B', meta: { options } });
      expect(['ok', 'skipped']).toContain(result.status);
      expect(result.reward === null || result.reward === 0 || result.reward === 1).toBe(true);
    }
    expect((await score({ completion: 42 as unknown as string, reference: 'B' })).status).not.toBe('ok');
  });

  test('readChoiceAnswer explains what it read', () => {
    const map = new Map(Object.entries(options));
    expect(readChoiceAnswer('B. Insulin glargine', map, { letters: 'ABCDE', check_text: true, answer_tag: 'answer' })).toMatchObject({ letters: ['B'], problem: expect.stringMatching(/disagree/) });
    expect(readChoiceAnswer('B. Insulin glargine', map, { letters: 'ABCDE', check_text: false, answer_tag: 'answer' })).toEqual({ letters: ['B'], how: 'read from the last line' });
  });
});

describe('medical.choice, more styles models write (reference C, MedMCQA-style four options)', () => {
  const four = { A: 'Vitamin A', B: 'Vitamin B12', C: 'Vitamin C', D: 'Vitamin D' };
  test.each([
    ['C', 1],
    ['c', 0],
    ['Ans: C', 1],
    ['Correct answer: C', 1],
    ['The correct answer is: C', 1],
    ['The correct answer is option C.', 1],
    ['Final answer: (C) Vitamin C', 1],
    ['**C. Vitamin C**', 1],
    ['*C*', 1],
    ['`C`', 1],
    ['Answer:\n\nC', 1],
    ['Answer: C.\n\nExplanation: scurvy is caused by a lack of vitamin C.', 1],
    ['Scurvy results from deficiency of vitamin C.\n\nThe answer is C', 1],
    ['- **Answer:** C', 1],
    ['> C', 1],
    ['Vitamin C', 1],
    ['vitamin c', 1],
    ['VITAMIN C.', 1],
    ['The answer is Vitamin C.', 1],
    ['<answer>C) Vitamin C</answer>', 1],
    ['<answer>\\boxed{C}</answer>', 1],
    ['<answer> (C) </answer>', 1],
    ['Based on the presentation of bleeding gums, the answer is C.', 1],
    ['C is correct.', 1],
    ['(C) is the correct answer', 1],
    ['Option C is correct', 1],
    ['C. Vitamin D', 0],
    ['C) Vitamin B12', 0],
    ['D. Vitamin C', 0],
    ['Vitamin D', 0],
    ['Vitamin B12', 0],
    ['B12', 0],
    ['Answer: vitamin C or vitamin D', 0],
    ['C or D', 0],
    ['C and D', 0],
    ['ABCD', 0],
    ['A, B, C, D', 0],
    ['The answer is E', 0],
    ['Answer: vitamin K', 0],
    ['<answer>C</answer><answer>D</answer>', 0],
    ['<answer>D</answer> Actually the answer is C.', 0],
    ['\\boxed{D} ... \\boxed{C}', 1],
    ['C'.repeat(200), 0],
    ['Answer: ' + 'C, '.repeat(50), 1],
  ] as [string, number][])('%j -> %d', async (completion, expected) => {
    const result = await score({ completion, reference: { answer: 'C', options: four } });
    expect(result.reward).toBe(expected);
  });
});
