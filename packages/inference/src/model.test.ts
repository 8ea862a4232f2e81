import { mkdtemp, rm, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RewardError } from '@mixreward/core';
import {
  buildClipModel,
  buildEmbeddingModel,
  buildSequenceScoreModel,
  buildStepScoreModel,
  type ClipModel,
  type EmbeddingModel,
  type SequenceScoreModel,
  type StepScoreModel,
} from '@mixreward/model-builder';
import { cudaProviderPath, loadModel, type Model } from './index.js';

let root: string;
let embedding: EmbeddingModel;
let scorer: SequenceScoreModel;
let stepper: StepScoreModel;
let clip: ClipModel;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mixreward-inference-'));
  embedding = await buildEmbeddingModel({ dir: join(root, 'embedding') });
  scorer = await buildSequenceScoreModel({ dir: join(root, 'score') });
  stepper = await buildStepScoreModel({ dir: join(root, 'steps') });
  clip = await buildClipModel({ dir: join(root, 'clip'), imageSize: 32 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function withModel<T>(path: string, use: (model: Model) => Promise<T>, options: Parameters<typeof loadModel>[0] = { path }): Promise<T> {
  const model = await loadModel({ ...options, path, device: 'cpu' });
  try {
    return await use(model);
  } finally {
    await model.dispose();
  }
}

const close = (actual: ArrayLike<number>, expected: readonly number[], digits = 5) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, digits));
};

describe('embedding models', () => {
  test('embed is the masked mean of the hidden states, normalised', async () => {
    await withModel(embedding.dir, async (model) => {
      expect(model.manifest.kind).toBe('embedding');
      expect(model.device).toBe('cpu');
      const vector = await model.embed('The cat sat on the mat.');
      expect(vector).toBeInstanceOf(Float32Array);
      close(vector, embedding.embed('The cat sat on the mat.'));
      const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
      expect(norm).toBeCloseTo(1, 5);
    });
  });

  test('embedTokens returns one vector per non-special token', async () => {
    await withModel(embedding.dir, async (model) => {
      const vectors = await model.embedTokens('a red apple');
      const expected = embedding.embedTokens('a red apple');
      expect(vectors).toHaveLength(3);
      vectors.forEach((vector, index) => close(vector, expected[index] as number[]));
    });
  });

  test('concurrent requests of different lengths are batched and split back in order', async () => {
    const texts = ['cat', 'the quick brown fox jumps over the lazy dog', 'hello world', 'red', 'one two three four five six', 'yes'];
    await withModel(
      embedding.dir,
      async (model) => {
        const vectors = await Promise.all(texts.map((text) => model.embed(text)));
        vectors.forEach((vector, index) => close(vector, embedding.embed(texts[index] as string)));
      },
      { path: embedding.dir, batching: { maxBatchSize: 4, maxWaitMs: 5 } },
    );
  });

  test('left padding gives the same embeddings as right padding', async () => {
    const dir = join(root, 'embedding-left');
    await buildEmbeddingModel({ dir, manifest: { padding: { side: 'left' } } });
    await withModel(dir, async (model) => {
      const texts = ['cat', 'the big red house', 'hello'];
      const vectors = await Promise.all(texts.map((text) => model.embed(text)));
      vectors.forEach((vector, index) => close(vector, embedding.embed(texts[index] as string)));
    });
  });

  test('cls pooling takes the first token', async () => {
    const dir = join(root, 'embedding-cls');
    const built = await buildEmbeddingModel({ dir, pooling: 'cls', normalize: false });
    await withModel(dir, async (model) => close(await model.embed('green tree'), built.embed('green tree')));
  });

  test('a text far past maxLength (2 MB) is truncated, quickly and without a crash', async () => {
    const huge = 'the quick brown fox jumps over the lazy dog '.repeat(50_000);
    await withModel(embedding.dir, async (model) => {
      close(await model.embed(huge), embedding.embed('the quick brown fox jumps over the lazy dog '.repeat(10)));
    });
  });

  test('a text past maxLength is truncated from the right', async () => {
    const long = Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? 'cat' : 'dog')).join(' ');
    await withModel(embedding.dir, async (model) => {
      expect((await model.embedTokens(long)).length).toBe(30);
      close(await model.embed(long), embedding.embed(long));
    });
  });
});

