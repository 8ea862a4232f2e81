import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScorer, type Rollout, type Scorer } from '@mixreward/core';
import { buildEmbeddingModel, buildSequenceScoreModel, type SequenceScoreModel } from '@mixreward/model-builder';
import { translationCometPlugin, createTranslationCometReward, fillCometTemplate } from './comet-reward.js';

let root: string;
const built = new Map<string, SequenceScoreModel>();
const signal = new AbortController().signal;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-comet-'));
  built.set('comet', await buildSequenceScoreModel({ dir: join(root, 'comet') }));
  built.set('multi', await buildSequenceScoreModel({ dir: join(root, 'multi'), labels: ['bad', 'good'], activation: 'softmax', seed: 5 }));
  await buildEmbeddingModel({ dir: join(root, 'embedding') });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(scorer: Promise<Scorer>, rollouts: Rollout[]) {
  const created = await scorer;
  try {
    return await created.score(rollouts, { signal });
  } finally {
    await created.dispose?.();
  }
}

/** Expected scores from independent maths: the builder's plain-TypeScript forward pass of the same weights (not the runtime under test). */
async function direct(folder: string, text: string, pair?: string): Promise<number[]> {
  return (built.get(folder) as SequenceScoreModel).score(text, pair);
}

// float32: a batched run and a single request differ in the last bits
const close = (actual: number | null | undefined, expected: number) => expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThan(1e-5);

test('reference mode scores (hypothesis, "source </s> reference") and reports components.comet', async () => {
  const results = await run(createTranslationCometReward({ model: join(root, 'comet'), device: 'cpu' }), [
    { completion: '<translate>the cat sat</translate>', reference: { refs: ['the cat is sitting'], source: 'le chat est assis' } },
    { completion: 'a dog', reference: 'the dog', meta: { source: 'le chien' } },
  ]);
  const [first] = await direct('comet', 'the cat sat', 'le chat est assis </s> the cat is sitting');
  const [second] = await direct('comet', 'a dog', 'le chien </s> the dog');
  expect(results.map((result) => result.status)).toEqual(['ok', 'ok']);
  close(results[0]?.reward, first as number);
  close(results[0]?.components?.comet, first as number);
  close(results[1]?.reward, second as number);
});

test('qe mode needs no reference (COMETKiwi-style (hypothesis, source))', async () => {
  const results = await run(createTranslationCometReward({ model: join(root, 'comet'), mode: 'qe', device: 'cpu' }), [
    { completion: 'the cat sat', meta: { source: 'le chat est assis' } },
    { completion: 'the cat sat' },
  ]);
  close(results[0]?.reward, (await direct('comet', 'the cat sat', 'le chat est assis'))[0] as number);
  expect(results[1]?.status).toBe('skipped');
  expect(results[1]?.reason).toContain('meta.source');
});

test('templates and labels are configurable', async () => {
  const results = await run(
    createTranslationCometReward({ model: join(root, 'multi'), text: '{hypothesis} | {reference}', pair: null, label: 'good', device: 'cpu' }),
    [{ completion: 'hello world', reference: 'hello there' }],
  );
  close(results[0]?.reward, (await direct('multi', 'hello world | hello there'))[1] as number);
  expect(fillCometTemplate('{source}{hypothesis}', { source: '{hypothesis}', hypothesis: 'x', reference: undefined })).toEqual({ text: '{hypothesis}x' });
  expect(fillCometTemplate('{reference}', { source: 's', hypothesis: 'x', reference: undefined })).toEqual({ missing: 'reference' });
});

test('reference mode abstains without a reference; bad references fail only their rollout', async () => {
  const results = await run(createTranslationCometReward({ model: join(root, 'comet'), device: 'cpu' }), [
    { completion: 'x', meta: { source: 's' } },
    { completion: 'x', reference: 5, meta: { source: 's' } },
    { completion: 'x', reference: 'y', meta: { source: 's' } },
  ]);
  expect(results.map((result) => result.status)).toEqual(['skipped', 'error', 'ok']);
  expect(results[1]?.error?.code).toBe('INVALID_REFERENCE');
});

test('a missing model folder or a model of the wrong kind fails at creation, naming the fix', async () => {
  await expect(createScorer(translationCometPlugin, { model: join(root, 'nowhere'), device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  await expect(createScorer(translationCometPlugin, { model: join(root, 'embedding'), device: 'cpu' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  await expect(createScorer(translationCometPlugin, { model: join(root, 'multi'), label: 'excellent', device: 'cpu' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  await expect(createScorer(translationCometPlugin, {})).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
});
