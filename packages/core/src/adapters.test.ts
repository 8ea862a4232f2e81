import { fromOpenRlhf, fromTrl, fromVerl, toOpenRlhf, toRollout, toTrl, toVerl } from './adapters.js';
import type { RewardResult } from './types.js';

const okResult: RewardResult = { reward: 0.75, status: 'ok', components: { format: 1, accuracy: 0.5 } };
const skippedResult: RewardResult = { reward: null, status: 'skipped', components: { format: 1, accuracy: null }, reason: 'no reference' };

test('verl: compute_score arguments map to a rollout and back to a score dict', () => {
  expect(fromVerl({ data_source: 'openai/gsm8k', solution_str: 'x = 3', ground_truth: '3', extra_info: { uid: 'u1', split: 'train' } })).toEqual({
    task: 'openai/gsm8k', completion: 'x = 3', reference: '3', meta: { uid: 'u1', split: 'train', group: 'u1' },
  });
  expect(toVerl(okResult)).toEqual({ score: 0.75, valid: 1, format: 1, accuracy: 0.5 });
  expect(toVerl(skippedResult)).toEqual({ score: 0, valid: 0, format: 1, accuracy: Number.NaN });
  expect(() => fromVerl({} as never)).toThrow('verl sample needs a string "solution_str"');
});

test('OpenRLHF: the response is cut out of the query; rewards and logs come back', () => {
  expect(fromOpenRlhf({ query: ['Q: 1+1? A: 2', 'other'], prompts: ['Q: 1+1? A:', 'nope'], labels: ['2', '3'] })).toEqual([
    { completion: ' 2', prompt: 'Q: 1+1? A:', reference: '2' },
    { completion: 'other', prompt: 'nope', reference: '3' },
  ]);
  expect(toOpenRlhf([okResult, skippedResult])).toEqual({
    rewards: [0.75, 0], scores: [0.75, 0], extra_logs: { valid: [1, 0], format: [1, 1], accuracy: [0.5, null] },
  });
});

test('TRL: conversational completions and dataset columns map to rollouts; abstentions are None', () => {
  const rollouts = fromTrl({
    prompts: [[{ role: 'user', content: '1+1?' }]],
    completions: [[{ role: 'assistant', content: '<answer>2</answer>' }]],
    solution: ['2'],
    level: [3],
  });
  expect(rollouts).toEqual([{ completion: '<answer>2</answer>', prompt: [{ role: 'user', content: '1+1?' }], reference: '2', meta: { level: 3 } }]);
  expect(toTrl([okResult, skippedResult])).toEqual([0.75, null]);
});

test('toRollout accepts verl-shaped JSONL records', () => {
  expect(toRollout({ id: 7, solution_str: 'a', ground_truth: 'b', data_source: 'math' })).toEqual({ id: 7, task: 'math', completion: 'a', reference: 'b', meta: {} });
  expect(toRollout({ completion: 'c' })).toEqual({ completion: 'c' });
});