describe('sequence-score models', () => {
  test('score returns the sigmoid of the logit for a single text', async () => {
    await withModel(scorer.dir, async (model) => {
      close(await model.score('the answer is 42'), scorer.score('the answer is 42'));
    });
  });

  test('a text pair uses token types and both segments', async () => {
    await withModel(scorer.dir, async (model) => {
      const pair = await model.score('what is two plus two?', 'four');
      close(pair, scorer.score('what is two plus two?', 'four'));
      expect(pair[0]).not.toBeCloseTo((await model.score('what is two plus two? four'))[0] as number, 6);
    });
  });

  test('softmax over several labels sums to one', async () => {
    const dir = join(root, 'score-3');
    const built = await buildSequenceScoreModel({ dir, labels: ['bad', 'ok', 'good'], seed: 11 });
    await withModel(dir, async (model) => {
      const scores = await model.score('good answer', 'yes');
      close(scores, built.score('good answer', 'yes'));
      expect(scores.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 6);
    });
  });

  test('batched scores equal scores computed one at a time', async () => {
    const pairs: [string, string][] = Array.from({ length: 40 }, (_, index) => [
      `question ${index % 10}`,
      'the answer is '.repeat(1 + (index % 5)) + String(index % 10),
    ]);
    await withModel(
      scorer.dir,
      async (model) => {
        const scores = await Promise.all(pairs.map(([text, pair]) => model.score(text, pair)));
        scores.forEach((score, index) => close(score, scorer.score(...(pairs[index] as [string, string]))));
      },
      { path: scorer.dir, batching: { maxBatchSize: 16, maxWaitMs: 1 } },
    );
  });
});

describe('step-score models', () => {
  test('scoreSteps reads the positive label at each separator token', async () => {
    const steps = ['two plus two', 'equals four', 'so the answer is 4'];
    await withModel(stepper.dir, async (model) => {
      const scores = await model.scoreSteps('what is two plus two?', steps);
      const encoded = stepper.encode(['what is two plus two?', ...steps.map((step) => `${step} <step>`)].join('\n'));
      const logits = stepper.positionLogits(encoded.ids);
      const expected = encoded.ids.flatMap((id, index) => {
        if (id !== stepper.separatorId) return [];
        const row = logits[index] as number[];
        const top = Math.max(...row);
        const exps = row.map((value) => Math.exp(value - top));
        return [(exps[1] as number) / (exps[0]! + exps[1]!)];
      });
      expect(expected).toHaveLength(3);
      close(scores, expected);
      expect(await model.scoreSteps('what is two plus two?', [])).toEqual([]);
    });
  });

  test('steps that do not fit maxLength are a RewardError naming steps', async () => {
    const steps = Array.from({ length: 40 }, () => 'one two three');
    await withModel(stepper.dir, async (model) => {
      await expect(model.scoreSteps('q', steps)).rejects.toMatchObject({ code: 'INVALID_INPUT', path: 'steps' });
    });
  });
});

describe('clip models', () => {
  test('embed uses the text tower and embedImage the image tower', async () => {
    const { default: sharp } = await import('sharp');
    const size = 32;
    const png = await sharp({ create: { width: size, height: size, channels: 3, background: { r: 255, g: 0, b: 128 } } }).png().toBuffer();
    await withModel(clip.dir, async (model) => {
      close(await model.embed('a photo of a cat'), clip.embedText('a photo of a cat'));
      const mean = [0.48145466, 0.4578275, 0.40821073];
      const std = [0.26862954, 0.26130258, 0.27577711];
      const pixels = new Float32Array(3 * size * size);
      [255, 0, 128].forEach((value, channel) => pixels.fill((value / 255 - mean[channel]!) / std[channel]!, channel * size * size, (channel + 1) * size * size));
      close(await model.embedImage(png), clip.embedPixels(pixels), 4);
    });
  });
});

