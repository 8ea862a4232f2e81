import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@mixreward/core';
import { FrameSampler, timesInUnion } from '../frame-sampling.js';
import { resolveFfmpeg } from './binary.js';
import { decodeFrames, fpsTimes, probeVideo, uniformTimes } from './frames.js';
import { runningFfmpegCount } from './process.js';

// Each ffmpeg run costs up to a second on a loaded 2-core machine: keep the runs few, the limits long.
const slow = (name: string, test: () => Promise<void>): void => it(name, test, 120_000);

let dir: string;
let ffmpeg: string;

function make(name: string, args: string[]): string {
  const out = join(dir, name);
  execFileSync(ffmpeg, ['-v', 'error', '-y', ...args, out]);
  return out;
}

/** ffmpeg children of this process, read from /proc (Linux). */
function ffmpegChildren(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = status.lastIndexOf(')');
      const name = status.slice(status.indexOf('(') + 1, close);
      const parent = Number(status.slice(close + 2).split(' ')[1]);
      if (parent === process.pid && name.startsWith('ffmpeg')) count++;
    } catch {
      // The process ended while reading.
    }
  }
  return count;
}

const mean = (data: Uint8Array, channel: number): number => {
  let total = 0;
  for (let index = channel; index < data.length; index += 3) total += data[index] as number;
  return total / (data.length / 3);
};

