// Per-image COCO AP (10 IoU thresholds, 101 recall points) for 100 scored predictions against 20
// ground-truth boxes, against computing the 100 x 20 IoU matrix alone as the baseline.
import { cocoAveragePrecision, pairwiseIou } from '../src/index.js';
import { randomBoxes, seeded, timeMicros } from './common.js';

const random = seeded(5);
const truths = randomBoxes(random, 20).map((box) => ({ box, label: random() < 0.5 ? 'cat' : 'dog' }));
const detections = randomBoxes(random, 100).map((box, index) => {
  const truth = truths[index % 20] as (typeof truths)[number];
  const near = index < 40 ? truth.box.map((value) => value + (random() - 0.5) * 10) : box;
  return { box: near as unknown as typeof box, label: truth.label, score: random() };
});

const apMicros = timeMicros(() => cocoAveragePrecision(detections, truths), 200);
const baselineMicros = timeMicros(() => pairwiseIou(detections.map((detection) => detection.box), truths.map((truth) => truth.box)), 200);
console.log(
  JSON.stringify({
    bench: 'coco-ap-100-predictions',
    apMicroseconds: Number(apMicros.toFixed(1)),
    baselineMicroseconds: Number(baselineMicros.toFixed(1)),
    baseline: '100 x 20 IoU matrix alone',
    ratio: Number((apMicros / baselineMicros).toFixed(2)),
    ap: Number((cocoAveragePrecision(detections, truths).ap ?? 0).toFixed(4)),
  }),
);
