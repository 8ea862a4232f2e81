import { configJsonSchema, createComposer, createRegistry, plugins as corePlugins, validateConfig } from '@mixreward/core';
import { plugins } from './index.js';

const registry = createRegistry([...corePlugins, ...plugins]);

interface JsonSchemaObject {
  properties?: Record<string, { default?: unknown; description?: string; enum?: unknown[]; type?: string }>;
  additionalProperties?: boolean;
}

/** The JSON Schema of one reward's `with` block, found in the config schema. */
function withSchema(name: string): JsonSchemaObject {
  const schema = configJsonSchema(registry) as { $defs: { component: { allOf: Array<{ if: { properties: { use: { const: string } } }; then: { properties: { with: JsonSchemaObject } } }> } } };
  const entry = schema.$defs.component.allOf.find((item) => item.if.properties.use.const === name);
  if (!entry) throw new Error(`no schema for ${name}`);
  return entry.then.properties.with;
}

// Options vision.clip takes from @mixreward/inference's shared model options (spelled there).
const INFERENCE_KEYS = new Set(['device', 'deviceId', 'maxBatchSize', 'maxWaitMs', 'callCostTokens', 'intraOpThreads', 'interOpThreads', 'device_id', 'max_batch_size', 'max_wait_ms', 'call_cost_tokens', 'intra_op_threads', 'inter_op_threads']);

describe('vision rewards in the config JSON Schema', () => {
  test.each(['vision.iou', 'vision.point', 'vision.match', 'vision.detection', 'vision.count', 'vision.clip', 'vision.ocr'])(
    '%s: strict, snake_case keys, each described with its default',
    (name) => {
      const schema = withSchema(name);
      expect(schema.additionalProperties).toBe(false);
      const entries = Object.entries(schema.properties ?? {}).filter(([key]) => !(name === 'vision.clip' && INFERENCE_KEYS.has(key)));
      expect(entries.length).toBeGreaterThan(0);
      for (const [key, property] of entries) {
        expect(key).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/);
        expect(property.description ?? '').toMatch(/\S/);
        if (property.default !== undefined) expect(property.description).toMatch(/[Dd]efault/);
      }
    },
  );

  test('the geometry options carry their defaults into the schema', () => {
    const properties = withSchema('vision.iou').properties ?? {};
    expect(properties.token_frame).toMatchObject({ default: 'grid1000', enum: ['grid1000', 'pixel', 'norm1', 'resized', 'same'] });
    expect(properties.stated_conventions).toMatchObject({ default: true, type: 'boolean' });
    expect(properties.answer_tag).toMatchObject({ default: 'answer' });
    expect(properties.frame).toMatchObject({ default: 'reference' });
    expect(withSchema('vision.detection').properties?.od_length).toMatchObject({ default: false, type: 'boolean' });
    expect(withSchema('vision.detection').properties?.max_detections).toMatchObject({ default: 100 });
  });

  test('the old camelCase spellings are rejected with the path of the key', () => {
    for (const [use, key] of [
      ['vision.iou', 'tokenFrame'],
      ['vision.detection', 'odLength'],
      ['vision.match', 'labelAware'],
      ['vision.count', 'answerTag'],
    ] as const) {
      expect(() => validateConfig({ rewards: { a: { use, with: { [key]: true } } }, mix: 'a' }, registry)).toThrow(/rewards\.a\.with/);
    }
    expect(() => validateConfig({ rewards: { iou: { use: 'vision.iou', with: { metrc: 'giou' } } }, mix: 'iou' }, registry)).toThrow(/rewards\.iou\.with/);
  });
});

describe('vision rewards in a Mixed-Reward config', () => {
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

  test('snake_case options written in a config reach the reward: token_frame pixel reads tags as pixels', async () => {
    const validated = validateConfig(
      {
        rewards: {
          grid: { use: 'vision.iou' },
          pixel: { use: 'vision.iou', with: { token_frame: 'pixel' } },
        },
        mix: { sum: { grid: 1, pixel: 0 } },
      },
      registry,
    );
    const composer = createComposer(validated, registry);
    try {
      // <box> on the 0-1000 grid of a 200 x 100 image: [0, 0, 100, 50] = the reference; read as pixels: [0, 0, 500, 500] clipped to [0, 0, 200, 100]
      const [result] = await composer.score([{ completion: '<box>[[0, 0, 500, 500]]</box>', reference: { boxes: [[0, 0, 100, 50]], image_size: [200, 100] } }]);
      expect(result?.components?.grid).toBeCloseTo(1, 12);
      expect(result?.components?.pixel).toBeCloseTo(5000 / 20000, 12);
    } finally {
      await composer.dispose();
    }
  });
});
