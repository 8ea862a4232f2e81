import { RewardError, createRegistry, ok } from './index.js';

test('a registry reports unknown rewards with close names', () => {
  const registry = createRegistry();
  expect(() => registry.get('x')).toThrow(RewardError);
  expect(ok(1)).toEqual({ reward: 1, status: 'ok' });
});
