import { isAbsolute, resolve as resolvePath } from 'node:path';
import { RewardError, errorMessage } from './errors.js';

const optionalModules = new Map<string, Promise<unknown>>();

/** How to load an optional module: what needs it and how a user installs it. */
export interface LoadOptionalModuleOptions {
  /** What needs the module, for the error (`"model-backed rewards"`, `"image rewards"`). */
  feature: string;
  /** The exact install command(s) that fix a missing module (`npm i onnxruntime-node`). */
  install: string;
  /**
   * Loads the module: `() => import('sharp')` written in the calling package, so that the module
   * resolves from that package's dependencies (core cannot resolve its callers' optional peers).
   */
  importer: () => Promise<unknown>;
}

/**
 * Import an optional dependency (onnxruntime-node, sharp, a tokenizer library) once, on first use,
 * so that importing a package stays cheap and installing it downloads no native runtime. The
 * module's `default` export is unwrapped when it has one. A failed import is not cached (the user
 * may install the module and retry) and becomes `RewardError('DEPENDENCY_UNAVAILABLE')` naming
 * `install`.
 *
 * @param specifier the module name (`"sharp"`)
 * @param options what needs it and how to install it
 * @returns the module (its default export when it has one)
 */
export function loadOptionalModule<Module>(specifier: string, options: LoadOptionalModuleOptions): Promise<Module> {
  let loading = optionalModules.get(specifier);
  if (!loading) {
    loading = options
      .importer()
      .then((module) => {
        const record = module as { default?: unknown };
        return record.default ?? module;
      })
      .catch((error: unknown) => {
        optionalModules.delete(specifier);
        throw new RewardError(
          'DEPENDENCY_UNAVAILABLE',
          `${specifier} could not be loaded (${errorMessage(error)}); ${options.feature} need it: ${options.install}`,
          { cause: error },
        );
      });
    optionalModules.set(specifier, loading);
  }
  return loading as Promise<Module>;
}

/**
 * Levenshtein distance between two sequences (strings compare UTF-16 code units; arrays compare
 * elements with `===`). Two rows of memory.
 *
 * @returns the number of insertions, deletions and substitutions, in [0, max(a.length, b.length)]
 */
export function editDistance<Item>(a: ArrayLike<Item>, b: ArrayLike<Item>): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const item = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (item === b[j - 1] ? 0 : 1);
      const deletion = (previous[j] as number) + 1;
      const insertion = (current[j - 1] as number) + 1;
      current[j] = substitution < deletion ? (substitution < insertion ? substitution : insertion) : deletion < insertion ? deletion : insertion;
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/**
 * Resolve a media path a rollout names (`media.images[i]`, `media.video`). Relative paths resolve
 * against `mediaDir`: the folder of the input file for the CLI (`score --input`), the server's
 * `--media-root` (default its working directory) for the server, and `CreateContext.mediaDir` for
 * library users. When `root` is set, a path that leaves it (`../`, an absolute path elsewhere) is
 * `RewardError('INVALID_INPUT')`.
 *
 * @param path the path as the rollout gives it
 * @param options `mediaDir` (what relative paths resolve against) and `root` (an allowed media root)
 * @returns the absolute path
 */
export function resolveMediaPath(path: string, options: { mediaDir: string; root?: string | undefined }): string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new RewardError('INVALID_INPUT', `media path ${JSON.stringify(path)} is not a usable file path`);
  }
  const absolute = isAbsolute(path) ? resolvePath(path) : resolvePath(options.mediaDir, path);
  if (options.root !== undefined) {
    const root = resolvePath(options.root);
    if (absolute !== root && !absolute.startsWith(root.endsWith('/') ? root : `${root}/`)) {
      throw new RewardError('INVALID_INPUT', `media path ${path} is outside the allowed media root ${root}; move the file under it or change media_root`, { path });
    }
  }
  return absolute;
}
