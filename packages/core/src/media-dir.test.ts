import { createComposer } from './composer.js';
import { validateConfig } from './config.js';
import { definePlugin, perRollout, type CreateContext } from './plugin.js';
import { createRegistry } from './registry.js';
import { ok } from './results.js';
import { z } from 'zod';

describe('where relative paths resolve', () => {
  const seen: Partial<CreateContext>[] = [];
  const probe = definePlugin({
    name: 'test.context',
    description: 'records the context it was created with',
    follows: 'nothing (a test probe)',
    reference: 'none',
    options: z.object({}).strict(),
    create(_options, context) {
      seen.push({ baseDir: context.baseDir, ...(context.mediaDir === undefined ? {} : { mediaDir: context.mediaDir }) });
      return perRollout(() => ok(1));
    },
  });
  const registry = createRegistry([probe]);

  test('media paths resolve against the composer\'s mediaDir (the CLI passes the input file\'s folder); options against the config folder', async () => {
    const config = validateConfig({ rewards: { probe: { use: 'test.context' } } }, registry, { baseDir: '/configs' });
    const composer = createComposer(config, registry, { mediaDir: '/data/run-1' });
    await composer.score([{ completion: 'x' }]);
    await composer.dispose();
    const fallback = createComposer(config, registry);
    await fallback.score([{ completion: 'x' }]);
    await fallback.dispose();
    expect(seen).toEqual([
      { baseDir: '/configs', mediaDir: '/data/run-1' },
      { baseDir: '/configs', mediaDir: process.cwd() },
    ]);
  });
});
