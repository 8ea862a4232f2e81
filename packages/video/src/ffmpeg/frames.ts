import { stat } from 'node:fs/promises';
import { RewardError } from '@mixreward/core';
import { runFfmpeg } from './process.js';

/** What {@link probeVideo} reads from ffmpeg's own output. */
export interface VideoInfo {
  /** Length in seconds (> 0). */
  duration: number;
  /** Frames per second of the video stream (> 0); 25 when ffmpeg reports none. */
  fps: number;
  /** Width of the video stream in pixels. */
  width: number;
  /** Height of the video stream in pixels. */
  height: number;
}

/** One decoded frame: packed RGB, 3 bytes per pixel, rows top to bottom. */
export interface VideoFrame {
  /** The time asked for, in seconds. */
  time: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** `width * height * 3` bytes, RGB. */
  data: Uint8Array;
}

/** How frames are resized on ffmpeg's side. */
export interface FrameSize {
  /** Output width in pixels (>= 1). */
  width: number;
  /** Output height in pixels (>= 1). */
  height: number;
  /** `fill` (default): stretch to width x height; `cover`: scale to cover, then centre-crop (CLIP's preprocessing). */
  fit?: 'fill' | 'cover';
}

/** Options shared by {@link probeVideo} and {@link decodeFrames}. */
export interface FfmpegCallOptions {
  /** The ffmpeg executable (see `resolveFfmpeg`). */
  ffmpeg: string;
  /** Stops ffmpeg (killed) when aborted. */
  signal?: AbortSignal | undefined;
  /** Per ffmpeg run, ms (> 0). Default 30000. */
  timeoutMs?: number;
}

/** Options of {@link decodeFrames}. */
export interface DecodeFramesOptions extends FfmpegCallOptions {
  /** Times in seconds of the frames wanted: each gives the frame shown at that time. */
  times: readonly number[];
  /** Resize on ffmpeg's side; default: the video's own size. */
  size?: FrameSize | undefined;
  /** The video's info when already probed (saves a run). */
  info?: VideoInfo | undefined;
  /** Largest number of frames decoded (>= 1); more times are an error. Default 256. */
  maxFrames?: number;
  /** Largest total of frame bytes (>= 1). Default 512 MiB. */
  maxBytes?: number;
  /** ffmpeg runs at once (>= 1). Default 2. */
  concurrency?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

async function checkFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new RewardError('INVALID_INPUT', `video not found: ${path}`, { path });
  if (info.size === 0) throw new RewardError('INVALID_INPUT', `video ${path} is an empty file (0 bytes)`, { path });
}

