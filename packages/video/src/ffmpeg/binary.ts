import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { RewardError, loadOptionalModule } from '@mixreward/core';

/** The optional package whose install script may have fetched an ffmpeg binary (a variable, so no types are needed). */
const ffmpegStaticModule: string = 'ffmpeg-static';

/** Where the ffmpeg binary was found. */
export type FfmpegSource = 'option' | 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH';

/** A resolved ffmpeg binary. */
export interface FfmpegBinary {
  /** Absolute path of the executable. */
  path: string;
  /** Which rule found it. */
  source: FfmpegSource;
}

/** Options of {@link resolveFfmpeg}. */
export interface ResolveFfmpegOptions {
  /** An explicit path (the reward option `ffmpeg_path`); relative paths resolve against `baseDir`. */
  ffmpegPath?: string | undefined;
  /** Folder a relative `ffmpegPath` resolves against. Default: the working directory. */
  baseDir?: string | undefined;
  /** The environment to read `FFMPEG_PATH` and `PATH` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Loads ffmpeg-static (returns its exported path or null); tests replace it. Default: the installed package, if any. */
  loadStatic?: () => Promise<unknown>;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(env: Record<string, string | undefined>): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
    if (isExecutableFile(candidate)) return resolve(candidate);
  }
  return undefined;
}

async function staticBinary(options: ResolveFfmpegOptions): Promise<string | undefined> {
  try {
    const exported = await (options.loadStatic ?? (() => loadOptionalModule<unknown>('ffmpeg-static', { feature: 'video frame decoding', install: 'pnpm add ffmpeg-static', importer: () => import(ffmpegStaticModule) })))();
    const path = typeof exported === 'string' ? exported : (exported as { default?: unknown } | null)?.default;
    // ffmpeg-static exports a path even when its install script did not fetch the binary: never run a path that is not there.
    return typeof path === 'string' && isExecutableFile(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Find the ffmpeg binary, in order: the explicit `ffmpegPath` option, the `FFMPEG_PATH` environment
 * variable, ffmpeg-static's binary when its install fetched one (a path that does not exist on disk
 * is skipped, never executed), then `ffmpeg` on `PATH`. An explicit option or `FFMPEG_PATH` that
 * names no executable file is an error naming it (not a silent fall-through).
 * @throws RewardError `DEPENDENCY_UNAVAILABLE` naming all four places when none has ffmpeg
 */
export async function resolveFfmpeg(options: ResolveFfmpegOptions = {}): Promise<FfmpegBinary> {
  const env = options.env ?? process.env;
  if (options.ffmpegPath !== undefined) {
    const path = isAbsolute(options.ffmpegPath) ? options.ffmpegPath : resolve(options.baseDir ?? process.cwd(), options.ffmpegPath);
    if (!isExecutableFile(path)) throw new RewardError('DEPENDENCY_UNAVAILABLE', `ffmpeg_path ${path} is not an executable file; fix the option ffmpeg_path or remove it to search FFMPEG_PATH, ffmpeg-static and PATH`, { path: 'with.ffmpeg_path' });
    return { path, source: 'option' };
  }
  const fromEnv = env.FFMPEG_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutableFile(fromEnv)) throw new RewardError('DEPENDENCY_UNAVAILABLE', `FFMPEG_PATH=${fromEnv} is not an executable file; fix or unset the environment variable FFMPEG_PATH`, { path: 'FFMPEG_PATH' });
    return { path: resolve(fromEnv), source: 'FFMPEG_PATH' };
  }
  const fromStatic = await staticBinary(options);
  if (fromStatic !== undefined) return { path: fromStatic, source: 'ffmpeg-static' };
  const fromPath = onPath(env);
  if (fromPath !== undefined) return { path: fromPath, source: 'PATH' };
  throw new RewardError(
    'DEPENDENCY_UNAVAILABLE',
    'ffmpeg not found: set the option ffmpeg_path, or the environment variable FFMPEG_PATH, or install ffmpeg-static with its binary (its install script must be allowed to download it), or put ffmpeg on PATH (e.g. apt-get install ffmpeg)',
    { path: 'with.ffmpeg_path' },
  );
}
