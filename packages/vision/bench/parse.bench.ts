// Parsing cost of reading stated conventions: parseShapes with `statedConventions` on against the
// same parse with it off (the baseline), both measured in this process, on three completions: a
// heading over 50 labelled boxes, 200 keyed JSON objects, and a 200 kB line with one stated box.
import { parseShapes } from '../src/box-parse.js';
import { randomBoxes, seeded, timeMicros } from './common.js';

const random = seeded(14);
const list = `Normalized coordinates:\n${randomBoxes(random, 50)
  .map((box, index) => `- object ${index}: [${box.map((value) => (value / 1000).toFixed(3)).join(', ')}]`)
  .join('\n')}`;
const keyed = JSON.stringify(randomBoxes(random, 200).map((box, index) => ({ label: `o${index}`, x: box[0], y: box[1], width: box[2] - box[0], height: box[3] - box[1] })));
const long = `${'word '.repeat(40_000)}Normalised box: [0.21, 0.30, 0.55, 0.72]`;

for (const [name, completion, calls] of [
  ['heading over 50 boxes', list, 400],
  ['200 keyed objects', keyed, 100],
  ['200 kB line, one box', long, 50],
] as const) {
  const withWords = timeMicros(() => parseShapes(completion), calls);
  const without = timeMicros(() => parseShapes(completion, { statedConventions: false }), calls);
  const shapes = parseShapes(completion).shapes;
  console.log(
    JSON.stringify({
      bench: 'parse-stated-conventions',
      completion: name,
      shapes: shapes.length,
      stated: shapes.filter((shape) => shape.stated !== undefined).length,
      microseconds: Math.round(withWords * 10) / 10,
      baselineMicroseconds: Math.round(without * 10) / 10,
      baseline: 'parseShapes with statedConventions: false',
      ratio: Math.round((withWords / without) * 100) / 100,
    }),
  );
}
