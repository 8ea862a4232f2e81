import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@mixreward/core';
import { buildEmbeddingModel, buildSequenceScoreModel, type SequenceScoreModel } from '@mixreward/model-builder';
import { openSequenceScorer, selectLabelScore } from './index.js';

describe('selectLabelScore', () => {
  test('undefined picks the last output; names come from the manifest labels', () => {
    expect(selectLabelScore([0.2, 0.8], ['bad', 'good'], undefined)).toEqual({ value: 0.8, label: 'good', index: 1, scores: { bad: 0.2, good: 0.8 } });
  });

  test('a name or an index picks that output', () => {
    expect(selectLabelScore([0.2, 0.8], ['bad', 'good'], 'bad')).toMatchObject({ value: 0.2, label: 'bad', index: 0 });
    expect(selectLabelScore([0.1, 0.3, 0.6], undefined, 1)).toEqual({ value: 0.3, label: 'label_1', index: 1, scores: { label_0: 0.1, label_1: 0.3, label_2: 0.6 } });
  });

  test('without manifest labels the outputs are label_<index>, and a name can address them', () => {
    expect(selectLabelScore([-1.5], undefined, undefined)).toEqual({ value: -1.5, label: 'label_0', index: 0, scores: { label_0: -1.5 } });
    expect(selectLabelScore([4, 5], undefined, 'label_0').value).toBe(4);
  });

  test('a label that names no output is INVALID_OPTIONS at with.label, listing the outputs', () => {
    expect(() => selectLabelScore([0.2, 0.8], ['bad', 'good'], 'great')).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', path: 'with.label' }));
    expect(() => selectLabelScore([0.2, 0.8], ['bad', 'good'], 2)).toThrow(/bad, good/);
    expect(() => selectLabelScore([], undefined, undefined)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});

describe('openSequenceScorer', () => {
  let root: string;
  let multi: SequenceScoreModel;
  const shared = { device: 'cpu' as const, device_id: 0, max_batch_size: 8, max_wait_ms: 1 };
  const context = { baseDir: process.cwd(), logger: silentLogger };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mixreward-sequence-score-'));
    multi = await buildSequenceScoreModel({ dir: join(root, 'multi'), labels: ['bad', 'good'], activation: 'softmax', seed: 5 });
    await buildEmbeddingModel({ dir: join(root, 'embedding') });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('scores a text pair and picks the label; the builder computes the expected softmax', async () => {
    const scorer = await openSequenceScorer('test.reward', { model: multi.dir, ...shared, label: 'bad' }, context);
    try {
      const [bad, good] = multi.score('is it raining?', 'yes it is') as [number, number];
      const picked = await scorer.score('is it raining?', 'yes it is');
      expect(picked.label).toBe('bad');
      expect(picked.value).toBeCloseTo(bad, 5);
      expect(picked.scores.good).toBeCloseTo(good, 5);
      expect(scorer.manifest.labels).toEqual(['bad', 'good']);
    } finally {
      await scorer.dispose();
      await scorer.dispose();
    }
  });

  test('an unknown label name or index, or a model of another kind, is rejected at load naming the option', async () => {
    await expect(openSequenceScorer('test.reward', { model: multi.dir, ...shared, label: 'great' }, context)).rejects.toMatchObject({ code: 'INVALID_OPTIONS', path: 'with.label' });
    await expect(openSequenceScorer('test.reward', { model: multi.dir, ...shared, label: 2 }, context)).rejects.toMatchObject({ code: 'INVALID_OPTIONS', path: 'with.label' });
    await expect(openSequenceScorer('test.reward', { model: join(root, 'embedding'), ...shared }, context)).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      path: 'with.model',
    });
  });
});