function parseClock(text: string): number | undefined {
  const match = /(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(text);
  return match === null ? undefined : Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/**
 * Read a video's duration, frame rate and size from ffmpeg's own output (`ffmpeg -i`; no ffprobe
 * needed, so it works with ffmpeg-static's single binary).
 * @throws RewardError `INVALID_INPUT` for a missing, empty, corrupt, zero-length or audio-only file (the message names it)
 */
export async function probeVideo(path: string, options: FfmpegCallOptions): Promise<VideoInfo> {
  await checkFile(path);
  const run = await runFfmpeg(options.ffmpeg, ['-hide_banner', '-nostdin', '-i', path], {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxStdoutBytes: 1 << 16,
  });
  const text = run.stderr;
  if (/Invalid data found|moov atom not found|could not find codec parameters|End of file/i.test(text) && !/Stream #.*Video:/.test(text)) {
    throw new RewardError('INVALID_INPUT', `video ${path} could not be read by ffmpeg (corrupt or not a video): ${lastLine(text)}`, { path });
  }
  const stream = /Stream #[^\n]*Video:[^\n]*/.exec(text)?.[0];
  if (stream === undefined) {
    const audio = /Stream #[^\n]*Audio:/.test(text);
    throw new RewardError('INVALID_INPUT', audio ? `video ${path} has no video stream (audio only)` : `video ${path} has no video stream: ${lastLine(text)}`, { path });
  }
  const size = /,\s*(\d{1,6})x(\d{1,6})[\s,[]/.exec(stream);
  const fpsMatch = /([\d.]+)\s*fps/.exec(stream) ?? /([\d.]+k?)\s*tbr/.exec(stream);
  const fpsValue = fpsMatch === null ? Number.NaN : Number(fpsMatch[1]?.replace('k', '000'));
  const durationText = /Duration:\s*([^,\n]+)/.exec(text)?.[1] ?? '';
  const duration = parseClock(durationText);
  if (duration === undefined) throw new RewardError('INVALID_INPUT', `video ${path}: ffmpeg reports no duration (${durationText.trim() || 'none'}); a stream without a length cannot be sampled`, { path });
  if (!(duration > 0)) throw new RewardError('INVALID_INPUT', `video ${path} has zero length`, { path });
  return {
    duration,
    fps: fpsValue > 0 && Number.isFinite(fpsValue) ? fpsValue : 25,
    width: size === null ? 0 : Number(size[1]),
    height: size === null ? 0 : Number(size[2]),
  };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').trim().slice(0, 200);
}

function scaleFilter(size: FrameSize): string {
  if (size.fit === 'cover') return `scale=${size.width}:${size.height}:force_original_aspect_ratio=increase:flags=bicubic,crop=${size.width}:${size.height}`;
  return `scale=${size.width}:${size.height}:flags=bicubic`;
}

/**
 * The seek time that yields the frame shown at `time`: ffmpeg's accurate input seek returns the
 * first frame whose timestamp is at or after the seek point, so seek a quarter frame before the
 * start of frame floor(time · fps).
 */
function seekTime(time: number, fps: number): number {
  const frame = Math.floor(time * fps + 1e-6);
  return Math.max(0, (frame - 0.25) / fps);
}

/**
 * Decode the frames shown at the given times into packed RGB, one ffmpeg run per frame with an
 * input seek (`-ss` before `-i`: a keyframe jump, then decoding up to the frame), resized on ffmpeg's
 * side, streamed over a pipe. Times past the end give the last frame; negative times the first.
 * @throws RewardError `INVALID_INPUT` for a bad file or a request over `maxFrames` / `maxBytes`; `TIMEOUT`; `ABORTED`
 */
export async function decodeFrames(path: string, options: DecodeFramesOptions): Promise<VideoFrame[]> {
  const maxFrames = options.maxFrames ?? 256;
  if (options.times.length > maxFrames) throw new RewardError('INVALID_INPUT', `${options.times.length} frames asked of ${path}; the frame budget is ${maxFrames} (option max_frames)`, { path });
  const info = options.info ?? (await probeVideo(path, options));
  const width = options.size?.width ?? info.width;
  const height = options.size?.height ?? info.height;
  if (!(width > 0 && height > 0)) throw new RewardError('INVALID_INPUT', `video ${path}: no frame size known; pass a size`, { path });
  const frameBytes = width * height * 3;
  if (frameBytes * options.times.length > (options.maxBytes ?? 512 * 1024 * 1024)) {
    throw new RewardError('INVALID_INPUT', `${options.times.length} frames of ${width}x${height} exceed the memory budget; lower max_frames or the frame size`, { path });
  }
  const filter = options.size === undefined ? undefined : scaleFilter(options.size);
  // The last frame starts one frame before the end.
  const lastStart = Math.max(0, info.duration - 1 / info.fps);
  const frames: VideoFrame[] = new Array(options.times.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.times.length) {
      const index = next++;
      const time = options.times[index] as number;
      const seek = seekTime(Math.min(Math.max(0, time), lastStart), info.fps);
      const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', seek.toFixed(6), '-i', path, '-map', '0:v:0', '-frames:v', '1'];
      if (filter !== undefined) args.push('-vf', filter);
      args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
      const run = await runFfmpeg(options.ffmpeg, args, { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxStdoutBytes: frameBytes, expectedBytes: frameBytes });
      if (run.stdout.length !== frameBytes) {
        throw new RewardError('INVALID_INPUT', `ffmpeg returned no frame at ${time} s of ${path}${run.stderr.trim() === '' ? '' : `: ${lastLine(run.stderr)}`}`, { path });
      }
      frames[index] = { time, width, height, data: new Uint8Array(run.stdout.buffer, run.stdout.byteOffset, run.stdout.length) };
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 2, options.times.length));
  const results = await Promise.allSettled(Array.from({ length: workers }, () => worker()));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return frames;
}

/**
 * Times of `count` frames spread evenly over `[start, end]` seconds: the centres of `count` equal
 * parts (TSN-style uniform sampling), so the first and last frames are never the black lead-in/out.
 * @returns `count` times in seconds, ascending
 */
export function uniformTimes(start: number, end: number, count: number): number[] {
  const length = Math.max(0, end - start);
  return Array.from({ length: Math.max(0, count) }, (_, index) => start + ((index + 0.5) * length) / count);
}

/**
 * Times of frames at `fps` frames per second over `[start, end]` seconds, at most `maxFrames`; when
 * the rate would exceed the budget the frames are spread uniformly instead (the budget wins).
 * @returns times in seconds, ascending
 */
export function fpsTimes(start: number, end: number, fps: number, maxFrames: number): number[] {
  const count = Math.floor(Math.max(0, end - start) * fps + 1e-9);
  if (count > maxFrames) return uniformTimes(start, end, maxFrames);
  if (count < 1) return [(start + end) / 2];
  return Array.from({ length: count }, (_, index) => start + (index + 0.5) / fps);
}
