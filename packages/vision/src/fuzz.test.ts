import fc from 'fast-check';
import type { RewardResult, Scorer } from '@mixreward/core';
import { createVisionCountReward, createVisionDetectionReward, createVisionIouReward, createVisionMatchReward, createVisionPointReward } from './index.js';

fc.configureGlobal({ seed: 20261122, numRuns: 150 });

const fragments = [
  '<answer>', '</answer>', '<think>', '</think>', '[', ']', '{', '}', '(', ')', ',', ' ', '"bbox_2d": ', '"label": "cat"', "'Position': ",
  '"score": 0.5', '<|box_start|>', '<|box_end|>', '<box>', '</box>', '<point>', '</point>', '<ref>dog</ref>', 'NaN', '-1', '0', '0.5',
  '12', '999', '1e9', '1e400', 'None', 'three', '\n', '```json',
];
const completion = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(''));
const number = fc.oneof(fc.integer({ min: -50, max: 1200 }), fc.double({ noNaN: true, min: -10, max: 2000 }));
const box = fc.tuple(number, number, number, number).map(([x1, y1, w, h]) => [x1, y1, x1 + Math.abs(w) + 1, y1 + Math.abs(h) + 1]);
const reference = fc.record(
  {
    boxes: fc.array(fc.oneof(box, box.map((bbox) => ({ bbox, label: 'cat' }))), { maxLength: 4 }),
    points: fc.array(fc.tuple(number, number), { maxLength: 2 }),
    frame: fc.constantFrom('pixel', 'norm1', 'grid1000'),
    image_size: fc.constantFrom([640, 480], [1, 1], [3000, 20]),
    count: fc.integer({ min: 0, max: 5 }),
  },
  { requiredKeys: ['image_size'] },
);

const scorers: Array<Promise<Scorer>> = [
  createVisionIouReward(),
  createVisionIouReward({ metric: 'ciou', frame: 'norm1' }),
  createVisionPointReward({ mode: 'tiered' }),
  createVisionPointReward(),
  createVisionMatchReward({ confidence: true, label_aware: true }),
  createVisionDetectionReward({ od_length: true }),
  createVisionCountReward({ mode: 'relative' }),
];

test('every vision reward returns a well-formed result for arbitrary completions and references', async () => {
  await fc.assert(
    fc.asyncProperty(completion, reference, async (text, ref) => {
      for (const scorer of scorers) {
        const [result] = (await (await scorer).score([{ completion: text, reference: ref }], { signal: new AbortController().signal })) as [RewardResult];
        if (!['ok', 'skipped', 'error'].includes(result.status)) return false;
        if (result.status === 'ok' && !Number.isFinite(result.reward)) return false;
        if (result.status !== 'ok' && result.reward !== null) return false;
        if (result.status === 'error' && result.error?.code === 'INTERNAL') throw new Error(`internal error: ${result.reason}`);
      }
      return true;
    }),
  );
});
