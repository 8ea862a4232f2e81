import { fromOpenRlhf, fromTrl, fromVerl, httpStatusOf, toOpenRlhf, toRollout, toTrl, toVerl } from './adapters.js';
import { RewardError } from './errors.js';
import type { RewardResult } from './types.js';

const okResult: RewardResult = { reward: 0.75, status: 'ok', components: { format: 1, accuracy: 0.5 } };
const skippedResult: RewardResult = { reward: null, status: 'skipped', components: { format: 1, accuracy: null }, reason: 'no reference' };
const crashed: RewardResult = { reward: null, status: 'error', reason: 'worker exited during a task', error: { code: 'WORKER_FAILED', component: 'accuracy' }, components: { format: 1, accuracy: null } };
const timedOut: RewardResult = { reward: null, status: 'timeout', reason: 'time limit of 100 ms exceeded', error: { code: 'TIMEOUT' } };

function thrown(run: () => unknown): RewardError {
  try {
    run();
  } catch (error) {
    if (RewardError.isInstance(error)) return error;
    throw new Error(`expected a RewardError, got ${String(error)}`);
  }
  throw new Error('expected a throw, got a return value');
}

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

describe('a fault is never a score', () => {
  test('verl: an error or timeout result raises with its code; a skip stays valid 0', () => {
    const error = thrown(() => toVerl(crashed));
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.message).toBe('verl: the reward failed, so no score is returned (a fault is never a 0): error [WORKER_FAILED] in component "accuracy": worker exited during a task');
    expect(thrown(() => toVerl(timedOut)).code).toBe('TIMEOUT');
    // A custom nullReward does not turn a fault into a number either.
    expect(() => toVerl(crashed, -1)).toThrow(RewardError);
    expect(toVerl(skippedResult, -1)).toMatchObject({ score: -1, valid: 0 });
  });

  test('OpenRLHF: one failed rollout fails the request (a server answers 5xx), naming it', () => {
    const error = thrown(() => toOpenRlhf([okResult, crashed, skippedResult, timedOut]));
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.message).toContain('OpenRLHF: 2 of 4 rewards failed');
    expect(error.message).toContain('rollout 1: error [WORKER_FAILED]');
    expect(error.message).toContain('rollout 3: timeout [TIMEOUT]');
    expect(httpStatusOf(error)).toBe(503);
    expect(httpStatusOf(thrown(() => toOpenRlhf([timedOut])))).toBe(504);
  });

  test('OpenRLHF: a long list of failures is summarised', () => {
    const error = thrown(() => toOpenRlhf(Array.from({ length: 9 }, () => crashed)));
    expect(error.message).toContain('9 of 9 rewards failed');
    expect(error.message).toMatch(/; and 4 more$/);
  });

  test('TRL: None only for an abstention; an error raises', () => {
    expect(toTrl([skippedResult, okResult])).toEqual([null, 0.75]);
    expect(thrown(() => toTrl([okResult, timedOut])).code).toBe('TIMEOUT');
    // An error without a known code is still a fault (INTERNAL), not None.
    expect(thrown(() => toTrl([{ reward: null, status: 'error', reason: 'boom' }])).code).toBe('INTERNAL');
  });

  test('httpStatusOf maps request faults to 400 and everything else to 5xx', () => {
    expect(httpStatusOf(new RewardError('INVALID_REFERENCE', 'x'))).toBe(400);
    expect(httpStatusOf(new RewardError('SANDBOX_UNAVAILABLE', 'x'))).toBe(503);
    expect(httpStatusOf(new RewardError('INTERNAL', 'x'))).toBe(500);
    expect(httpStatusOf(new Error('plain'))).toBe(500);
  });
});
