import { join } from 'node:path';
import { TextTokenizer } from './src/index.js';
import { benchModel, benchTexts } from './bench/common.js';
const built = await benchModel(8);
const tok = await TextTokenizer.load(join(built.dir, 'tokenizer.json'), join(built.dir, 'tokenizer_config.json'));
tok.encode(benchTexts(1, 8, 40, 7)[0]!, undefined, { maxLength: 64, side: 'right' });
for (let r = 0; r < 5; r++) {
  const texts = benchTexts(20000, 8, 40, 5000 + r * 77);
  let t = performance.now();
  for (const x of texts) x.split(/\s+/);
  const split = (performance.now() - t) * 1000 / texts.length;
  t = performance.now();
  for (const x of texts) tok.encode(x, undefined, { maxLength: 64, side: 'right' });
  const enc = (performance.now() - t) * 1000 / texts.length;
  console.log({ splitUs: split.toFixed(2), encodeUs: enc.toFixed(2) });
}
