import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { RewardError, errorMessage, loadOptionalModule, type Logger } from '@mixreward/core';
import type * as Ort from 'onnxruntime-node';

/** What `device` may ask for. */
export type DeviceRequest = 'auto' | 'cpu' | 'cuda';
/** The device a session actually runs on. */
export type Device = 'cpu' | 'cuda';

/** ONNX Runtime thread settings. */
export interface ThreadSettings {
  /** Threads used inside one operator, >= 1. Default: half the cores, at most 4 (the rest stay free for sandboxes). */
  intraOp?: number;
  /** Threads used across independent operators, >= 1. Default 1 (graphs run sequentially). */
  interOp?: number;
}

/** The onnxruntime-node module, as imported.
 * @internal
 */
export type OrtModule = typeof Ort;
/** An ONNX Runtime session.
 * @internal
 */
export type OrtSession = Ort.InferenceSession;

/** How a GPU user gets the CUDA execution provider; quoted in errors and the README. */
export const CUDA_INSTALL_HINT =
  'install the CUDA execution provider on a machine with internet access by running onnxruntime-node\'s install script with ' +
  'ONNXRUNTIME_NODE_INSTALL=cuda12 (npm: `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`; pnpm, which skips that script here: ' +
  '`ONNXRUNTIME_NODE_INSTALL=cuda12 node "$(dirname "$(node -p "require.resolve(\'onnxruntime-node/package.json\')")")/script/install.js"` ' +
  'in the package that depends on it); it needs an NVIDIA driver, CUDA 12 and cuDNN 9. Or set device to "cpu" or "auto".';

/**
 * The install commands for onnxruntime-node, quoted in every DEPENDENCY_UNAVAILABLE error about it
 * and in the README: the CPU build from npm, or the CUDA 12 build through its install script.
 */
export const ORT_INSTALL_HINT =
  'install it next to @mixreward/inference: `npm i onnxruntime-node` (CPU); for NVIDIA GPUs `ONNXRUNTIME_NODE_INSTALL=cuda12 npm i onnxruntime-node` (CUDA 12, downloads the CUDA provider)';

/**
 * Import onnxruntime-node once, on first use (an optional peer dependency: importing this package
 * stays cheap). A missing module is `RewardError('DEPENDENCY_UNAVAILABLE')` naming {@link ORT_INSTALL_HINT}.
 * @param importer how to import it; the default resolves it from this package (a bare import inside
 *   core would look in core's folder). Tests pass a failing one.
 * @internal
 * @internal
 */
export function loadOrt(importer: () => Promise<unknown> = () => import('onnxruntime-node')): Promise<OrtModule> {
  return loadOptionalModule<OrtModule>('onnxruntime-node', { feature: 'model-backed rewards (@mixreward/inference)', install: ORT_INSTALL_HINT, importer });
}

/**
 * Path of onnxruntime-node's CUDA provider library, or undefined when it is not installed (the npm
 * package ships only the CPU build; the CUDA binaries come from its install script).
 */
export function cudaProviderPath(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'win32') return undefined;
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('onnxruntime-node/package.json'));
    const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    const path = join(root, 'bin', 'napi-v6', process.platform, process.arch, file);
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Default thread settings for this machine: intra-op = min(4, max(1, floor(cores / 2))), inter-op = 1. */
export function defaultThreads(): Required<ThreadSettings> {
  return { intraOp: Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2))), interOp: 1 };
}

interface SharedSession {
  promise: Promise<{ session: OrtSession; device: Device }>;
  references: number;
}

const sessions = new Map<string, SharedSession>();
const logged = new Set<string>();
let cudaFailure: string | undefined;

function logOnce(logger: Logger, message: string): void {
  if (logged.has(message)) return;
  logged.add(message);
  logger.info(message);
}

/** What {@link acquireSession} needs.
 * @internal
 */
export interface SessionRequest {
  /** Absolute path of the .onnx file. */
  file: string;
  /** Requested device. */
  device: DeviceRequest;
  /** CUDA device index, >= 0. */
  deviceId: number;
  /** Thread settings, filled in. */
  threads: Required<ThreadSettings>;
  /** Where the device choice is reported (once per process and choice). */
  logger: Logger;
}

/** A reference-counted session; `release()` frees it when the last holder lets go.
 * @internal
 */
