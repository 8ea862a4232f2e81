// Frame decoding: frames per second decoded into tensors (raw RGB over a pipe, scaled by ffmpeg,
// then normalised into a float32 NCHW tensor) against a baseline in the same process: ffmpeg
// running the very same seeks and scaling with `-f null` (decoding without output). The ratio is
// our time over ffmpeg's, interleaved rounds, fastest of each. Prints one JSON line.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIP_MEAN, CLIP_STD } from '@mixreward/inference';
import { decodeFrames, probeVideo, resolveFfmpeg, uniformTimes } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mixreward-video-bench-'));
const ffmpeg = (await resolveFfmpeg()).path;
const video = join(dir, 'testsrc.mp4');
// 60 s of 640x360 at 25 fps, H.264 with a keyframe every 2 s (a common GOP).
execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=25:d=60', '-c:v', 'libx264', '-preset', 'veryfast', '-g', '50', '-pix_fmt', 'yuv420p', video]);
const info = await probeVideo(video, { ffmpeg });
const frames = 16;
const size = 224;
const times = uniformTimes(0, info.duration, frames);
const concurrency = 2;

async function ours(): Promise<number> {
  const start = process.hrtime.bigint();
  const decoded = await decodeFrames(video, { ffmpeg, times, info, size: { width: size, height: size, fit: 'cover' }, concurrency });
  // Into one normalised [frames, 3, size, size] tensor, as video.score feeds it.
  const plane = size * size;
  const tensor = new Float32Array(frames * 3 * plane);
  decoded.forEach((frame, index) => {
    for (let channel = 0; channel < 3; channel++) {
      const std = CLIP_STD[channel] as number;
      const mean = CLIP_MEAN[channel] as number;
      const base = (index * 3 + channel) * plane;
      for (let pixel = 0; pixel < plane; pixel++) tensor[base + pixel] = ((frame.data[pixel * 3 + channel] as number) / 255 - mean) / std;
    }
  });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function baseline(): Promise<number> {
  const start = process.hrtime.bigint();
  const filter = `scale=${size}:${size}:force_original_aspect_ratio=increase:flags=bicubic,crop=${size}:${size}`;
  const one = (time: number): Promise<void> =>
    new Promise((resolve) => {
      const seek = Math.max(0, (Math.floor(time * info.fps + 1e-6) - 0.25) / info.fps);
      const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', seek.toFixed(6), '-i', video, '-map', '0:v:0', '-frames:v', '1', '-vf', filter, '-pix_fmt', 'rgb24', '-f', 'null', '-'], { stdio: 'ignore' });
      child.on('close', () => resolve());
    });
  let index = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (index < times.length) await one(times[index++] as number);
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

let bestOurs = Number.POSITIVE_INFINITY;
let bestBaseline = Number.POSITIVE_INFINITY;
for (let round = 0; round < 5; round++) {
  bestBaseline = Math.min(bestBaseline, await baseline());
  bestOurs = Math.min(bestOurs, await ours());
}
rmSync(dir, { recursive: true, force: true });
const ratio = bestOurs / bestBaseline;
console.log(
  JSON.stringify({
    bench: 'video-frames-decoded-per-second',
    video: '640x360 H.264, 25 fps, 60 s, GOP 50',
    frames,
    size: `${size}x${size}`,
    concurrency,
    framesPerSecond: Math.round((frames / bestOurs) * 10) / 10,
    baselineFramesPerSecond: Math.round((frames / bestBaseline) * 10) / 10,
    baseline: 'ffmpeg, same seeks and scaling, -f null',
    ratio: Math.round(ratio * 1000) / 1000,
    goalRatio: 1.3,
    meetsGoal: ratio < 1.3,
  }),
);