describe('manifest-driven variants', () => {
  test('graph inputs with other names are fed through manifest inputs; text-embedding is an embedding', async () => {
    const dir = join(root, 'renamed-ok');
    await buildEmbeddingModel({
      dir,
      inputNames: { inputIds: 'ids', attentionMask: 'mask' },
      manifest: { kind: 'text-embedding', inputs: { input_ids: 'ids', attention_mask: 'mask' } },
    });
    await withModel(dir, async (model) => close(await model.embed('blue sky'), embedding.embed('blue sky')));
  });

  test('int32 ids, a position_ids input and a float16 output are handled from the graph', async () => {
    const dir = join(root, 'int32-fp16');
    const built = await buildEmbeddingModel({ dir, idType: 'int32', positionIds: true, outputType: 'float16', seed: 5 });
    for (const side of ['right', 'left'] as const) {
      const variant = join(root, `int32-fp16-${side}`);
      await buildEmbeddingModel({ dir: variant, idType: 'int32', positionIds: true, outputType: 'float16', seed: 5, manifest: { padding: { side } } });
      await withModel(variant, async (model) => {
        const texts = ['a red car', 'the quick brown fox jumps', 'cat'];
        const vectors = await Promise.all(texts.map((text) => model.embed(text)));
        vectors.forEach((vector, index) => close(vector, built.embed(texts[index] as string), 2));
        const tokens = await model.embedTokens('quick brown fox');
        tokens.forEach((vector, index) => close(vector, built.embedTokens('quick brown fox')[index] as number[], 2));
      });
    }
  });

  test('a float16 pixel input is fed float16 pixels', async () => {
    const dir = join(root, 'clip-fp16');
    const built = await buildClipModel({ dir, imageSize: 16, pixelType: 'float16' });
    const { default: sharp } = await import('sharp');
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 128, b: 255 } } }).png().toBuffer();
    const mean = [0.48145466, 0.4578275, 0.40821073];
    const std = [0.26862954, 0.26130258, 0.27577711];
    const pixels = new Float32Array(3 * 256);
    [0, 128, 255].forEach((value, channel) => pixels.fill((value / 255 - mean[channel]!) / std[channel]!, channel * 256, (channel + 1) * 256));
    await withModel(dir, async (model) => close(await model.embedImage(png), built.embedPixels(pixels), 2));
  });

  test('step-score in prefix mode scores each step prefix as a text pair', async () => {
    const dir = join(root, 'prefix-steps');
    const built = await buildSequenceScoreModel({ dir, manifest: { kind: 'step-score', steps: { mode: 'prefix', label: 'reward' } } });
    const steps = ['add two and two', 'get four', 'answer 4'];
    await withModel(dir, async (model) => {
      const scores = await model.scoreSteps('what is two plus two?', steps);
      close(scores, [0, 1, 2].map((index) => built.score('what is two plus two?', steps.slice(0, index + 1).join('\n'))[0] as number));
    });
  });

  test('an image-embedding model embeds images only', async () => {
    const dir = join(root, 'image-only');
    await mkdir(dir);
    await copyFile(join(clip.dir, 'vision_model.onnx'), join(dir, 'model.onnx'));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ kind: 'image-embedding', image: { size: 32, mean: [0, 0, 0], std: [1, 1, 1] } }));
    const { default: sharp } = await import('sharp');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 51, g: 102, b: 255 } } }).png().toBuffer();
    const file = join(dir, 'blue.png');
    await writeFile(file, png);
    await withModel(dir, async (model) => {
      const pixels = new Float32Array(3 * 32 * 32);
      [51, 102, 255].forEach((value, channel) => pixels.fill(value / 255, channel * 1024, (channel + 1) * 1024));
      close(await model.embedImage(file), clip.embedPixels(pixels), 4);
      await expect(model.embed('text')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
      await expect(model.embedImage(join(dir, 'missing.png'))).rejects.toMatchObject({ code: 'INVALID_INPUT', path: join(dir, 'missing.png') });
    });
  });

  test('labels that do not match the output width name manifest labels', async () => {
    const dir = join(root, 'label-mismatch');
    await buildSequenceScoreModel({ dir, manifest: { labels: ['a', 'b'] } });
    await withModel(dir, async (model) => {
      await expect(model.score('cat')).rejects.toThrow(/manifest\.json labels/);
    });
  });
});

