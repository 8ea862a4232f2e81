import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { RewardError, resolveMediaPath, type CreateContext, type Rollout } from '@mixreward/core';
import { z } from 'zod';
import { resolveFfmpeg } from './ffmpeg/binary.js';
import { decodeFrames, fpsTimes, probeVideo, uniformTimes, type FrameSize, type VideoFrame, type VideoInfo } from './ffmpeg/frames.js';
import { unionOfIntervals, type Interval } from './intervals.js';

/** Options every frame-reading reward shares (spread into its schema). @internal */
export const frameOptionFields = {
  frames: z.number().int().min(1).max(1024).default(8).describe('How many frames to sample, spread uniformly (centres of equal parts), 1-1024. Default 8. Ignored when sample_fps is set.'),
  sample_fps: z.number().positive().optional().describe('Sample this many frames per second instead of a fixed count (> 0); max_frames caps the count (then frames are spread uniformly). Default: none.'),
  max_frames: z.number().int().min(1).max(4096).default(64).describe('Frame budget per rollout, 1-4096: no more frames are ever decoded (hours-long videos included). Default 64.'),
  ffmpeg_path: z.string().min(1).optional().describe('The ffmpeg executable, relative to the config folder. Default: FFMPEG_PATH, then ffmpeg-static\'s binary when installed, then ffmpeg on PATH.'),
  media_root: z.string().min(1).optional().describe('Allowed media root, relative to the config folder: a video path outside it is an INVALID_INPUT error. Default: none (any path).'),
  timeout_ms: z.number().int().min(1).default(30_000).describe('Time limit of one ffmpeg run in ms (>= 1); it is killed past it. Default 30000.'),
  concurrency: z.number().int().min(1).max(16).default(2).describe('ffmpeg runs at once per rollout, 1-16. Default 2.'),
};

/** Parsed {@link frameOptionFields}. @internal */
export type FrameOptions = z.output<z.ZodObject<typeof frameOptionFields>>;

/** Frames of one rollout's video. @internal */
export interface SampledVideo {
  /** The absolute video path. */
  path: string;
  /** Probed duration, fps, size. */
  info: VideoInfo;
  /** The frames in time order. */
  frames: VideoFrame[];
}

/** Resolves the ffmpeg binary once per scorer and decodes a rollout's frames. @internal */
export class FrameSampler {
  private binary: Promise<string> | undefined;
  private readonly root: string | undefined;
  /** Probes by path, size and modification time: several rollouts often share one video. */
  private readonly probes = new Map<string, Promise<VideoInfo>>();

  constructor(
    private readonly options: FrameOptions,
    private readonly context: CreateContext,
  ) {
    this.root = options.media_root === undefined ? undefined : resolvePath(context.baseDir, options.media_root);
  }

  /** The ffmpeg path, resolved on first use (a failed resolution is retried next time). */
  ffmpeg(): Promise<string> {
    this.binary ??= resolveFfmpeg({ ffmpegPath: this.options.ffmpeg_path, baseDir: this.context.baseDir }).then(
      (found) => {
        this.context.logger.info(`ffmpeg: ${found.path} (from ${found.source})`);
        return found.path;
      },
      (error: unknown) => {
        this.binary = undefined;
        throw error;
      },
    );
    return this.binary;
  }

  /** The rollout's video path (`media.video`), resolved against the media folder and checked against the media root. */
  videoPath(rollout: Rollout, reward: string): string {
    const video = rollout.media?.video;
    if (typeof video !== 'string' || video.length === 0) {
      throw new RewardError('INVALID_ROLLOUT', `${reward} needs a video: rollout.media.video is missing`, { path: 'media.video' });
    }
    return resolveMediaPath(video, { mediaDir: this.context.mediaDir ?? this.context.baseDir, root: this.root });
  }

  private async probe(path: string, ffmpeg: string, signal: AbortSignal): Promise<VideoInfo> {
    const file = await stat(path).catch(() => undefined);
    const key = file === undefined ? undefined : `${path}\0${file.size}\0${file.mtimeMs}`;
    const cached = key === undefined ? undefined : this.probes.get(key);
    if (cached !== undefined) return cached;
    const probing = probeVideo(path, { ffmpeg, signal, timeoutMs: this.options.timeout_ms });
    if (key !== undefined) {
      if (this.probes.size >= 256) this.probes.clear();
      this.probes.set(key, probing);
      probing.catch(() => this.probes.delete(key));
    }
    return probing;
  }

  /**
   * Sample frames over the whole video, or inside `within` (a union of spans, clipped to the video):
   * uniform `frames`, or `sample_fps`, never more than `max_frames`.
   */
  async sample(path: string, options: { signal: AbortSignal; size: FrameSize; within?: readonly Interval[] | undefined }): Promise<SampledVideo> {
    const ffmpeg = await this.ffmpeg();
    const info = await this.probe(path, ffmpeg, options.signal);
    const spans = unionOfIntervals((options.within ?? [[0, info.duration]]).map(([start, end]): [number, number] => [Math.max(0, start), Math.min(info.duration, end)]));
    if (spans.length === 0) throw new RewardError('INVALID_INPUT', `no part of the span(s) lies inside the video (${info.duration} s long)`, { path });
    const times = timesInUnion(spans, this.options);
    const frames = await decodeFrames(path, {
      ffmpeg,
      times,
      info,
      size: options.size,
      signal: options.signal,
      timeoutMs: this.options.timeout_ms,
      maxFrames: this.options.max_frames,
      concurrency: this.options.concurrency,
    });
    return { path, info, frames };
  }
}

/**
 * Sampling times inside a union of spans: the spans are laid end to end, times are taken on that
 * length (uniform `frames`, or `sample_fps` capped by `max_frames`) and mapped back.
 * @internal
 */
export function timesInUnion(spans: readonly Interval[], options: Pick<FrameOptions, 'frames' | 'sample_fps' | 'max_frames'>): number[] {
  let total = 0;
  for (const [start, end] of spans) total += end - start;
  const count = Math.min(options.frames, options.max_frames);
  const offsets = options.sample_fps === undefined ? uniformTimes(0, total, count) : fpsTimes(0, total, options.sample_fps, options.max_frames);
  return offsets.map((offset) => {
    let rest = offset;
    for (const [start, end] of spans) {
      if (rest < end - start || end === (spans[spans.length - 1] as Interval)[1]) return start + Math.min(rest, end - start);
      rest -= end - start;
    }
    return 0;
  });
}
