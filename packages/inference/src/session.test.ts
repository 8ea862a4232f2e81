import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RewardError } from '@mixreward/core';
import { GraphBuilder, buildClipModel, encodeModel } from '@mixreward/model-builder';
import { loadSession, type RawSession } from './index.js';

let root: string;
let file: string;

/** y = 2x + 0.5 on float32 [n, w] (both dimensions dynamic); next = ids + 1 on int64 [n]. */
async function writeRawModel(path: string): Promise<void> {
  const graph = new GraphBuilder('raw');
  const x = graph.input('x', 'float', ['n', 'w']);
  const ids = graph.input('ids', 'int64', ['n']);
  const doubled = graph.op('Mul', [x, graph.constant('float', [], [2])]);
  graph.output('y', graph.op('Add', [doubled, graph.constant('float', [], [0.5])]), 'float', ['n', 'w']);
  graph.output('next', graph.op('Add', [ids, graph.constant('int64', [], [1])]), 'int64', ['n']);
  await writeFile(path, encodeModel(graph.build()));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-session-'));
  file = join(root, 'raw.onnx');
  await writeRawModel(file);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const errorOf = async (promise: Promise<unknown>): Promise<RewardError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RewardError) return error;
    throw error;
  }
  throw new Error('expected a RewardError');
};