describe('bad input', () => {
  test('bad loadModel options are INVALID_OPTIONS naming the option', async () => {
    await expect(loadModel({ path: embedding.dir, device: 'gpu' as 'cpu' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', path: 'device' });
    await expect(loadModel({ path: embedding.dir, deviceId: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', path: 'deviceId' });
    await expect(loadModel({ path: embedding.dir, batching: { maxBatchSize: 0 } })).rejects.toMatchObject({ path: 'batching.maxBatchSize' });
    await expect(loadModel({ path: embedding.dir, threads: { intraOp: 1.5 } })).rejects.toMatchObject({ path: 'threads.intraOp' });
    await expect(loadModel({ path: '' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS', path: 'path' });
  });

  test('a missing folder is MODEL_UNAVAILABLE naming the folder', async () => {
    const path = join(root, 'nope');
    await expect(loadModel({ path })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', path });
  });

  test('a folder without model.onnx names the file', async () => {
    const dir = join(root, 'no-onnx');
    await mkdir(dir);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ kind: 'sequence-score' }));
    await copyFile(join(scorer.dir, 'tokenizer.json'), join(dir, 'tokenizer.json'));
    const error = await loadModel({ path: dir, device: 'cpu' }).catch((caught: unknown) => caught);
    expect(RewardError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'MODEL_UNAVAILABLE', path: join(dir, 'model.onnx') });
    expect((error as Error).message).toContain('model.onnx');
  });

  test('a missing tokenizer.json names the file', async () => {
    const dir = join(root, 'no-tokenizer');
    await mkdir(dir);
    await copyFile(join(scorer.dir, 'manifest.json'), join(dir, 'manifest.json'));
    await copyFile(join(scorer.dir, 'model.onnx'), join(dir, 'model.onnx'));
    await expect(loadModel({ path: dir, device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', path: join(dir, 'tokenizer.json') });
  });

  test('a manifest with a bad field names the field', async () => {
    const dir = join(root, 'bad-manifest');
    await mkdir(dir);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ kind: 'sequence-score', max_length: 'long' }));
    const error = (await loadModel({ path: dir }).catch((caught: unknown) => caught)) as RewardError;
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('max_length');
    expect(error.message).toContain('manifest.json');
  });

  test('a manifest that is not JSON names the file', async () => {
    const dir = join(root, 'not-json');
    await mkdir(dir);
    await writeFile(join(dir, 'manifest.json'), '{ kind: ');
    await expect(loadModel({ path: dir })).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: join(dir, 'manifest.json') });
  });

  test('a model whose inputs do not match the manifest names the input', async () => {
    const dir = join(root, 'renamed-inputs');
    await buildSequenceScoreModel({ dir, manifest: { inputs: { input_ids: 'ids' } } });
    const error = (await loadModel({ path: dir, device: 'cpu' }).catch((caught: unknown) => caught)) as RewardError;
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain('"input_ids"');
    expect(error.message).toContain('manifest.json inputs');
  });

  test('a manifest output the graph lacks names the output', async () => {
    const dir = join(root, 'bad-output');
    await buildEmbeddingModel({ dir, manifest: { output: 'pooled' } });
    await expect(loadModel({ path: dir, device: 'cpu' })).rejects.toThrow(/no output "pooled".*manifest\.json output/);
  });

  test('a corrupt model.onnx is MODEL_UNAVAILABLE naming the file', async () => {
    const dir = join(root, 'corrupt-onnx');
    await buildEmbeddingModel({ dir });
    await writeFile(join(dir, 'model.onnx'), 'not a model');
    await expect(loadModel({ path: dir, device: 'cpu' })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', path: join(dir, 'model.onnx') });
  });

  test('a request the graph rejects fails alone, not its batch', async () => {
    // The tokenizer knows one word more than the model's embedding table has rows.
    const dir = join(root, 'vocab-mismatch');
    const small = await buildEmbeddingModel({ dir, words: ['cat', 'dog'] });
    const larger = join(root, 'vocab-larger');
    await buildEmbeddingModel({ dir: larger, words: ['cat', 'dog', 'unicorn'] });
    await copyFile(join(larger, 'tokenizer.json'), join(dir, 'tokenizer.json'));
    await withModel(
      dir,
      async (model) => {
        const results = await Promise.allSettled(['cat', 'dog unicorn', 'dog'].map((text) => model.embed(text)));
        expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        close((results[0] as PromiseFulfilledResult<Float32Array>).value, small.embed('cat'));
        const error = (results[1] as PromiseRejectedResult).reason as RewardError;
        expect(RewardError.isInstance(error)).toBe(true);
        expect(error.message).toContain(join(dir, 'model.onnx'));
      },
      { path: dir, batching: { maxBatchSize: 8, maxWaitMs: 5 } },
    );
  });

  test('an empty string and a non-string are INVALID_INPUT naming the field', async () => {
    await withModel(embedding.dir, async (model) => {
      await expect(model.embed('')).rejects.toMatchObject({ code: 'INVALID_INPUT', path: 'text' });
      await expect(model.embed('   ')).rejects.toMatchObject({ code: 'INVALID_INPUT', path: 'text' });
      await expect(model.embed(42 as unknown as string)).rejects.toMatchObject({ code: 'INVALID_INPUT', path: 'text' });
    });
  });

  test('truncation "none" makes a text past maxLength an error naming text', async () => {
    const dir = join(root, 'no-truncation');
    await buildEmbeddingModel({ dir, manifest: { truncation: 'none' } });
    await withModel(dir, async (model) => {
      await expect(model.embed('cat '.repeat(100))).rejects.toMatchObject({ code: 'INVALID_INPUT', path: 'text' });
      expect((await model.embed('cat')).length).toBe(8);
    });
  });

  test('a method the kind does not support names manifest kind', async () => {
    await withModel(embedding.dir, async (model) => {
      await expect(model.score('x')).rejects.toThrow(/kind sequence-score or step-score.*manifest\.json kind/);
      await expect(model.embedImage(Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    });
  });

  test('dispose answers the requests already accepted, then refuses new ones', async () => {
    const model = await loadModel({ path: embedding.dir, device: 'cpu', batching: { maxBatchSize: 64, maxWaitMs: 20 } });
    const inFlight = ['cat', 'dog', 'red car'].map((text) => model.embed(text));
    await model.dispose();
    const vectors = await Promise.all(inFlight);
    vectors.forEach((vector, index) => close(vector, embedding.embed(['cat', 'dog', 'red car'][index] as string)));
    await expect(model.embed('cat')).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });

  test('a disposed model rejects with MODEL_UNAVAILABLE', async () => {
    const model = await loadModel({ path: embedding.dir, device: 'cpu' });
    await model.dispose();
    await model.dispose();
    await expect(model.embed('cat')).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });
});

describe('devices', () => {
  test('device cuda without the CUDA provider says how to install it', async () => {
    if (cudaProviderPath() !== undefined) {
      const model = await loadModel({ path: embedding.dir, device: 'cuda' }).catch((error: unknown) => error);
      expect(RewardError.isInstance(model) ? model.code : (model as Model).device).toMatch(/DEPENDENCY_UNAVAILABLE|cuda/);
      if (!RewardError.isInstance(model)) await (model as Model).dispose();
      return;
    }
    const error = (await loadModel({ path: embedding.dir, device: 'cuda' }).catch((caught: unknown) => caught)) as RewardError;
    expect(error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(error.message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
  });

  test('device auto logs its choice once and exposes it', async () => {
    const messages: string[] = [];
    const logger = { info: (message: string) => messages.push(message), warn: (message: string) => messages.push(message) };
    const first = await loadModel({ path: embedding.dir, device: 'auto', logger });
    const second = await loadModel({ path: scorer.dir, device: 'auto', logger });
    expect(['cpu', 'cuda']).toContain(first.device);
    expect(second.device).toBe(first.device);
    expect(messages.filter((message) => message.startsWith('inference: device auto'))).toHaveLength(1);
    await first.dispose();
    await second.dispose();
  });
});
