import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createComposer, createRegistry, loadConfig } from '@mixreward/core';
import { buildSequenceScoreModel, type SequenceScoreModel } from '@mixreward/model-builder';
import { plugins } from './index.js';
import { createCodeReasoningReward, explanationText } from './reasoning-reward.js';

// These tests run real programs in sandboxes; on a loaded machine one can take seconds. This is
// jest's budget per test, not an assertion about time.
(import.meta as ImportMeta & { jest: { setTimeout(ms: number): void } }).jest.setTimeout(60000);

let root: string;
let model: SequenceScoreModel;
let twoLabels: SequenceScoreModel;
const signal = new AbortController().signal;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-code-reasoning-'));
  model = await buildSequenceScoreModel({ dir: join(root, 'models', 'reasoning-rm'), seed: 11 });
  twoLabels = await buildSequenceScoreModel({ dir: join(root, 'models', 'two-labels'), seed: 12, labels: ['bad', 'good'] });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const prompt = 'add the two numbers';
const explanation = 'read the two numbers and print the sum';
const passing = `${explanation}\n\n\`\`\`python\na, b = map(int, input().split())\nprint(a + b)\n\`\`\``;
const failing = `${explanation}\n\n\`\`\`python\na, b = map(int, input().split())\nprint(a - b)\n\`\`\``;
const reference = { tests: [{ stdin: '1 2', stdout: '3' }, { stdin: '5 5', stdout: '10' }] };

test('the explanation is the text outside the fenced code', () => {
  expect(explanationText(passing)).toBe(explanation);
  expect(explanationText('a\n~~~js\nx\n~~~\n\n\n\nb')).toBe('a\n\nb');
});

test('code.reasoning scores (prompt, explanation) with the model', async () => {
  const scorer = await createCodeReasoningReward({ model: model.dir, device: 'cpu' });
  try {
    const [withPrompt, alone, empty] = await scorer.score(
      [{ prompt, completion: passing }, { completion: passing }, { completion: '```python\nprint(1)\n```' }],
      { signal },
    );
    expect(withPrompt?.reward).toBeCloseTo(model.score(prompt, explanation)[0] as number, 5);
    expect(alone?.reward).toBeCloseTo(model.score(explanation)[0] as number, 5);
    expect(empty).toMatchObject({ status: 'ok', reward: 0 });
  } finally {
    await scorer.dispose?.();
  }
});

test("label choice is model.score's: a label name, an index, and a label the model lacks", async () => {
  const byName = await createCodeReasoningReward({ model: twoLabels.dir, device: 'cpu', label: 'bad' });
  const byIndex = await createCodeReasoningReward({ model: twoLabels.dir, device: 'cpu', label: 1, input: 'text' });
  try {
    const [bad] = await byName.score([{ prompt, completion: passing }], { signal });
    const [good] = await byIndex.score([{ prompt, completion: passing }], { signal });
    // softmax over two labels: the builder's own forward pass is the independent computation
    expect(bad?.reward).toBeCloseTo(twoLabels.score(prompt, explanation)[0] as number, 5);
    expect(good?.reward).toBeCloseTo(twoLabels.score(explanation)[1] as number, 5);
    expect(bad?.components).toEqual({ reasoning: bad?.reward });
    expect(bad?.reason).toContain('bad');
  } finally {
    await byName.dispose?.();
    await byName.dispose?.(); // idempotent
    await byIndex.dispose?.();
  }
  await expect(createCodeReasoningReward({ model: twoLabels.dir, device: 'cpu', label: 'neutral' })).rejects.toMatchObject({
    code: 'INVALID_OPTIONS',
    message: expect.stringMatching(/^code\.reasoning: .*neutral/),
  });
});

test('a missing model is an error naming the folder', async () => {
  await expect(createCodeReasoningReward({ model: join(root, 'no-such-model'), device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
});

test('examples/posterior-grpo.yaml gates the reasoning reward on passing tests', async () => {
  const configPath = join(root, 'posterior-grpo.yaml');
  await copyFile(new URL('../examples/posterior-grpo.yaml', import.meta.url), configPath);
  const registry = createRegistry(plugins);
  const composer = createComposer(await loadConfig(configPath, registry), registry);
  try {
    const [good, bad] = await composer.score([
      { prompt, completion: passing, reference },
      { prompt, completion: failing, reference },
    ]);
    const reasoning = model.score(prompt, explanation)[0] as number;
    expect(good?.status).toBe('ok');
    expect(good?.reward).toBeCloseTo(1 + reasoning, 5);
    expect(bad).toMatchObject({ status: 'ok', reward: 0 });
    expect(bad?.components?.reasoning ?? null).toBeNull();
  } finally {
    await composer.dispose();
  }
});
