import { startStandIn, type Script, type StandIn } from './__fixtures__/stand-in-server.js';
import { createJudgeRubricReward, parseRubricReply, weightedRubricScore, type JudgeRubricOptions } from './index.js';

const signal = new AbortController().signal;
let stand: StandIn | undefined;
afterEach(async () => {
  await stand?.close();
  stand = undefined;
});

const criteria = [{ name: 'accuracy', text: 'States the right diagnosis.', weight: 3, choices: ['wrong', 'partly right', 'right'] }];
const principles = [{ name: 'cites_source', text: 'Cites a guideline.' }];
const rollout = { prompt: 'Patient with polyuria and polydipsia; fasting glucose 8 mmol/L. Diagnosis?', completion: '<think>hmm</think>Type 2 diabetes mellitus, per the ADA criteria.' };

async function rubric(script: (index: number) => Script, options: Partial<JudgeRubricOptions> = {}) {
  stand = await startStandIn((_, index) => script(index));
  const scorer = await createJudgeRubricReward({ base_url: stand.baseUrl, model: 'judge-1', retry_base_ms: 1, criteria, principles, ...options });
  return { stand, score: (rollouts: Parameters<typeof scorer.score>[0]) => scorer.score(rollouts, { signal }) };
}

test('one batched call grades every criterion; reward = (3 * 0.5 + 1 * 1) / 4 = 0.625', async () => {
  const { stand, score } = await rubric(() => ({ content: '{"accuracy": 2, "cites_source": 2}' }));
  const [result] = await score([rollout]);
  expect(result).toEqual({ status: 'ok', reward: 0.625, components: { accuracy: 0.5, cites_source: 1 }, reason: 'accuracy: partly right, cites_source: yes' });
  expect(stand.received).toHaveLength(1);
  const user = stand.received[0]?.messages[1]?.content ?? '';
  expect(user).toContain('- accuracy: States the right diagnosis.\n  grades: 1 = wrong; 2 = partly right; 3 = right');
  expect(user).toContain('- cites_source: Cites a guideline.\n  grades: 1 = no; 2 = yes');
  expect(user).toContain('<response>\nType 2 diabetes mellitus, per the ADA criteria.\n</response>');
  expect(user).not.toContain('hmm');
});

test('batch: false asks once per criterion for a single number; reward = (3 * 1 + 1 * 0) / 4 = 0.75', async () => {
  const { stand, score } = await rubric((index) => ({ content: index === 0 ? '3' : '1.' }), { batch: false, max_concurrency: 1 });
  const [result] = await score([rollout]);
  expect(result).toMatchObject({ status: 'ok', reward: 0.75, components: { accuracy: 1, cites_source: 0 } });
  expect(stand.received).toHaveLength(2);
});

test('structured_output sends a JSON schema with each criterion\'s grade numbers', async () => {
  const { stand, score } = await rubric(() => ({ content: '```json\n{"accuracy": 3, "cites_source": 1}\n```' }), { structured_output: true });
  expect((await score([rollout]))[0]).toMatchObject({ reward: 0.75 });
  expect(stand.received[0]?.response_format?.json_schema?.schema).toEqual({
    type: 'object',
    properties: { accuracy: { type: 'integer', enum: [1, 2, 3] }, cites_source: { type: 'integer', enum: [1, 2] } },
    required: ['accuracy', 'cites_source'],
    additionalProperties: false,
  });
});

test('a reply that is not strictly the grades is an error, never reward 0', async () => {
  for (const content of ['{"accuracy": 3}', '{"accuracy": 4, "cites_source": 1}', '{"accuracy": 2.5, "cites_source": 1}', '{"accuracy": 3, "cites_source": 1, "bonus": 3}', 'accuracy: 3, cites_source: 1', '{"accuracy": "3", "cites_source": 1}']) {
    const { score } = await rubric(() => ({ content }));
    const [result] = await score([rollout]);
    expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'MODEL_UNAVAILABLE' } });
    await stand?.close();
  }
});

test('a rollout may bring its own rubric; with none anywhere the result is skipped', async () => {
  const { stand: server, score } = await rubric(() => ({ content: '{"mentions_ada": 2}' }), { criteria: [], principles: [] });
  const [own, none, bad] = await score([{ ...rollout, reference: [{ name: 'mentions_ada', text: 'Mentions the ADA.' }] }, rollout, { ...rollout, reference: [{ name: 'Bad Name', text: 'x' }] }]);
  expect(own).toMatchObject({ status: 'ok', reward: 1, components: { mentions_ada: 1 } });
  expect(none).toMatchObject({ status: 'skipped', reward: null });
  expect(bad).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
  expect(server.received).toHaveLength(1);
});

test('config errors: duplicate names, every weight 0, a template without {criteria}', async () => {
  const base = { base_url: 'http://127.0.0.1:9/v1', model: 'm' };
  await expect(createJudgeRubricReward({ ...base, criteria, principles: [{ name: 'accuracy', text: 'x' }] })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  await expect(createJudgeRubricReward({ ...base, principles: [{ name: 'a', text: 'x', weight: 0 }] })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  await expect(createJudgeRubricReward({ ...base, principles, template: { user: '{answer}' } })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
});

test('parseRubricReply and weightedRubricScore by hand', () => {
  const two = [
    { name: 'a', choices: ['x', 'y', 'z'] },
    { name: 'b', choices: ['no', 'yes'] },
  ];
  expect(parseRubricReply(' {"b": 1, "a": 3} ', two)).toEqual({ grades: { a: 3, b: 1 } });
  expect(parseRubricReply('{"a": 0, "b": 1}', two)).toEqual({ problem: 'criterion "a" needs an integer grade in 1..3, got 0' });
  expect(weightedRubricScore([{ score: 1, weight: 2 }, { score: 0.25, weight: 2 }, { score: 0, weight: 0 }])).toBe(0.625);
});
