import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '@mixreward/inference';
import { buildEmbeddingModel, buildStepScoreModel } from '@mixreward/model-builder';
import { createFinancePrmReward, splitSteps } from './index.js';

const signal = new AbortController().signal;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixreward-finance-prm-'));
  await buildStepScoreModel({ dir: join(dir, 'prm'), seed: 11 });
});

describe('finance.prm', () => {
  test('splitSteps: Step markers, paragraphs, lines, and the step cap', () => {
    expect(splitSteps('Step 1: revenue is 100.\nStep 2: cost is 60.\nStep 3: profit is 40.', 'auto', 64)).toEqual(['Step 1: revenue is 100.', 'Step 2: cost is 60.', 'Step 3: profit is 40.']);
    expect(splitSteps('first part\nstill first\n\nsecond part', 'auto', 64)).toEqual(['first part\nstill first', 'second part']);
    expect(splitSteps('one\ntwo\n\n\nthree', 'lines', 64)).toEqual(['one', 'two', 'three']);
    expect(splitSteps('a\nb\nc\nd', 'lines', 2)).toEqual(['a', 'b\nc\nd']);
    expect(splitSteps('  \n ', 'auto', 64)).toEqual([]);
  });

  test('step view (min/mean/last/product), trajectory view and both, from the model\'s own step scores', async () => {
    const model = await loadModel({ path: join(dir, 'prm'), device: 'cpu' });
    const question = 'what is the profit';
    const steps = ['revenue is 100', 'cost is 60', 'so profit is 40'];
    const scores = await model.scoreSteps(question, steps);
    const [whole] = await model.scoreSteps(question, [steps.join('\n')]);
    await model.dispose();
    const completion = `<think>${steps.join('\n')}</think><answer>40</answer>`;
    const expected = {
      min: Math.min(...scores),
      mean: scores.reduce((sum, value) => sum + value, 0) / scores.length,
      last: scores[2] as number,
      product: scores.reduce((product, value) => product * value, 1),
    };
    for (const aggregate of ['min', 'mean', 'last', 'product'] as const) {
      const reward = await createFinancePrmReward({ model: join(dir, 'prm'), device: 'cpu', aggregate, view: 'step', split: 'lines' });
      const [result] = await reward.score([{ completion, prompt: question }], { signal });
      expect(result?.reward).toBeCloseTo(expected[aggregate], 6);
      expect(result?.steps?.length).toBe(3);
      await reward.dispose?.();
    }
    const both = await createFinancePrmReward({ model: join(dir, 'prm'), device: 'cpu', split: 'lines' });
    const [result] = await both.score([{ completion, prompt: question }], { signal });
    expect(result?.reward).toBeCloseTo((expected.min + (whole as number)) / 2, 6);
    expect(result?.components?.trajectory).toBeCloseTo(whole as number, 6);
    const [empty] = await both.score([{ completion: '<think> </think><answer>40</answer>' }], { signal });
    expect(empty).toMatchObject({ status: 'ok', reward: 0 });
    await both.dispose?.();
    await both.dispose?.();
  });

  test('a model of another kind is refused at creation with INVALID_OPTIONS; a missing one with MODEL_UNAVAILABLE', async () => {
    await buildEmbeddingModel({ dir: join(dir, 'embed') });
    await expect(createFinancePrmReward({ model: join(dir, 'embed'), device: 'cpu' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createFinancePrmReward({ model: join(dir, 'missing'), device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });
});
