import { RewardError } from '@mixreward/core';
import type { SessionHandle } from './runtime.js';
import { float16ToFloat32 } from './vectors.js';

/**
 * Check a session's graph against the manifest: every graph input is one the manifest maps, every
 * required input exists, and the output to read exists.
 * @returns the name of the output to read (the manifest's, else the graph's first)
 * @internal
 */
export function checkGraph(handle: SessionHandle, file: string, known: Record<string, string>, required: string[], output: string | undefined): string {
  const mapped = new Set(Object.values(known));
  for (const name of handle.session.inputNames) {
    if (!mapped.has(name)) {
      const listed = Object.entries(known)
        .map(([key, value]) => `${key}="${value}"`)
        .join(', ');
      throw new RewardError('INVALID_CONFIG', `${file} has an input "${name}" that manifest.json inputs does not name (${listed}); map it in manifest.json inputs`, {
        path: `${file}#inputs`,
      });
    }
  }
  for (const name of required) {
    if (!handle.session.inputNames.includes(name)) {
      throw new RewardError('INVALID_CONFIG', `${file} has no input "${name}" (its inputs: ${handle.session.inputNames.join(', ')}); fix manifest.json inputs`, {
        path: `${file}#inputs`,
      });
    }
  }
  if (output !== undefined && !handle.session.outputNames.includes(output)) {
    throw new RewardError('INVALID_CONFIG', `${file} has no output "${output}" (its outputs: ${handle.session.outputNames.join(', ')}); fix manifest.json output`, {
      path: `${file}#output`,
    });
  }
  return output ?? (handle.session.outputNames[0] as string);
}

/**
 * An output tensor's values as float32 (float16 and float64 converted).
 * @internal
 */
export function floatData(tensor: { type: string; data: unknown }, file: string): Float32Array {
  if (tensor.data instanceof Float32Array) return tensor.data;
  if (tensor.data instanceof Float64Array) return Float32Array.from(tensor.data);
  if (tensor.type === 'float16' && tensor.data instanceof Uint16Array) return float16ToFloat32(tensor.data);
  throw new RewardError('INVALID_CONFIG', `${file}: output type ${tensor.type} is not supported (float32, float16 or float64 expected)`, { path: file });
}

/**
 * The element type the graph declares for an input, when the runtime reports it.
 * @internal
 */
export function inputType(handle: SessionHandle, name: string): string | undefined {
  const entry = handle.session.inputMetadata?.find((item) => item.name === name);
  return entry?.isTensor ? entry.type : undefined;
}