export interface SessionHandle {
  /** The session. */
  session: OrtSession;
  /** The device it runs on. */
  device: Device;
  /** The runtime module (for Tensor). */
  ort: OrtModule;
  /** Drop this reference; the session is released when none is left. Safe to call twice. */
  release(): Promise<void>;
}

/**
 * A session for (file, device, threads), shared by every caller that asks for the same one.
 * Device `auto` tries CUDA when its provider is installed and falls back to CPU; `cuda` fails with
 * a RewardError that says how to install it.
 * @internal
 */
export async function acquireSession(request: SessionRequest): Promise<SessionHandle> {
  const ort = await loadOrt();
  const key = JSON.stringify([request.file, request.device, request.deviceId, request.threads.intraOp, request.threads.interOp]);
  let shared = sessions.get(key);
  if (!shared) {
    shared = { promise: createSession(ort, request), references: 0 };
    sessions.set(key, shared);
    shared.promise.catch(() => sessions.delete(key));
  }
  shared.references += 1;
  const entry = shared;
  let opened: { session: OrtSession; device: Device };
  try {
    opened = await entry.promise;
  } catch (error) {
    entry.references -= 1;
    throw error;
  }
  let released = false;
  return {
    session: opened.session,
    device: opened.device,
    ort,
    async release() {
      if (released) return;
      released = true;
      entry.references -= 1;
      if (entry.references === 0 && sessions.get(key) === entry) {
        sessions.delete(key);
        await opened.session.release().catch(() => undefined);
      }
    },
  };
}

async function createSession(ort: OrtModule, request: SessionRequest): Promise<{ session: OrtSession; device: Device }> {
  const base: Ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: request.threads.intraOp,
    interOpNumThreads: request.threads.interOp,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  const open = (providers: Ort.InferenceSession.ExecutionProviderConfig[]) => ort.InferenceSession.create(request.file, { ...base, executionProviders: providers });
  const cpu = async () => {
    try {
      return await open(['cpu']);
    } catch (error) {
      throw new RewardError('MODEL_UNAVAILABLE', `could not load ${request.file}: ${errorMessage(error)}`, { path: request.file, cause: error });
    }
  };
  if (request.device === 'cpu') {
    const session = await cpu();
    logOnce(request.logger, 'inference: device cpu (asked for cpu)');
    return { session, device: 'cpu' };
  }
  const provider = cudaProviderPath();
  const cudaProviders: Ort.InferenceSession.ExecutionProviderConfig[] = [{ name: 'cuda', deviceId: request.deviceId }, 'cpu'];
  if (request.device === 'cuda') {
    if (!provider) {
      throw new RewardError('DEPENDENCY_UNAVAILABLE', `device "cuda" was asked for, but onnxruntime-node's CUDA execution provider is not installed: ${CUDA_INSTALL_HINT}`);
    }
    try {
      const session = await open(cudaProviders);
      logOnce(request.logger, `inference: device cuda:${request.deviceId} (asked for cuda)`);
      return { session, device: 'cuda' };
    } catch (error) {
      throw new RewardError(
        'DEPENDENCY_UNAVAILABLE',
        `device "cuda" was asked for, but the CUDA execution provider failed on ${request.file}: ${errorMessage(error)}. Check the GPU driver, CUDA 12 and cuDNN 9, or ${CUDA_INSTALL_HINT}`,
        { path: request.file, cause: error },
      );
    }
  }
  if (provider && cudaFailure === undefined) {
    try {
      const session = await open(cudaProviders);
      logOnce(request.logger, `inference: device auto -> cuda:${request.deviceId}`);
      return { session, device: 'cuda' };
    } catch (error) {
      cudaFailure = errorMessage(error);
    }
  }
  const session = await cpu();
  const why = provider ? `CUDA execution provider failed: ${cudaFailure}` : 'CUDA execution provider not installed';
  logOnce(request.logger, `inference: device auto -> cpu (${why})`);
  return { session, device: 'cpu' };
}

/** Which device `auto` would choose here, without loading a model: cuda only when its provider is installed (and has not failed). */
export function probeDevice(): { device: Device; reason: string } {
  const provider = cudaProviderPath();
  if (!provider) return { device: 'cpu', reason: 'CUDA execution provider not installed' };
  if (cudaFailure !== undefined) return { device: 'cpu', reason: `CUDA execution provider failed: ${cudaFailure}` };
  return { device: 'cuda', reason: `CUDA execution provider installed at ${provider}` };
}
