import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createRegistry, createScorer, promptText, silentLogger, type Rollout, type Scorer } from '@mixreward/core';
import { buildEmbeddingModel, buildSequenceScoreModel, buildClipModel, type EmbeddingModel, type SequenceScoreModel } from '@mixreward/model-builder';
import { createModelScoreReward, createTextSimilarityReward, openRewardModel, plugins, textSimilarityPlugin } from './index.js';

let root: string;
let embedding: EmbeddingModel;
let scorer: SequenceScoreModel;
let multi: SequenceScoreModel;
const signal = new AbortController().signal;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-plugins-'));
  embedding = await buildEmbeddingModel({ dir: join(root, 'embedding') });
  scorer = await buildSequenceScoreModel({ dir: join(root, 'score') });
  multi = await buildSequenceScoreModel({ dir: join(root, 'multi'), labels: ['bad', 'good'], activation: 'softmax', seed: 3 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function scoreWith(scorerPromise: Promise<Scorer>, rollouts: Rollout[]) {
  const created = await scorerPromise;
  try {
    return await created.score(rollouts, { signal });
  } finally {
    await created.dispose?.();
  }
}

const cosine = (a: number[], b: number[]) => {
  const dot = a.reduce((sum, value, index) => sum + value * (b[index] as number), 0);
  const norm = (v: number[]) => Math.sqrt(v.reduce((sum, value) => sum + value * value, 0));
  return dot / (norm(a) * norm(b));
};

test('plugins registers model.score and text.similarity', () => {
  const registry = createRegistry(plugins);
  expect(registry.list().map((plugin) => plugin.name)).toEqual(['model.score', 'text.similarity']);
});

describe('model.score', () => {
  test('scores (prompt, completion) as a text pair, batched across rollouts', async () => {
    const rollouts: Rollout[] = [
      { prompt: 'what is two plus two?', completion: 'four' },
      { prompt: 'what is two plus two?', completion: 'the answer is 5' },
      { completion: 'hello world' },
    ];
    const results = await scoreWith(createModelScoreReward({ model: scorer.dir, device: 'cpu' }), rollouts);
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok']);
    expect(results[0]?.reward).toBeCloseTo(scorer.score('what is two plus two?', 'four')[0] as number, 5);
    expect(results[1]?.reward).toBeCloseTo(scorer.score('what is two plus two?', 'the answer is 5')[0] as number, 5);
    expect(results[2]?.reward).toBeCloseTo(scorer.score('hello world')[0] as number, 5);
    expect(results[0]?.components?.reward).toBeCloseTo(results[0]?.reward as number, 10);
  });

  test('chat prompts use their text; template and label options pick the input and the score', async () => {
    const chat: Rollout = { prompt: [{ role: 'system', content: 'be good' }, { role: 'user', content: [{ type: 'text', text: 'yes or no?' }] }], completion: 'yes' };
    expect(promptText(chat.prompt)).toBe('be good\nyes or no?');
    const byLabel = await scoreWith(createModelScoreReward({ model: multi.dir, device: 'cpu', label: 'bad' }), [chat]);
    expect(byLabel[0]?.reward).toBeCloseTo(multi.score('be good\nyes or no?', 'yes')[0] as number, 5);
    expect(Object.keys(byLabel[0]?.components ?? {})).toEqual(['bad', 'good']);
    const templated = await scoreWith(createModelScoreReward({ model: multi.dir, device: 'cpu', template: 'question: {prompt} answer: {completion}' }), [
      { prompt: 'is the sky blue?', completion: 'yes' },
    ]);
    expect(templated[0]?.reward).toBeCloseTo(multi.score('question: is the sky blue? answer: yes')[1] as number, 5);
  });

  test('one bad rollout does not fail its batch', async () => {
    const results = await scoreWith(createModelScoreReward({ model: scorer.dir, device: 'cpu' }), [
      { completion: '' },
      { completion: 42 as unknown as string },
      { completion: 'fine' },
    ]);
    expect(results.map((result) => result.status)).toEqual(['error', 'error', 'ok']);
    expect(results[0]?.reason).toContain('completion');
    expect(results[1]?.error?.code).toBe('INVALID_ROLLOUT');
  });

  test('a model of another kind or an unknown label is rejected at creation', async () => {
    await expect(createModelScoreReward({ model: embedding.dir, device: 'cpu' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createModelScoreReward({ model: multi.dir, device: 'cpu', label: 'great' })).rejects.toThrow(/with\.label/);
    await expect(createModelScoreReward({ model: join(root, 'missing'), device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });

  test('a relative model path resolves against baseDir', async () => {
    const results = await scoreWith(createModelScoreReward({ model: basename(scorer.dir), device: 'cpu' }, { baseDir: dirname(scorer.dir) }), [{ completion: 'red' }]);
    expect(results[0]?.status).toBe('ok');
  });
});

describe('text.similarity', () => {
  test('cosine compares pooled embeddings; identical text scores 1', async () => {
    const results = await scoreWith(createTextSimilarityReward({ model: embedding.dir, device: 'cpu' }), [
      { completion: 'a cat sat on the mat', reference: 'the cat sat on a mat' },
      { completion: 'big red car', reference: 'big red car' },
    ]);
    const expected = cosine(embedding.embed('a cat sat on the mat'), embedding.embed('the cat sat on a mat'));
    expect(results[0]?.components?.cosine).toBeCloseTo(expected, 5);
    expect(results[0]?.reward).toBeCloseTo(Math.max(0, expected), 5);
    expect(results[1]?.reward).toBeCloseTo(1, 5);
  });

  test('bmas averages best token matches in both directions', async () => {
    const candidate = 'the quick fox';
    const reference = 'a quick brown fox jumps';
    const results = await scoreWith(createTextSimilarityReward({ model: embedding.dir, device: 'cpu', method: 'bmas' }), [{ completion: candidate, reference }]);
    const c = embedding.embedTokens(candidate);
    const r = embedding.embedTokens(reference);
    const precision = c.reduce((sum, token) => sum + Math.max(...r.map((other) => cosine(token, other))), 0) / c.length;
    const recall = r.reduce((sum, token) => sum + Math.max(...c.map((other) => cosine(token, other))), 0) / r.length;
    expect(results[0]?.components?.precision).toBeCloseTo(precision, 5);
    expect(results[0]?.components?.recall).toBeCloseTo(recall, 5);
    expect(results[0]?.components?.bmas).toBeCloseTo((precision + recall) / 2, 5);
    expect(results[0]?.reward).toBeCloseTo(Math.min(1, Math.max(0, (precision + recall) / 2)), 5);
    const f1 = await scoreWith(createTextSimilarityReward({ model: embedding.dir, device: 'cpu', method: 'bmas', combine: 'f1' }), [{ completion: candidate, reference }]);
    expect(f1[0]?.components?.bmas).toBeCloseTo((2 * precision * recall) / (precision + recall), 5);
  });

  test('several references: the best counts; missing reference skips; malformed reference errors', async () => {
    const results = await scoreWith(createTextSimilarityReward({ model: embedding.dir, device: 'cpu', clamp: false }), [
      { completion: 'green tree', reference: ['blue sky', 'green tree'] },
      { completion: 'green tree' },
      { completion: 'green tree', reference: '   ' },
      { completion: 'green tree', reference: { text: 'x' } },
      { completion: '', reference: 'green tree' },
    ]);
    expect(results[0]?.reward).toBeCloseTo(1, 5);
    expect(results[0]?.reason).toContain('best of 2');
    expect(results[1]).toMatchObject({ status: 'skipped', reward: null, reason: expect.stringContaining('no reference: text.similarity needs rollout.reference') });
    expect(results[2]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('blank reference') });
    expect(results[3]).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
    expect(results[3]?.reason).toContain('reference');
    expect(results[4]).toMatchObject({ status: 'ok', reward: 0, reason: 'empty completion' });
  });

  test('bmas needs per-token embeddings; cosine also takes a clip text tower', async () => {
    const clip = await buildClipModel({ dir: join(root, 'clip'), imageSize: 8 });
    await expect(createTextSimilarityReward({ model: clip.dir, device: 'cpu', method: 'bmas' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const results = await scoreWith(createTextSimilarityReward({ model: clip.dir, device: 'cpu' }), [{ completion: 'red car', reference: 'blue car' }]);
    expect(results[0]?.components?.cosine).toBeCloseTo(cosine(clip.embedText('red car'), clip.embedText('blue car')), 5);
  });

  test('options are snake_case: max_batch_size and cache_size are taken, the camelCase spellings rejected', async () => {
    const results = await scoreWith(createTextSimilarityReward({ model: embedding.dir, device: 'cpu', max_batch_size: 2, max_wait_ms: 0, cache_size: 0 }), [
      { completion: 'red car', reference: 'red car' },
    ]);
    expect(results[0]?.reward).toBeCloseTo(1, 5);
    const camel: Record<string, unknown> = { model: embedding.dir, maxBatchSize: 2 };
    await expect(createScorer(textSimilarityPlugin, camel)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  test('unknown options are config errors naming the option', async () => {
    await expect(createTextSimilarityReward({ model: embedding.dir, method: 'jaccard' as 'cosine' })).rejects.toThrow(/with\.method/);
  });
});

describe('openRewardModel', () => {
  test('a model of the wrong kind is rejected naming the reward and with.model', async () => {
    const options = { model: join(root, 'embedding'), device: 'cpu' as const, device_id: 0, max_batch_size: 8, max_wait_ms: 1 };
    await expect(openRewardModel('math.prm', options, { baseDir: root, logger: silentLogger }, ['step-score'])).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      path: 'with.model',
      message: expect.stringContaining('math.prm needs a model of kind "step-score"'),
    });
    const model = await openRewardModel('text.similarity', options, { baseDir: root, logger: silentLogger }, ['embedding']);
    try {
      expect(model.manifest.kind).toBe('embedding');
    } finally {
      await model.dispose();
    }
  });
});
