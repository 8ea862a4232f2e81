import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, type Model } from '@mixreward/inference';
import { buildEmbeddingModel, buildStepScoreModel } from '@mixreward/model-builder';
import { aggregateSteps, splitSteps } from './step-split.js';
import { createPrmReward } from './prm-plugin.js';

const context = () => ({ signal: new AbortController().signal });

describe('splitSteps', () => {
  test('step markers, blank lines, separators, lines and auto', () => {
    const marked = 'Intro.\nStep 1: add 2.\nStep 2: double it.\n\nStep 3: done.';
    expect(splitSteps(marked, { split: 'step-markers' })).toEqual(['Intro.', 'Step 1: add 2.', 'Step 2: double it.', 'Step 3: done.']);
    expect(splitSteps(marked)).toEqual(splitSteps(marked, { split: 'step-markers' }));
    expect(splitSteps('a\nb\n\n c \n\n\n', { split: 'blank-lines' })).toEqual(['a\nb', 'c']);
    expect(splitSteps('a ки b ки', { split: 'separator', separator: 'ки' })).toEqual(['a', 'b']);
    expect(splitSteps('a\nb\n\nc', { split: 'lines' })).toEqual(['a', 'b', 'c']);
    expect(splitSteps('one line only\nsecond line')).toEqual(['one line only', 'second line']);
    expect(splitSteps('p1\n\np2')).toEqual(['p1', 'p2']);
    expect(splitSteps('   ')).toEqual([]);
    expect(splitSteps('a\n\nb\n\nc\n\nd', { maxSteps: 2 })).toEqual(['a', 'b\nc\nd']);
  });

  test('aggregates: min, mean, last, product', () => {
    const scores = [0.9, 0.5, 0.8];
    expect(aggregateSteps(scores, 'min')).toBe(0.5);
    expect(aggregateSteps(scores, 'mean')).toBeCloseTo(2.2 / 3, 12);
    expect(aggregateSteps(scores, 'last')).toBe(0.8);
    expect(aggregateSteps(scores, 'product')).toBeCloseTo(0.36, 12);
    expect(aggregateSteps([], 'min')).toBeNaN();
  });
});

describe('math.prm with a tiny step-score model', () => {
  let folder: string;
  let reference: Model;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'mixreward-math-prm-'));
    await buildStepScoreModel({ dir: join(folder, 'prm') });
    await buildEmbeddingModel({ dir: join(folder, 'embedding') });
    reference = await loadModel({ path: join(folder, 'prm'), device: 'cpu', batching: false });
  }, 60_000);

  afterAll(async () => {
    await reference.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  test('each step is scored by the model; the reward aggregates the step scores', async () => {
    const prompt = 'what is two plus two';
    const completion = 'Step 1: two plus two\nStep 2: is four';
    const expected = await reference.scoreSteps(prompt, ['Step 1: two plus two', 'Step 2: is four']);
    expect(expected).toHaveLength(2);
    for (const aggregate of ['min', 'mean', 'last', 'product'] as const) {
      const scorer = await createPrmReward({ model: 'prm', device: 'cpu', aggregate }, { baseDir: folder });
      try {
        const [result] = await scorer.score([{ prompt, completion }], context());
        expect(result?.status).toBe('ok');
        expect(result?.steps).toHaveLength(2);
        result?.steps?.forEach((score, index) => expect(score).toBeCloseTo(expected[index] as number, 5));
        expect(result?.reward).toBeCloseTo(aggregateSteps(expected, aggregate), 5);
        expect(result?.components).toEqual({ steps: 2 });
      } finally {
        await scorer.dispose?.();
      }
    }
  }, 60_000);

  test('an empty reasoning scores 0 with no steps; chat prompts use the last user message', async () => {
    const scorer = await createPrmReward({ model: join(folder, 'prm'), device: 'cpu' });
    try {
      const results = await scorer.score(
        [
          { completion: '   ' },
          { prompt: [{ role: 'user', content: 'what is two plus two' }], completion: 'two plus two\n\nis four' },
        ],
        context(),
      );
      expect(results[0]).toMatchObject({ status: 'ok', reward: 0, steps: [] });
      const expected = await reference.scoreSteps('what is two plus two', ['two plus two', 'is four']);
      expect(results[1]?.reward).toBeCloseTo(Math.min(...expected), 5);
    } finally {
      await scorer.dispose?.();
    }
  }, 60_000);

  test('a model of another kind or a missing folder is a clear error', async () => {
    await expect(createPrmReward({ model: 'embedding', device: 'cpu' }, { baseDir: folder })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createPrmReward({ model: 'missing', device: 'cpu' }, { baseDir: folder })).rejects.toMatchObject({ code: expect.stringMatching(/MODEL_UNAVAILABLE|INVALID_OPTIONS|INVALID_CONFIG/) });
  }, 60_000);
});
