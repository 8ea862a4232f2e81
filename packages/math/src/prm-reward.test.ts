import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEmbeddingModel, buildStepScoreModel, type StepScoreModel } from '@mixreward/model-builder';
import { createMathPrmReward } from './prm-reward.js';
import { aggregateSteps, splitSteps } from './step-split.js';

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

/** The positive-label probability at each `<step>` token, from the builder's own reference maths (no ONNX Runtime, no tokenizer library). */
function referenceStepScores(model: StepScoreModel, prompt: string, steps: string[]): number[] {
  const encoded = model.encode([prompt, ...steps.map((step) => `${step} <step>`)].join('\n'));
  const logits = model.positionLogits(encoded.ids);
  return encoded.ids.flatMap((id, index) => {
    if (id !== model.separatorId) return [];
    const [negative, positive] = logits[index] as [number, number];
    return [1 / (1 + Math.exp(negative - positive))];
  });
}

describe('math.prm with a tiny step-score model', () => {
  let folder: string;
  let model: StepScoreModel;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'mixreward-math-prm-'));
    model = await buildStepScoreModel({ dir: join(folder, 'prm') });
    await buildEmbeddingModel({ dir: join(folder, 'embedding') });
  }, 60_000);

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  test('each step is scored by the model; the reward aggregates the step scores', async () => {
    const prompt = 'what is two plus two';
    const completion = 'Step 1: two plus two\nStep 2: is four';
    const [first, second] = referenceStepScores(model, prompt, ['Step 1: two plus two', 'Step 2: is four']) as [number, number];
    // Plain maths over the two reference scores, not the package's aggregateSteps.
    const expected = { min: Math.min(first, second), mean: (first + second) / 2, last: second, product: first * second };
    expect(first).not.toBeCloseTo(second, 3);
    for (const aggregate of ['min', 'mean', 'last', 'product'] as const) {
      const scorer = await createMathPrmReward({ model: 'prm', device: 'cpu', aggregate }, { baseDir: folder });
      try {
        const [result] = await scorer.score([{ prompt, completion }], context());
        expect(result?.status).toBe('ok');
        expect(result?.steps).toHaveLength(2);
        expect(result?.steps?.[0]).toBeCloseTo(first, 5);
        expect(result?.steps?.[1]).toBeCloseTo(second, 5);
        expect(result?.reward).toBeCloseTo(expected[aggregate], 5);
        expect(result?.components).toEqual({ steps: 2 });
      } finally {
        await scorer.dispose?.();
        await scorer.dispose?.();
      }
    }
  }, 60_000);

  test('an empty reasoning scores 0 with no steps; chat prompts use the last user message', async () => {
    const scorer = await createMathPrmReward({ model: join(folder, 'prm'), device: 'cpu' });
    try {
      const results = await scorer.score(
        [
          { completion: '   ' },
          { prompt: [{ role: 'user', content: 'what is two plus two' }], completion: 'two plus two\n\nis four' },
        ],
        context(),
      );
      expect(results[0]).toMatchObject({ status: 'ok', reward: 0, steps: [] });
      const [first, second] = referenceStepScores(model, 'what is two plus two', ['two plus two', 'is four']) as [number, number];
      expect(results[1]?.reward).toBeCloseTo(Math.min(first, second), 5);
    } finally {
      await scorer.dispose?.();
    }
  }, 60_000);

  test('a model of another kind is INVALID_OPTIONS; a missing folder is MODEL_UNAVAILABLE', async () => {
    await expect(createMathPrmReward({ model: 'embedding', device: 'cpu' }, { baseDir: folder })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createMathPrmReward({ model: 'missing', device: 'cpu' }, { baseDir: folder })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  }, 60_000);
});
