import { CLIP_MEAN, parseManifest, manifestSchema } from './index.js';

test('a manifest for an optimum export is one line: every other field has a default', () => {
  const manifest = parseManifest({ kind: 'sequence-score' });
  expect(manifest).toMatchObject({
    kind: 'sequence-score',
    model: 'model.onnx',
    tokenizer: 'tokenizer.json',
    inputs: { input_ids: 'input_ids', attention_mask: 'attention_mask', token_type_ids: 'token_type_ids', position_ids: 'position_ids', pixel_values: 'pixel_values' },
    max_length: 512,
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

test('manifest keys are snake_case; a camelCase key is rejected with its spelling', () => {
  expect(() => parseManifest({ kind: 'embedding', maxLength: 128 })).toThrow('"maxLength" is spelled "max_length"');
  expect(() => parseManifest({ kind: 'embedding', inputs: { inputIds: 'ids' } })).toThrow('"inputIds" is spelled "input_ids"');
  expect(() => parseManifest({ kind: 'embedding', padding: { tokenId: 1 } })).toThrow(/token_id/);
  expect(parseManifest({ kind: 'embedding', max_length: 128, tokenizer_config: 'tc.json', padding: { side: 'left', token_id: 1 } })).toMatchObject({
    max_length: 128,
    tokenizer_config: 'tc.json',
    padding: { side: 'left', token_id: 1 },
  });
});

test('the schema is exported for editors', () => {
  expect(manifestSchema.shape.kind.options).toEqual(['sequence-score', 'embedding', 'text-embedding', 'image-embedding', 'clip', 'step-score']);
});
