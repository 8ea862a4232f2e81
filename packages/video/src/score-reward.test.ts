import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RewardResult, Rollout, Scorer } from '@mixreward/core';
import { CLIP_MEAN, CLIP_STD } from '@mixreward/inference';
import { GraphBuilder, buildVocabulary, encodeModel, referenceEncode, tokenizerConfigJson, tokenizerJson } from '@mixreward/model-builder';
import { resolveFfmpeg } from './ffmpeg/binary.js';
import { createVideoScoreReward, type VideoScoreOptions } from './score-reward.js';

const SLOW = 180_000;
const SIZE = 4;
const FRAMES = 3;
const W = [
  [0.5, -0.25],
  [0.25, 0.75],
  [-0.5, 0.125],
];
const B = [0.125, -0.5];
const TOKEN_WEIGHT = 0.25;
let dir: string;
const scorers: Scorer[] = [];

/** A tiny video judge: channel means over frames and pixels, a 3 x 2 linear head, plus 0.25 x the token count when it reads text. */
function writeJudge(folder: string, withText: boolean): void {
  const graph = new GraphBuilder('judge');
  const pixels = graph.input('pixel_values', 'float', ['batch', 'frames', 3, SIZE, SIZE]);
  const means = graph.op('ReduceMean', [pixels], { axes: [1, 3, 4], keepdims: 0 });
  let logits = graph.op('Add', [graph.op('MatMul', [means, graph.constant('float', [3, 2], W.flat())]), graph.constant('float', [2], B)]);
  if (withText) {
    graph.input('input_ids', 'int64', ['batch', 'tokens']);
    const mask = graph.input('attention_mask', 'int64', ['batch', 'tokens']);
    const count = graph.op('ReduceSum', [graph.op('Cast', [mask], { to: 1 }), graph.constant('int64', [1], [1])], { keepdims: 1 });
    logits = graph.op('Add', [logits, graph.op('Mul', [count, graph.constant('float', [1], [TOKEN_WEIGHT])])]);
  }
  graph.output('logits', logits, 'float', ['batch', 2]);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'model.onnx'), encodeModel(graph.build()));
  const vocabulary = buildVocabulary();
  writeFileSync(join(folder, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocabulary)));
  writeFileSync(join(folder, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson(77)));
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ kind: 'video-score', frames: FRAMES, image: { size: SIZE }, labels: ['overall', 'motion'], activation: 'sigmoid', reward: 'overall' }));
}

/** What the judge computes for a solid-colour video, by plain maths. */
function expected(rgb: [number, number, number], tokens: number): number[] {
  const means = rgb.map((value, channel) => (value / 255 - (CLIP_MEAN[channel] as number)) / (CLIP_STD[channel] as number));
  return [0, 1].map((column) => {
    const logit = means.reduce((sum, mean, row) => sum + mean * ((W[row] as number[])[column] as number), B[column] as number) + TOKEN_WEIGHT * tokens;
    return 1 / (1 + Math.exp(-logit));
  });
}

async function reward(options: VideoScoreOptions): Promise<Scorer> {
  const scorer = await createVideoScoreReward({ device: 'cpu', ...options }, { baseDir: dir, mediaDir: dir });
  scorers.push(scorer);
  return scorer;
}

async function score(scorer: Scorer, rollout: Partial<Rollout>): Promise<RewardResult> {
  const [result] = await scorer.score([{ completion: '', ...rollout } as Rollout], { signal: new AbortController().signal });
  return result as RewardResult;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixreward-video-score-'));
  writeJudge(join(dir, 'judge'), false);
  writeJudge(join(dir, 'text-judge'), true);
  const ffmpeg = (await resolveFfmpeg()).path;
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=green:s=16x8:r=10:d=2,format=rgb24', '-c:v', 'ffv1', join(dir, 'green.mkv')]);
}, SLOW);

afterAll(async () => {
  for (const scorer of scorers) await scorer.dispose?.();
  rmSync(dir, { recursive: true, force: true });
});

// ffmpeg's "green" is #008000.
const GREEN: [number, number, number] = [0, 128, 0];

test(
  'scores the manifest number of frames; every label is a component',
  async () => {
    const [overall, motion] = expected(GREEN, 0);
    const result = await score(await reward({ model: 'judge' }), { media: { video: 'green.mkv' } });
    expect(result.status).toBe('ok');
    expect(result.reward).toBeCloseTo(overall as number, 5);
    expect(result.components).toMatchObject({ frames: FRAMES });
    expect(result.components?.motion).toBeCloseTo(motion as number, 5);
  },
  SLOW,
);

test(
  'a text-conditioned judge reads the prompt tokens',
  async () => {
    const tokens = referenceEncode(buildVocabulary(), 'a red car').ids.length;
    const [overall] = expected(GREEN, tokens);
    const result = await score(await reward({ model: 'text-judge' }), { prompt: 'a red car', media: { video: 'green.mkv' } });
    expect(result.reward).toBeCloseTo(overall as number, 5);
  },
  SLOW,
);

test(
  'a folder without a video-score manifest, or a frame budget below the model, is a creation error',
  async () => {
    mkdirSync(join(dir, 'other'), { recursive: true });
    writeFileSync(join(dir, 'other', 'manifest.json'), JSON.stringify({ kind: 'clip' }));
    await expect(createVideoScoreReward({ model: 'other' }, { baseDir: dir })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(createVideoScoreReward({ model: 'nothing' }, { baseDir: dir })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    await expect(createVideoScoreReward({ model: 'judge', max_frames: 2, device: 'cpu' }, { baseDir: dir })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  },
  SLOW,
);

test(
  'an audio-only file is an error result naming it',
  async () => {
    const ffmpeg = (await resolveFfmpeg()).path;
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=1', join(dir, 'tone.wav')]);
    const result = await score(await reward({ model: 'judge' }), { media: { video: 'tone.wav' } });
    expect(result).toMatchObject({ status: 'error', error: { code: 'INVALID_INPUT' } });
    expect(result.reason).toMatch(/audio only/);
  },
  SLOW,
);
