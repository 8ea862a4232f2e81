import { createRegistry, createScorer } from '@mixreward/core';
import { mathVerifyPlugin, plugins } from './index.js';

const context = () => ({ signal: new AbortController().signal });

test('the package exports its plugins for registration, with every option defaulted', async () => {
  const registry = createRegistry(plugins);
  expect(registry.has('math.verify')).toBe(true);
  expect(registry.has('math.arithmetic')).toBe(true);
  expect(registry.has('math.prm')).toBe(true);
  const scorer = await createScorer(mathVerifyPlugin, { isolation: 'inline' });
  const [result] = await scorer.score([{ completion: 'Answer: (1, 2]', reference: '1 < x \\le 2' }], context());
  expect(result).toMatchObject({ status: 'ok', reward: 1 });
});