describe('loadSession', () => {
  let session: RawSession;
  beforeAll(async () => {
    session = await loadSession({ path: 'raw.onnx', baseDir: root, device: 'cpu' });
  });
  afterAll(() => session.dispose());

  test('reports the graph inputs and outputs with their declared types and shapes', () => {
    expect(session.path).toBe(file);
    expect(session.device).toBe('cpu');
    expect(session.inputNames).toEqual(['x', 'ids']);
    expect(session.outputNames).toEqual(['y', 'next']);
    expect(session.inputs).toEqual([
      { name: 'x', type: 'float32', shape: ['n', 'w'] },
      { name: 'ids', type: 'int64', shape: ['n'] },
    ]);
    expect(session.outputs.map((output) => output.type)).toEqual(['float32', 'int64']);
  });

  test('runs any dynamic shape and returns typed arrays with dims', async () => {
    const result = await session.run({
      x: { type: 'float32', data: new Float32Array([1, 2, 3, -1, 0, 0.25]), dims: [2, 3] },
      ids: { type: 'int64', data: new BigInt64Array([7n, -3n]), dims: [2] },
    });
    expect(result.y?.type).toBe('float32');
    expect(result.y?.dims).toEqual([2, 3]);
    expect(Array.from(result.y?.data as Float32Array)).toEqual([2.5, 4.5, 6.5, -1.5, 0.5, 1]);
    expect(result.next?.type).toBe('int64');
    expect(Array.from(result.next?.data as BigInt64Array)).toEqual([8n, -2n]);

    const wide = await session.run({ x: { type: 'float32', data: [1, 2, 3, 4, 5], dims: [1, 5] }, ids: { type: 'int64', data: [41], dims: [1] } }, { outputs: ['next'] });
    expect(Object.keys(wide)).toEqual(['next']);
    expect(Array.from(wide.next?.data as BigInt64Array)).toEqual([42n]);
  });

  test('concurrent runs are queued and each gets its own answer', async () => {
    const runs = Array.from({ length: 8 }, (_, index) =>
      session.run({ x: { type: 'float32', data: [index], dims: [1, 1] }, ids: { type: 'int64', data: [index], dims: [1] } }),
    );
    const results = await Promise.all(runs);
    expect(results.map((result) => (result.y?.data as Float32Array)[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((index) => 2 * index + 0.5));
  });

  test('bad feeds are INVALID_INPUT errors naming the input', async () => {
    const ids = { type: 'int64' as const, data: [1], dims: [1] };
    const cases: [Parameters<RawSession['run']>[0], string, RegExp][] = [
      [{ ids }, 'feeds.x', /input "x" .* is not fed/],
      [{ x: { type: 'float32', data: [1], dims: [1, 1] }, ids, extra: ids }, 'feeds.extra', /no input "extra"/],
      [{ x: { type: 'int32', data: [1], dims: [1, 1] }, ids }, 'feeds.x', /expects float32, got int32/],
      [{ x: { type: 'float32', data: [1, 2, 3], dims: [1, 2] }, ids }, 'feeds.x', /3 values but dims \[1, 2\] hold 2/],
      [{ x: { type: 'float32', data: [1], dims: [1] }, ids }, 'feeds.x', /expects 2 dimensions/],
      [{ x: { type: 'float32', data: new Int32Array([1]), dims: [1, 1] }, ids }, 'feeds.x', /must be a Float32Array/],
      [{ x: { type: 'float32', data: [1], dims: [1, 1] }, ids: { type: 'int64', data: [0.5], dims: [1] } }, 'feeds.ids', /safe integers/],
    ];
    for (const [feeds, path, message] of cases) {
      const error = await errorOf(session.run(feeds));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.path).toBe(path);
      expect(error.message).toMatch(message);
    }
    const output = await errorOf(session.run({ x: { type: 'float32', data: [1], dims: [1, 1] }, ids }, { outputs: ['nope'] }));
    expect(output.message).toMatch(/no output "nope"/);
  });

  test('a run the runtime rejects is an INVALID_INPUT error, and the session keeps working', async () => {
    const graph = new GraphBuilder('add');
    graph.output('sum', graph.op('Add', [graph.input('a', 'float', ['n']), graph.input('b', 'float', ['m'])]), 'float', ['n']);
    const path = join(root, 'add.onnx');
    await writeFile(path, encodeModel(graph.build()));
    const add = await loadSession({ path, device: 'cpu' });
    // n = 2 and m = 3 do not broadcast: onnxruntime rejects the run.
    const error = await errorOf(add.run({ a: { type: 'float32', data: [1, 2], dims: [2] }, b: { type: 'float32', data: [1, 2, 3], dims: [3] } }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(path);
    const result = await add.run({ a: { type: 'float32', data: [1, 2], dims: [2] }, b: { type: 'float32', data: [10, 20], dims: [2] } });
    expect(Array.from(result.sum?.data as Float32Array)).toEqual([11, 22]);
    await add.dispose();
  });
});

test('a folder means its model.onnx, and a model-builder tower runs raw', async () => {
  const built = await buildClipModel({ dir: join(root, 'clip'), imageSize: 8 });
  const folder = join(root, 'folder');
  await mkdir(folder);
  await writeRawModel(join(folder, 'model.onnx'));
  const fromFolder = await loadSession({ path: folder, device: 'cpu' });
  expect(fromFolder.path).toBe(join(folder, 'model.onnx'));
  await fromFolder.dispose();

  const tower = await loadSession({ path: join(built.dir, 'vision_model.onnx'), device: 'auto' });
  const input = tower.inputs[0];
  expect(input?.type).toBe('float32');
  const size = 8;
  const pixels = new Float32Array(3 * size * size).map((_, index) => ((index % 7) - 3) / 4);
  const result = await tower.run({ [input?.name as string]: { type: 'float32', data: pixels, dims: [1, 3, size, size] } });
  const output = result[tower.outputNames[0] as string];
  const values = Array.from(output?.data as Float32Array);
  const norm = Math.hypot(...values);
  // embedPixels is the unit-length reference; the graph returns the projection before normalisation.
  expect(values.map((value) => value / norm)).toEqual(built.embedPixels(Array.from(pixels)).map((value) => expect.closeTo(value, 5)));
  await tower.dispose();
  await tower.dispose();
  const error = await errorOf(tower.run({}));
  expect(error.code).toBe('MODEL_UNAVAILABLE');
});

test('a missing file is MODEL_UNAVAILABLE naming it; bad options name the option', async () => {
  const missing = await errorOf(loadSession({ path: join(root, 'nope.onnx') }));
  expect(missing.code).toBe('MODEL_UNAVAILABLE');
  expect(missing.path).toBe(join(root, 'nope.onnx'));
  const empty = await errorOf(loadSession({ path: root }));
  expect(empty.code).toBe('MODEL_UNAVAILABLE');
  expect(empty.path).toBe(join(root, 'model.onnx'));
  const device = await errorOf(loadSession({ path: file, device: 'gpu' as 'cpu' }));
  expect(device.code).toBe('INVALID_OPTIONS');
  expect(device.path).toBe('device');
  const threads = await errorOf(loadSession({ path: file, threads: { intraOp: 0 } }));
  expect(threads.path).toBe('threads.intraOp');
});
