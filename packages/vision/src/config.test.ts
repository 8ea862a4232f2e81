import { configJsonSchema, createComposer, createRegistry, plugins as corePlugins, validateConfig } from '@mixreward/core';
import { plugins } from './index.js';

describe('vision rewards in a Mixed-Reward config', () => {
  const registry = createRegistry([...corePlugins, ...plugins]);

  test('every option schema goes into the config JSON Schema', () => {
    const schema = JSON.stringify(configJsonSchema(registry));
    for (const name of ['vision.iou', 'vision.point', 'vision.match', 'vision.detection', 'vision.count', 'vision.clip']) expect(schema).toContain(name);
    expect(schema).toContain('tokenFrame');
  });

  test('a grounding mix: 0.1 format + 0.9 IoU, with a metric-only match component', async () => {
    const validated = validateConfig(
      {
        rewards: {
          format: { use: 'format.tags', with: { tags: ['think', 'answer'] } },
          iou: { use: 'vision.iou', with: { metric: 'iou' } },
          boxes: { use: 'vision.match', with: { threshold: 0.5 } },
        },
        mix: { sum: { format: 0.1, iou: 0.9 } },
      },
      registry,
    );
    const composer = createComposer(validated, registry);
    try {
      const [result] = await composer.score([
        { completion: '<think>the dog</think><answer>[0, 0, 10, 5]</answer>', reference: { boxes: [[0, 0, 10, 10]] } },
      ]);
      expect(result?.status).toBe('ok');
      expect(result?.reward).toBeCloseTo(0.1 * 1 + 0.9 * 0.5, 12);
      expect(result?.components).toMatchObject({ format: 1, iou: 0.5, boxes: 0.5 });
    } finally {
      await composer.dispose();
    }
  });

  test('a misspelled option is a config error with its path', () => {
    expect(() => validateConfig({ rewards: { iou: { use: 'vision.iou', with: { metrc: 'giou' } } }, mix: 'iou' }, registry)).toThrow(/rewards\.iou\.with/);
  });
});
