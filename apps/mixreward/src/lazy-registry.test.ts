import { rewardPackages } from './registry.js';
import { registryFor, registryForConfig, rewardNamespaces } from './lazy-registry.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('every reward of every package is found through its namespace, in the package that has it', () => {
  for (const entry of rewardPackages) {
    for (const plugin of entry.plugins) {
      expect([plugin.name, rewardNamespaces[plugin.name.split('.')[0] as string]?.name]).toEqual([plugin.name, entry.name]);
    }
  }
});

test('a run loads core and the packages of its rewards only; an unknown name gets every package, so its error lists close names as before', async () => {
  const math = await registryFor(['math.verify']);
  expect(math.has('math.verify')).toBe(true);
  expect(math.has('format.tags')).toBe(true);
  expect(math.has('translation.bleu')).toBe(false);
  const unknown = await registryFor(['math.verfy']);
  expect(unknown.has('translation.bleu')).toBe(true);
  expect(() => unknown.get('math.verfy')).toThrow(/Did you mean "math.verify"/);
  const other = await registryFor(['maths.verify']);
  expect(other.has('vision.iou')).toBe(true);
});

test('a config gets the packages its rewards use; one that cannot be read or has no usable rewards gets every package', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixreward-lazy-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'rewards:\n  accuracy: { use: math.verify }\n  bleu: { use: translation.bleu }\nmix: accuracy\n');
  const registry = await registryForConfig(config);
  expect([registry.has('math.verify'), registry.has('translation.bleu'), registry.has('vision.iou')]).toEqual([true, true, false]);
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'rewards: [\n');
  expect((await registryForConfig(broken)).has('vision.iou')).toBe(true);
  expect((await registryForConfig(join(dir, 'missing.yaml'))).has('vision.iou')).toBe(true);
});
