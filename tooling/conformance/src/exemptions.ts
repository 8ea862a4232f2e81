/**
 * Options the conformance test creates a reward with when `parse({})` fails because a required
 * option has no default. Keyed by registry name.
 */
export const sampleOptions: Readonly<Record<string, Record<string, unknown>>> = {
  'format.regex': { pattern: '^.*$' },
  // An unreachable loopback port (connection refused at once) and no retries: the judge rewards
  // must turn that into `error` results, never a throw or a 0.
  'judge.verify': { base_url: 'http://127.0.0.1:9/v1', model: 'judge', max_retries: 0, timeout_ms: 2000, deadline_ms: 5000 },
  'judge.rubric': { base_url: 'http://127.0.0.1:9/v1', model: 'judge', max_retries: 0, timeout_ms: 2000, deadline_ms: 5000, principles: [{ name: 'cites_sources', text: 'The answer cites its sources.' }] },
  'judge.pairwise': { base_url: 'http://127.0.0.1:9/v1', model: 'judge', max_retries: 0, timeout_ms: 2000, deadline_ms: 5000 },
};

/**
 * Model-backed rewards the conformance test creates with a tiny model from
 * `@mixreward/model-builder` (written to a temporary folder and passed as the `model` option).
 */
export const tinyModels: Readonly<Record<string, 'embedding' | 'sequence-score' | 'step-score' | 'clip'>> = {
  'model.score': 'sequence-score',
  'text.similarity': 'embedding',
  'math.prm': 'step-score',
  'code.reasoning': 'sequence-score',
  'vision.clip': 'clip',
  'video.clip': 'clip',
  'medical.semantic': 'embedding',
  'finance.prm': 'step-score',
};

/**
 * Rewards whose scorer is not created here (so the missing-reference, garbage-input and dispose
 * checks do not run for them), each with the reason. Their metadata and options are still checked.
 */
export const notCreated: Readonly<Record<string, string>> = {
  'translation.comet': 'needs a COMET-style model folder (source, hypothesis and reference towers) that model-builder does not write; its package tests build one',
  'vision.ocr': 'needs PP-OCR detection and recognition model folders (required); its package tests build them',
  'video.score': 'needs a video-score model folder (a manifest kind of @mixreward/video) that model-builder does not write; its package tests build one',
};
