import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createComposer, createRegistry, loadConfig, plugins as corePlugins } from '@mixreward/core';
import { buildSequenceScoreModel } from '@mixreward/model-builder';
import { plugins } from './index.js';

const example = (file: string): string => fileURLToPath(new URL(`../examples/${file}`, import.meta.url));

let root: string;
let kiwi: Awaited<ReturnType<typeof buildSequenceScoreModel>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-mt-r1-zero-'));
  await copyFile(example('mt-r1-zero.yaml'), join(root, 'mt-r1-zero.yaml'));
  kiwi = await buildSequenceScoreModel({ dir: join(root, 'models', 'cometkiwi') });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('examples/mt-r1-zero.yaml: format gate, then 1 + BLEU/100 + COMETKiwi; -3 when the format fails', async () => {
  const registry = createRegistry([...corePlugins, ...plugins]);
  const composer = createComposer(await loadConfig(join(root, 'mt-r1-zero.yaml'), registry), registry);
  // the QE model's scores of (hypothesis, source) from the builder's plain-TypeScript forward pass
  // (independent of the runtime under test; float32 differs in the last bits)
  const [zhKiwi] = kiwi.score('我爱我的家人。', 'I love my family.');
  const [enKiwi] = kiwi.score('the cat sat on the mat', 'le chat est sur le tapis');
  try {
    const rollouts = (await readFile(example('rollouts.jsonl'), 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
    const [zh, en, bad] = await composer.score(rollouts);
    // zh tokenizer, identical 7-token sentences: BLEU exp(4 ln 100 / 4)
    expect(zh?.status).toBe('ok');
    expect(zh?.components?.bleu).toBeCloseTo(1, 12);
    expect(Math.abs((zh?.reward ?? Number.NaN) - (1 + 1 + (zhKiwi as number)))).toBeLessThan(1e-5);
    // 13a, corpus-style BLEU (no effective order): 5/6, 3/5, 1/4 and exp-smoothed 1/(2*3)
    const bleu = Math.pow((5 / 6) * (3 / 5) * (1 / 4) * (1 / 6), 0.25);
    expect(en?.components?.bleu).toBeCloseTo(bleu, 12);
    expect(Math.abs((en?.reward ?? Number.NaN) - (1 + bleu + (enKiwi as number)))).toBeLessThan(1e-5);
    // no <think>: the gate takes the else branch and the metrics are never computed
    expect(bad?.reward).toBe(-3);
  } finally {
    await composer.dispose();
  }
});
