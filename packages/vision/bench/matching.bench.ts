// Hungarian matching of 100 predicted against 100 reference boxes, against Visual-RFT's greedy
// matching (by confidence, best free IoU) as the baseline, both measured in this process.
import { iou, matchBoxes, type Box } from '../src/index.js';
import { randomBoxes, seeded, timeMicros } from './common.js';

const random = seeded(99);
const references = randomBoxes(random, 100).map((box) => ({ box }));
const predictions = references.map(({ box }) => ({ box: box.map((value) => value + (random() - 0.5) * 20) as unknown as Box }));

function greedy(): number {
  const used = new Set<number>();
  let total = 0;
  for (const prediction of predictions) {
    let best = 0;
    let bestIndex = -1;
    references.forEach((reference, index) => {
      if (used.has(index)) return;
      const value = iou(prediction.box, reference.box);
      if (value > best) {
        best = value;
        bestIndex = index;
      }
    });
    if (bestIndex >= 0) used.add(bestIndex);
    total += best;
  }
  return total / 100;
}

const hungarianMicros = timeMicros(() => matchBoxes(predictions, references), 200);
const greedyMicros = timeMicros(greedy, 200);
console.log(
  JSON.stringify({
    bench: 'matching-100x100',
    hungarianMicroseconds: Number(hungarianMicros.toFixed(1)),
    baselineMicroseconds: Number(greedyMicros.toFixed(1)),
    baseline: 'greedy matching (Visual-RFT)',
    ratio: Number((hungarianMicros / greedyMicros).toFixed(2)),
    meanIouHungarian: Number(matchBoxes(predictions, references).meanIou.toFixed(4)),
    meanIouGreedy: Number(greedy().toFixed(4)),
  }),
);
