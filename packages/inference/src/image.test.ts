import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { CLIP_MEAN, CLIP_STD, imageToTensor } from './index.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-image-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const solid = (width: number, height: number, rgb: [number, number, number], channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: channels === 4 ? { r: rgb[0], g: rgb[1], b: rgb[2], alpha: 0.5 } : { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .png()
    .toBuffer();

const normalised = (value: number, channel: number) => (value / 255 - (CLIP_MEAN[channel] as number)) / (CLIP_STD[channel] as number);

test('a solid image becomes NCHW float32 with CLIP mean/std at 224 by default', async () => {
  const file = join(root, 'solid.png');
  await writeFile(file, await solid(300, 260, [200, 100, 50]));
  const tensor = await imageToTensor(file);
  expect(tensor.dims).toEqual([1, 3, 224, 224]);
  expect(tensor.data).toBeInstanceOf(Float32Array);
  expect(tensor.data.length).toBe(3 * 224 * 224);
  const area = 224 * 224;
  [200, 100, 50].forEach((value, channel) => {
    expect(tensor.data[channel * area]).toBeCloseTo(normalised(value, channel), 5);
    expect(tensor.data[channel * area + area - 1]).toBeCloseTo(normalised(value, channel), 5);
  });
});

test('cover resizes the shortest edge and crops the centre; channels stay planar', async () => {
  // 40x20: left quarter red, middle half green, right quarter blue; cover to 10x10 keeps the green middle.
  const width = 40;
  const height = 20;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      if (x < 10) raw[offset] = 255;
      else if (x < 30) raw[offset + 1] = 255;
      else raw[offset + 2] = 255;
    }
  }
  const png = await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
  const cover = await imageToTensor(png, { size: 10, mean: [0, 0, 0], std: [1, 1, 1] });
  const area = 100;
  const centre = 5 * 10 + 5;
  expect(cover.data[centre]).toBeCloseTo(0, 5);
  expect(cover.data[area + centre]).toBeCloseTo(1, 5);
  expect(cover.data[2 * area + centre]).toBeCloseTo(0, 5);
  const fill = await imageToTensor(png, { size: 10, mean: [0, 0, 0], std: [1, 1, 1], resize: 'fill' });
  expect(fill.data[5 * 10 + 0]).toBeGreaterThan(0.5); // stretched: the red quarter is still at the left edge
});

test('alpha is dropped and grey images get three channels', async () => {
  const alpha = await imageToTensor(await solid(16, 16, [10, 20, 30], 4), { size: 4 });
  expect(alpha.data[0]).toBeCloseTo(normalised(10, 0), 5);
  const grey = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 90, g: 90, b: 90 } } }).greyscale().png().toBuffer();
  const tensor = await imageToTensor(grey, { size: 4 });
  [0, 1, 2].forEach((channel) => expect(tensor.data[channel * 16]).toBeCloseTo(normalised(90, channel), 2));
});

test('a corrupt image, a missing file and empty bytes are INVALID_INPUT naming the input', async () => {
  const corrupt = join(root, 'corrupt.png');
  await writeFile(corrupt, Buffer.from('\x89PNG\r\n\x1a\nthis is not a png'));
  await expect(imageToTensor(corrupt)).rejects.toMatchObject({ code: 'INVALID_INPUT', path: corrupt });
  await expect(imageToTensor(corrupt)).rejects.toThrow(/corrupt\.png/);
  const missing = join(root, 'missing.jpg');
  await expect(imageToTensor(missing)).rejects.toMatchObject({ code: 'INVALID_INPUT', path: missing });
  await expect(imageToTensor(new Uint8Array(0))).rejects.toMatchObject({ code: 'INVALID_INPUT', path: 'image' });
  await expect(imageToTensor(Buffer.from('garbage bytes'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
});
