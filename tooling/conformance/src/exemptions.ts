/**
 * Options the conformance test creates a reward with when `parse({})` fails because a required
 * option has no default. Keyed by registry name.
 */
export const sampleOptions: Readonly<Record<string, Record<string, unknown>>> = {
  'format.regex': { pattern: '^.*$' },
};

/**
 * Rewards whose scorer is not created here (so the missing-reference, garbage-input and dispose
 * checks do not run for them), each with the reason. Their metadata and options are still checked.
 * Their packages' own tests create them with the tiny models of `@mixreward/model-builder`.
 */
export const notCreated: Readonly<Record<string, string>> = {
  'model.score': 'needs a model folder (required `model`): a sequence-score ONNX model',
  'text.similarity': 'needs a model folder (required `model`): an embedding ONNX model',
  'math.prm': 'needs a model folder (required `model`): a step-score ONNX model',
  'code.reasoning': 'needs a model folder (required `model`): a sequence-score ONNX model',
  'translation.comet': 'needs a model folder (required `model`): a COMET-style ONNX model',
  'vision.clip': 'needs a model folder (required `model`): an image-text ONNX model',
  'vision.ocr': 'needs PP-OCR detection and recognition model folders (required)',
};
