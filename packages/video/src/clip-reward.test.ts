import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { CLIP_MEAN, CLIP_STD } from '@mixreward/inference';
import { buildClipModel, type ClipModel } from '@mixreward/model-builder';
import { createVideoClipReward, segmentMeans, type VideoClipOptions } from './clip-reward.js';
import { resolveFfmpeg } from './ffmpeg/binary.js';

const SLOW = 180_000;
let dir: string;
let clip: ClipModel;
const scorers: Scorer[] = [];

/** The tensor of a frame of one solid colour, normalised as CLIP does: computed here, not by the code under test. */
function solid(rgb: [number, number, number], size: number): Float32Array {
  const data = new Float32Array(3 * size * size);
  for (let channel = 0; channel < 3; channel++) {
    const value = ((rgb[channel] as number) / 255 - (CLIP_MEAN[channel] as number)) / (CLIP_STD[channel] as number);
    data.fill(value, channel * size * size, (channel + 1) * size * size);
  }
  return data;
}

const cosine = (a: readonly number[], b: readonly number[]): number => {
  const dot = a.reduce((sum, value, index) => sum + value * (b[index] as number), 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

async function reward(options: Omit<VideoClipOptions, 'model'>): Promise<Scorer> {
  const scorer = await createVideoClipReward({ model: clip.dir, device: 'cpu', ...options }, { baseDir: dir, mediaDir: dir });
  scorers.push(scorer);
  return scorer;
}

async function score(scorer: Scorer, rollout: Partial<Rollout>): Promise<RewardResult> {
  const [result] = await scorer.score([{ completion: '', ...rollout } as Rollout], { signal: new AbortController().signal });
  return result as RewardResult;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixreward-video-clip-'));
  clip = await buildClipModel({ dir: join(dir, 'clip'), imageSize: 8 });
  const ffmpeg = (await resolveFfmpeg()).path;
  // One second of red, then one second of blue, lossless RGB.
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-filter_complex', 'color=c=red:s=32x24:r=10:d=1,format=rgb24[a];color=c=blue:s=32x24:r=10:d=1,format=rgb24[b];[a][b]concat=n=2:v=1:a=0', '-c:v', 'ffv1', join(dir, 'flag.mkv')]);
}, SLOW);

afterAll(async () => {
  for (const scorer of scorers) await scorer.dispose?.();
  rmSync(dir, { recursive: true, force: true });
});

test('segment means', () => {
  expect(segmentMeans([1, 2, 3, 4], 2)).toEqual([1.5, 3.5]);
  expect(segmentMeans([1, 2, 3], 1)).toEqual([2]);
  expect(segmentMeans([1, 2], 5)).toEqual([1, 2]);
});

test(
  'per-segment cosines of red and blue halves against the caption, as the model computes them',
  async () => {
    const red = cosine(clip.embedPixels(solid([255, 0, 0], 8)), clip.embedText('red car'));
    const blue = cosine(clip.embedPixels(solid([0, 0, 255], 8)), clip.embedText('red car'));
    const scorer = await reward({ frames: 4, segments: 2 });
    const result = await score(scorer, { completion: '<answer>red car</answer>', media: { video: 'flag.mkv' } });
    expect(result.status).toBe('ok');
    expect(result.steps?.[0]).toBeCloseTo(red, 5);
    expect(result.steps?.[1]).toBeCloseTo(blue, 5);
    expect(result.reward).toBeCloseTo((red + blue) / 2, 5);
    expect(result.components?.frames).toBe(4);
    const max = await score(await reward({ frames: 4, segments: 2, aggregate: 'max' }), { completion: 'red car', media: { video: 'flag.mkv' } });
    expect(max.reward).toBeCloseTo(Math.max(red, blue), 5);
  },
  SLOW,
);

test(
  'frames inside the reference span or the predicted span',
  async () => {
    const blue = cosine(clip.embedPixels(solid([0, 0, 255], 8)), clip.embedText('blue sky'));
    const inReference = await score(await reward({ frames: 2, within: 'reference', text: 'reference' }), { completion: '', reference: { spans: [[1, 2]], text: 'blue sky' }, media: { video: 'flag.mkv' } });
    expect(inReference.reward).toBeCloseTo(blue, 5);
    const predicted = await reward({ frames: 2, within: 'prediction', text: 'prompt', score: 'clipscore' });
    const inPrediction = await score(predicted, { prompt: 'blue sky', completion: '<answer>from 1.2 to 1.9 s</answer>', media: { video: 'flag.mkv' } });
    expect(inPrediction.reward).toBeCloseTo(2.5 * Math.max(0, blue), 5);
    const none = await score(predicted, { prompt: 'blue sky', completion: '<answer>no idea</answer>', media: { video: 'flag.mkv' } });
    expect(none).toMatchObject({ status: 'ok', reward: 0 });
  },
  SLOW,
);

test(
  'bad input: no video, a missing file, a path outside the media root',
  async () => {
    const scorer = await reward({ frames: 1 });
    expect(await score(scorer, { completion: 'red' })).toMatchObject({ status: 'error', error: { code: 'INVALID_ROLLOUT' } });
    expect(await score(scorer, { completion: 'red', media: { video: 'missing.mp4' } })).toMatchObject({ status: 'error', error: { code: 'INVALID_INPUT' } });
    const rooted = await reward({ frames: 1, media_root: 'clip' });
    const outside = await score(rooted, { completion: 'red', media: { video: 'flag.mkv' } });
    expect(outside).toMatchObject({ status: 'error', error: { code: 'INVALID_INPUT' } });
    expect(outside.reason).toMatch(/media root/);
  },
  SLOW,
);
