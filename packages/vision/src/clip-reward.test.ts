import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { buildClipModel, buildEmbeddingModel, type ClipModel } from '@mixreward/model-builder';
import sharp from 'sharp';
import { createVisionClipReward } from './clip-reward.js';

let folder: string;
let clip: ClipModel;
let scorer: Scorer | undefined;

const cosine = (a: readonly number[], b: readonly number[]): number => {
  const dot = a.reduce((sum, value, index) => sum + value * (b[index] as number), 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'mixreward-vision-clip-'));
  clip = await buildClipModel({ dir: join(folder, 'clip'), imageSize: 8 });
  // 8 x 8 (the model's input size, so no resampling): left half red, right half blue
  const pixels = Buffer.alloc(8 * 8 * 3);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) pixels.set(x < 4 ? RED : BLUE, (y * 8 + x) * 3);
  await sharp(pixels, { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(join(folder, 'flag.png'));
});

const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
// OpenAI CLIP's preprocessing constants (the manifest's defaults), written out independently.
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];

/** The flag's NCHW tensor by hand: each pixel's channel value / 255, minus the mean, over the std. */
function flagEmbedding(): number[] {
  const tensor = new Float32Array(3 * 64);
  for (let channel = 0; channel < 3; channel++) {
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const value = (x < 4 ? RED : BLUE)[channel] as number;
        tensor[channel * 64 + y * 8 + x] = (value / 255 - (MEAN[channel] as number)) / (STD[channel] as number);
      }
    }
  }
  // the builder's reference maths for its tower: quadrant means per channel, projected, unit length
  return clip.embedPixels(tensor);
}

afterAll(async () => {
  await scorer?.dispose?.();
  rmSync(folder, { recursive: true, force: true });
});

async function run(reward: Scorer, ...rollouts: Rollout[]): Promise<RewardResult[]> {
  return reward.score(rollouts, { signal: new AbortController().signal });
}

test('cosine between the image and the caption, from the preprocessing done by hand', async () => {
  scorer = await createVisionClipReward({ model: clip.dir, device: 'cpu' }, { baseDir: folder });
  const image = flagEmbedding();
  const expected = cosine(image, clip.embedText('red car'));
  const [caption, prompt, missing, empty] = await run(
    scorer,
    { completion: '<think>…</think><answer>red car</answer>', media: { images: ['flag.png'] } },
    { completion: 'ignored', prompt: [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'red car' }] }], media: { images: ['flag.png'] } },
    { completion: 'red car' },
    { completion: '<answer> </answer>', media: { images: ['flag.png'] } },
  );
  expect(caption?.status).toBe('ok');
  expect(caption?.reward).toBeCloseTo(expected, 5);
  expect(caption?.components?.cosine).toBeCloseTo(expected, 5);
  // text: completion scores the completion, not the prompt
  expect(prompt?.reward).toBeCloseTo(cosine(image, clip.embedText('ignored')), 5);
  expect(missing).toMatchObject({ status: 'error', error: { code: 'INVALID_ROLLOUT' } });
  expect(empty).toMatchObject({ status: 'ok', reward: 0 });
});

test('generated images against their prompt, scored as CLIPScore', async () => {
  const reward = await createVisionClipReward({ model: clip.dir, device: 'cpu', text: 'prompt', score: 'clipscore' }, { baseDir: folder });
  try {
    const value = cosine(flagEmbedding(), clip.embedText('blue car'));
    const [result] = await run(reward, { completion: 'done', prompt: 'blue car', media: { images: ['flag.png'] } });
    expect(result?.reward).toBeCloseTo(2.5 * Math.max(value, 0), 5);
  } finally {
    await reward.dispose?.();
  }
});

test('text: reference compares the reference; no reference is skipped, a non-string one an INVALID_REFERENCE error', async () => {
  const reward = await createVisionClipReward({ model: clip.dir, device: 'cpu', text: 'reference' }, { mediaDir: folder, baseDir: '/nonexistent-config-folder' });
  try {
    const [given, none, wrong] = await run(
      reward,
      { completion: 'ignored', reference: 'red car', media: { images: ['flag.png'] } },
      { completion: 'ignored', media: { images: ['flag.png'] } },
      { completion: 'ignored', reference: { boxes: [] }, media: { images: ['flag.png'] } },
    );
    // the model folder is absolute; the image resolves against mediaDir
    expect(given?.reward).toBeCloseTo(cosine(flagEmbedding(), clip.embedText('red car')), 5);
    expect(none).toMatchObject({ status: 'skipped', reward: null });
    expect(none?.reason).toMatch(/rollout\.reference/);
    expect(wrong).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
  } finally {
    await reward.dispose?.();
    await reward.dispose?.();
  }
});

test('a model folder of the wrong kind or a missing one is a creation error', async () => {
  const embedding = await buildEmbeddingModel({ dir: join(folder, 'embedding') });
  await expect(createVisionClipReward({ model: embedding.dir, device: 'cpu' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  await expect(createVisionClipReward({ model: join(folder, 'nothing'), device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
});

