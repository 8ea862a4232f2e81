import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createComposer, createRegistry, loadConfig, plugins as corePlugins } from '@mixreward/core';
import { plugins } from './index.js';

const here = (file: string): string => fileURLToPath(new URL(`../examples/${file}`, import.meta.url));

test('the example config scores the example rollouts', async () => {
  const registry = createRegistry([...corePlugins, ...plugins]);
  const composer = createComposer(await loadConfig(here('grounding.yaml'), registry), registry);
  try {
    const rollouts = readFileSync(here('rollouts.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
    const results = await composer.score(rollouts);
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const [qwen25, qwen2, detection, count] = results;
    // [10,20,110,120] vs [10,20,110,70]: IoU 5000 / 10000
    expect(qwen25?.reward).toBeCloseTo(0.1 + 0.9 * 0.5, 12);
    // tokens (500,0),(1000,500) on the grid of a 640 x 480 image are [320, 0, 640, 240]: IoU 1
    expect(qwen2?.reward).toBeCloseTo(1, 12);
    // AP50 per category: cat 1 (two of two), dog: TP then FP gives precision 1 at recall 1 -> 1;
    // odLength: 3 reference / 4 predicted boxes
    expect(detection?.components).toMatchObject({ ap: 0.75, boxes: expect.any(Number) });
    expect(detection?.reward).toBeCloseTo(0.1 + 0.9 * 0.75, 12);
    expect(count?.reward).toBeCloseTo(1, 12);
  } finally {
    await composer.dispose();
  }
});
