import { CLIP_MEAN, parseManifest, manifestSchema } from './index.js';

test('a manifest for an optimum export is one line: every other field has a default', () => {
  const manifest = parseManifest({ kind: 'sequence-score' });
  expect(manifest).toMatchObject({
    kind: 'sequence-score',
    model: 'model.onnx',
    tokenizer: 'tokenizer.json',
    inputs: { inputIds: 'input_ids', attentionMask: 'attention_mask', tokenTypeIds: 'token_type_ids', positionIds: 'position_ids', pixelValues: 'pixel_values' },
    maxLength: 512,
    truncation: 'right',
    padding: { side: 'right' },
    activation: 'none',
    pooling: 'mean',
    normalize: true,
  });
  expect(manifest.output).toBeUndefined();
});

test('image settings default to CLIP at 224', () => {
  const manifest = parseManifest({ kind: 'clip', image: {} });
  expect(manifest.image).toEqual({ size: 224, mean: CLIP_MEAN, std: [0.26862954, 0.26130258, 0.27577711], resize: 'cover' });
});

test('errors name the field and the file', () => {
  expect(() => parseManifest({ kind: 'regression' }, '/m/manifest.json')).toThrow(/invalid \/m\/manifest\.json: kind/);
  expect(() => parseManifest({ kind: 'embedding', pooling: 'max' })).toThrow(/pooling/);
  expect(() => parseManifest({ kind: 'embedding', maxLenght: 5 })).toThrow(/maxLenght/);
  expect(() => parseManifest({ kind: 'step-score', steps: { mode: 'tokens' } })).toThrow(/steps\.mode/);
  expect(() => parseManifest([])).toThrow(/manifest\.json/);
});

test('the schema is exported for editors', () => {
  expect(manifestSchema.shape.kind.options).toEqual(['sequence-score', 'embedding', 'text-embedding', 'image-embedding', 'clip', 'step-score']);
});
