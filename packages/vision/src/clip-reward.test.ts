import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { imageToTensor } from '@mixreward/inference';
import { buildClipModel, buildEmbeddingModel, type ClipModel } from '@mixreward/model-builder';
import sharp from 'sharp';
import { createClipReward } from './clip-reward.js';

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
  // left half red, right half blue: the tiny image tower sees each quadrant's mean
  const pixels = Buffer.alloc(16 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) pixels.set(x < 8 ? [255, 0, 0] : [0, 0, 255], (y * 16 + x) * 3);
  await sharp(pixels, { raw: { width: 16, height: 16, channels: 3 } }).png().toFile(join(folder, 'flag.png'));
});

afterAll(async () => {
  await scorer?.dispose?.();
  rmSync(folder, { recursive: true, force: true });
});

async function run(reward: Scorer, ...rollouts: Rollout[]): Promise<RewardResult[]> {
  return reward.score(rollouts, { signal: new AbortController().signal });
}

test('cosine between the image and the caption, as the model computes it', async () => {
  scorer = await createClipReward({ model: clip.dir, device: 'cpu' }, { baseDir: folder });
  const tensor = await imageToTensor(join(folder, 'flag.png'), { size: 8 });
  const expected = cosine(clip.embedPixels(tensor.data), clip.embedText('red car'));
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
  expect(prompt?.reward).toBeCloseTo(cosine(clip.embedPixels(tensor.data), clip.embedText('ignored')), 5);
  expect(missing).toMatchObject({ status: 'error', error: { code: 'INVALID_ROLLOUT' } });
  expect(empty).toMatchObject({ status: 'ok', reward: 0 });
});

test('generated images against their prompt, scored as CLIPScore', async () => {
  const reward = await createClipReward({ model: clip.dir, device: 'cpu', text: 'prompt', score: 'clipscore' }, { baseDir: folder });
  try {
    const tensor = await imageToTensor(join(folder, 'flag.png'), { size: 8 });
    const value = cosine(clip.embedPixels(tensor.data), clip.embedText('blue car'));
    const [result] = await run(reward, { completion: 'done', prompt: 'blue car', media: { images: ['flag.png'] } });
    expect(result?.reward).toBeCloseTo(2.5 * Math.max(value, 0), 5);
  } finally {
    await reward.dispose?.();
  }
});

test('a model folder of the wrong kind or a missing one is a creation error', async () => {
  const embedding = await buildEmbeddingModel({ dir: join(folder, 'embedding') });
  await expect(createClipReward({ model: embedding.dir, device: 'cpu' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  await expect(createClipReward({ model: join(folder, 'nothing'), device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
});

