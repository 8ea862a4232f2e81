import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createComposer, createRegistry, loadConfig, plugins as corePlugins } from '@mixreward/core';
import { createFinanceNumericReward, plugins } from './index.js';

const root = join(import.meta.dirname, '..');

test('the README example runs and prints what it says', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  expect(readme).toContain('console.log(result.reward, result.reason); // 1 "answered $ 1,200,000 (tag), equal to the reference 1,200,000 (within 1% of the reference)"');
  const reward = await createFinanceNumericReward();
  const [result] = await reward.score(
    [{ completion: '<think>5.0 - 3.8 = 1.2</think><answer>\\boxed{\\$1.2 \\text{ million}}</answer>', reference: '1,200,000' }],
    { signal: new AbortController().signal },
  );
  expect([result?.reward, result?.reason]).toEqual([1, 'answered $ 1,200,000 (tag), equal to the reference 1,200,000 (within 1% of the reference)']);
});

test('examples/dianjin-r1.yaml scores the sample rollouts: format + correctness by task', async () => {
  const registry = createRegistry([...corePlugins, ...plugins]);
  const composer = createComposer(await loadConfig(join(root, 'examples', 'dianjin-r1.yaml'), registry), registry);
  const rollouts = readFileSync(join(root, 'examples', 'rollouts.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const results = await composer.score(rollouts);
  await composer.dispose();
  // finqa-1: format 1, $1.2 million = 1,200,000; finqa-2: 25% = 0.25; finqa-3: 12% is not 10%;
  // cflue-1: AC; cflue-2: right letters but no think/answer/boxed format.
  expect(results.map((result) => result.reward)).toEqual([1, 1, 0.2, 1, 0.8]);
});

test('examples/fin-prm.yaml validates against the registry', async () => {
  const registry = createRegistry([...corePlugins, ...plugins]);
  const config = await loadConfig(join(root, 'examples', 'fin-prm.yaml'), registry);
  expect([...config.components.keys()]).toEqual(['outcome', 'process', 'arithmetic']);
});