let red: string;
let counter: string;
let counterH264: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixreward-video-'));
  ffmpeg = (await resolveFfmpeg()).path;
  red = make('red.mp4', ['-f', 'lavfi', '-i', 'color=c=red:s=64x48:r=10:d=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
  // Frame k has red = 8k (lossless ffv1 in RGB): a counter that survives decoding exactly.
  counter = make('counter.mkv', ['-f', 'lavfi', '-i', "color=c=black:s=16x12:r=10:d=3,format=rgb24,geq=r='N*8':g='0':b='0'", '-c:v', 'ffv1']);
  counterH264 = make('counter.mp4', ['-f', 'lavfi', '-i', "color=c=black:s=64x48:r=10:d=3,format=rgb24,geq=r='N*8':g='0':b='0'", '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '10', '-qp', '0']);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveFfmpeg', () => {
  const noStatic = async (): Promise<unknown> => null;
  it('an explicit option wins', async () => {
    expect(await resolveFfmpeg({ ffmpegPath: ffmpeg, env: { FFMPEG_PATH: '/nonexistent' } })).toEqual({ path: ffmpeg, source: 'option' });
  });
  it('an explicit option that is not there is an error naming ffmpeg_path', async () => {
    await expect(resolveFfmpeg({ ffmpegPath: '/no/such/ffmpeg' })).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('ffmpeg_path') });
  });
  it('FFMPEG_PATH comes next', async () => {
    expect(await resolveFfmpeg({ env: { FFMPEG_PATH: ffmpeg, PATH: '' }, loadStatic: noStatic })).toEqual({ path: ffmpeg, source: 'FFMPEG_PATH' });
    await expect(resolveFfmpeg({ env: { FFMPEG_PATH: join(dir, 'missing') } })).rejects.toMatchObject({ message: expect.stringContaining('FFMPEG_PATH') });
  });
  it("ffmpeg-static's binary only when it exists on disk", async () => {
    const fake = join(dir, 'static-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n');
    chmodSync(fake, 0o755);
    expect(await resolveFfmpeg({ env: { PATH: '' }, loadStatic: async () => fake })).toEqual({ path: fake, source: 'ffmpeg-static' });
    expect(await resolveFfmpeg({ env: { PATH: '' }, loadStatic: async () => ({ default: fake }) })).toEqual({ path: fake, source: 'ffmpeg-static' });
    // The path ffmpeg-static exports when its install did not fetch the binary: skipped, never run.
    expect((await resolveFfmpeg({ env: { PATH: '/usr/bin' }, loadStatic: async () => join(dir, 'not-downloaded', 'ffmpeg') })).source).toBe('PATH');
  });
  it('the installed ffmpeg-static (no binary here) falls through to PATH', async () => {
    expect((await resolveFfmpeg({ env: { PATH: '/usr/bin:/bin' } })).source).toBe('PATH');
  });
  it('nothing found: one error naming all four places', async () => {
    const error = await resolveFfmpeg({ env: { PATH: dir }, loadStatic: noStatic }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    for (const place of ['ffmpeg_path', 'FFMPEG_PATH', 'ffmpeg-static', 'PATH']) expect((error as Error).message).toContain(place);
  });
});

describe('probeVideo', () => {
  slow('reads duration, fps and size from ffmpeg', async () => {
    expect(await probeVideo(counterH264, { ffmpeg })).toEqual({ duration: 3, fps: 10, width: 64, height: 48 });
    expect(await probeVideo(red, { ffmpeg })).toMatchObject({ duration: 2, fps: 10, width: 64, height: 48 });
  });
  slow('missing, empty, corrupt and audio-only files are INVALID_INPUT naming the file', async () => {
    const empty = join(dir, 'empty.mp4');
    writeFileSync(empty, '');
    const corrupt = join(dir, 'corrupt.mp4');
    writeFileSync(corrupt, Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 251)));
    const audio = make('tone.wav', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1']);
    for (const [file, pattern] of [
      [join(dir, 'missing.mp4'), /not found/],
      [empty, /empty/],
      [corrupt, /could not be read|no video stream/],
      [audio, /audio only/],
    ] as const) {
      await expect(probeVideo(file, { ffmpeg })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(pattern) });
    }
  });
  slow('a video with no frames is INVALID_INPUT', async () => {
    const none = make('none.mkv', ['-f', 'lavfi', '-i', 'color=c=red:s=16x16:r=10:d=1', '-frames:v', '0', '-c:v', 'ffv1']);
    await expect(probeVideo(none, { ffmpeg })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('decodeFrames', () => {
  slow('a red clip decodes to red', async () => {
    const frames = await decodeFrames(red, { ffmpeg, times: [0.25, 1.5] });
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      expect(frame.data.length).toBe(64 * 48 * 3);
      expect(mean(frame.data, 0)).toBeGreaterThan(240);
      expect(mean(frame.data, 1)).toBeLessThan(15);
      expect(mean(frame.data, 2)).toBeLessThan(15);
    }
  });
  slow('frame k of a counter pattern is frame k (lossless, every frame)', async () => {
    const indices = [0, 3, 7, 12, 19, 29];
    const frames = await decodeFrames(counter, { ffmpeg, times: indices.map((k) => k / 10) });
    expect(frames.map((frame) => frame.data[0])).toEqual(indices.map((k) => 8 * k));
    const middles = await decodeFrames(counter, { ffmpeg, times: [0.05, 0.37, 1.99, 2.95] });
    expect(middles.map((frame) => frame.data[0])).toEqual([0, 24, 152, 232]);
  });
  slow('frame k of an H.264 counter is frame k (seeks past keyframes)', async () => {
    const frames = await decodeFrames(counterH264, { ffmpeg, times: [0.05, 1.35, 2.25, 2.95] });
    const reds = frames.map((frame) => Math.round(mean(frame.data, 0) / 8));
    expect(reds).toEqual([0, 13, 22, 29]);
  });
  slow('scales on ffmpeg side (fill and cover)', async () => {
    const [filled] = await decodeFrames(red, { ffmpeg, times: [0.5], size: { width: 8, height: 6 } });
    expect(filled?.data.length).toBe(8 * 6 * 3);
    expect(mean(filled?.data as Uint8Array, 0)).toBeGreaterThan(240);
    const [covered] = await decodeFrames(red, { ffmpeg, times: [0.5], size: { width: 10, height: 10, fit: 'cover' } });
    expect(covered).toMatchObject({ width: 10, height: 10 });
    expect(covered?.data.length).toBe(300);
  });
  slow('times past the end give the last frame, negative times the first', async () => {
    const frames = await decodeFrames(counter, { ffmpeg, times: [-5, 99] });
    expect(frames.map((frame) => frame.data[0])).toEqual([0, 232]);
  });
  slow('the frame budget is enforced before anything runs', async () => {
    await expect(decodeFrames(counter, { ffmpeg, times: uniformTimes(0, 3, 20), maxFrames: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('max_frames') });
    await expect(decodeFrames(counter, { ffmpeg, times: [0, 1], maxBytes: 100 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
  slow('an abort kills ffmpeg and leaves no child process', async () => {
    const controller = new AbortController();
    const pending = decodeFrames(counterH264, { ffmpeg, times: uniformTimes(0, 3, 6), signal: controller.signal, info: { duration: 3, fps: 10, width: 64, height: 48 } });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(runningFfmpegCount()).toBe(0);
    expect(ffmpegChildren()).toBe(0);
  });
  slow('a timeout kills ffmpeg and leaves no child process', async () => {
    await expect(decodeFrames(counterH264, { ffmpeg, times: [1], timeoutMs: 1, info: { duration: 3, fps: 10, width: 64, height: 48 } })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(runningFfmpegCount()).toBe(0);
    expect(ffmpegChildren()).toBe(0);
  });
});

describe('sampling times', () => {
  it('uniform: centres of equal parts', () => {
    expect(uniformTimes(0, 10, 4)).toEqual([1.25, 3.75, 6.25, 8.75]);
    expect(uniformTimes(2, 4, 1)).toEqual([3]);
    expect(uniformTimes(0, 10, 0)).toEqual([]);
  });
  it('fps: centres of 1/fps steps, the budget wins', () => {
    expect(fpsTimes(0, 2, 2, 10)).toEqual([0.25, 0.75, 1.25, 1.75]);
    expect(fpsTimes(0, 3600, 1, 4)).toEqual([450, 1350, 2250, 3150]);
    expect(fpsTimes(1, 1.2, 1, 10)).toEqual([1.1]);
  });
});

describe('FrameSampler', () => {
  slow('an hours-long video with a frame budget decodes only the budget, spread uniformly', async () => {
    const long = make('long.mp4', ['-f', 'lavfi', '-i', 'color=c=blue:s=16x16:r=1:d=7200', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '600']);
    const options = { frames: 8, sample_fps: 1, max_frames: 3, timeout_ms: 60_000, concurrency: 2 };
    const sampler = new FrameSampler(options, { baseDir: dir, mediaDir: dir, logger: silentLogger });
    const video = await sampler.sample(long, { signal: new AbortController().signal, size: { width: 8, height: 8 } });
    expect(video.info.duration).toBe(7200);
    expect(video.frames.map((frame) => frame.time)).toEqual([1200, 3600, 6000]);
    expect(mean(video.frames[1]?.data as Uint8Array, 2)).toBeGreaterThan(200);
    expect(ffmpegChildren()).toBe(0);
  });
  it('frames inside a union of spans are laid end to end', () => {
    expect(timesInUnion([[0, 2], [10, 12]], { frames: 4, max_frames: 64 })).toEqual([0.5, 1.5, 10.5, 11.5]);
    expect(timesInUnion([[5, 6]], { frames: 2, sample_fps: 4, max_frames: 64 })).toEqual([5.125, 5.375, 5.625, 5.875]);
  });
  it('media paths resolve against mediaDir and respect media_root', () => {
    const sampler = new FrameSampler({ frames: 1, max_frames: 1, timeout_ms: 1000, concurrency: 1, media_root: 'inside' }, { baseDir: dir, mediaDir: join(dir, 'inside'), logger: silentLogger });
    expect(sampler.videoPath({ completion: '', media: { video: 'a.mp4' } }, 'video.clip')).toBe(join(dir, 'inside', 'a.mp4'));
    expect(() => sampler.videoPath({ completion: '', media: { video: '../escape.mp4' } }, 'video.clip')).toThrow(/outside the allowed media root/);
    expect(() => sampler.videoPath({ completion: '' }, 'video.clip')).toThrow(/media\.video/);
  });
});
