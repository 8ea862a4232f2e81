/**
 * ONNX reward models on GPU or CPU: model folders (manifest.json, model.onnx, tokenizer.json),
 * device choice with CUDA fallback, dynamic batching, image tensors with sharp, the shared
 * "score text with a sequence-score model" helper (`openSequenceScorer`, `selectLabelScore`), and
 * the generic model rewards `model.score` and `text.similarity`. onnxruntime-node and sharp are
 * optional peer dependencies, imported on first use.
 * @packageDocumentation
 */
export { loadModel, type LoadModelOptions, type Model, type ImageInput } from './model.js';
export { modelOptionFields, openRewardModel, type ModelOptions } from './model-options.js';
export {
  labelOptionFields,
  selectLabelScore,
  openSequenceScorer,
  type LabelChoice,
  type LabelScore,
  type SequenceScorer,
  type SequenceScorerOptions,
} from './sequence-score.js';
export {
  manifestSchema,
  imageSettingsSchema,
  stepSettingsSchema,
  textTowerSchema,
  parseManifest,
  readManifest,
  CLIP_MEAN,
  CLIP_STD,
  type ModelManifest,
  type ModelManifestInput,
  type ModelKind,
  type ImageSettings,
} from './manifest.js';
export { DynamicBatcher, DEFAULT_BATCHING, CUDA_CALL_COST_TOKENS, type BatchingOptions } from './batcher.js';
export { imageToTensor, SHARP_INSTALL_HINT, type ImageTensor, type ImageTensorOptions } from './image.js';
export { cosineSimilarity, normalizeVector, applyActivation, float16ToFloat32, float32ToFloat16 } from './vectors.js';
export { TextTokenizer, type EncodedText, type TruncationSettings } from './tokenizer.js';
export {
  CUDA_INSTALL_HINT,
  ORT_INSTALL_HINT,
  cudaProviderPath,
  defaultThreads,
  probeDevice,
  type Device,
  type DeviceRequest,
  type ThreadSettings,
} from './runtime.js';
export { bmasSimilarity, type BmasScore } from './similarity.js';
export {
  plugins,
  modelScorePlugin,
  textSimilarityPlugin,
  createModelScoreReward,
  createTextSimilarityReward,
  type ModelScoreOptions,
  type TextSimilarityOptions,
} from './plugins.js';
export {
  loadSession,
  type LoadSessionOptions,
  type RawSession,
  type RawRunOptions,
  type RawTensor,
  type RawTensorInput,
  type RawTensorData,
  type RawTensorType,
  type RawValueInfo,
} from './session.js';
