import { RewardError } from '@mixreward/core';
import { loadSharp } from './image.js';
import { loadOrt } from './runtime.js';

// onnxruntime-node and sharp are optional peers: imports that fail as on a machine where they were never installed.
const missing = (name: string) => () => Promise.reject(Object.assign(new Error(`Cannot find module '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' }));

test('a missing onnxruntime-node is DEPENDENCY_UNAVAILABLE naming the CPU and the CUDA install command', async () => {
  const error: unknown = await loadOrt(missing('onnxruntime-node')).catch((caught: unknown) => caught);
  expect(RewardError.isInstance(error) && error.code).toBe('DEPENDENCY_UNAVAILABLE');
  expect(error).toMatchObject({ message: expect.stringContaining('`npm i onnxruntime-node` (CPU)') });
  expect(error).toMatchObject({ message: expect.stringContaining('`ONNXRUNTIME_NODE_INSTALL=cuda12 npm i onnxruntime-node`') });
  // not cached: once installed, the next use loads it
  await expect(loadOrt()).resolves.toHaveProperty('InferenceSession');
});

test('a missing sharp is DEPENDENCY_UNAVAILABLE naming its install command', async () => {
  await expect(loadSharp(missing('sharp'))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringContaining('`npm i sharp`') });
  expect(typeof (await loadSharp())).toBe('function');
});
