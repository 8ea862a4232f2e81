import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createComposer, createRegistry, loadConfig, plugins as corePlugins } from '@mixreward/core';
import { plugins } from './index.js';

const here = (file: string): string => fileURLToPath(new URL(`../examples/${file}`, import.meta.url));

test('the example config scores the example rollouts', async () => {
  const registry = createRegistry([...corePlugins, ...plugins]);
  const composer = createComposer(await loadConfig(here('video.yaml'), registry), registry);
  try {
    const rollouts = readFileSync(here('rollouts.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
    const results = await composer.score(rollouts);
    expect(results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const [close, whole, order, tube] = results;
    // [12.5, 15] vs [12, 15]: 2.5 / 3; boundary-aware: × (1 − 0.5/30) × 1
    expect(close?.reward).toBeCloseTo(0.1 + 0.9 * (2.5 / 3), 12);
    expect(close?.components?.tiou_boundary).toBeCloseTo((2.5 / 3) * (1 - 0.5 / 30), 12);
    // covering the whole 30 s video: 3 / 30
    expect(whole?.reward).toBeCloseTo(0.1 + 0.9 * 0.1, 12);
    // B, A, C against A, B, C: 2 of 3 pairs concordant
    expect(order?.reward).toBeCloseTo(0.1 + 0.9 * (2 / 3), 12);
    // frame 3 IoU 1, frame 4 IoU 50/150, over 2 frames
    expect(tube?.reward).toBeCloseTo(0.1 + 0.9 * ((1 + 1 / 3) / 2), 12);
  } finally {
    await composer.dispose();
  }
});
