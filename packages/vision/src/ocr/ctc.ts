/**
 * CTC greedy decoding as PaddleOCR's `CTCLabelDecode`: the most probable class at each time step,
 * repeats merged, the blank (class 0) removed; class `i` >= 1 is `characters[i - 1]`.
 * @param probabilities `[steps, classes]` row-major (softmax output)
 * @returns the text and the mean probability of the kept steps, in [0, 1] (0 when nothing is kept)
 */
export function ctcGreedyDecode(probabilities: Float32Array, steps: number, classes: number, characters: readonly string[]): { text: string; score: number } {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let step = 0; step < steps; step++) {
    let best = 0;
    let bestValue = -Infinity;
    const offset = step * classes;
    for (let index = 0; index < classes; index++) {
      const value = probabilities[offset + index] as number;
      if (value > bestValue) {
        bestValue = value;
        best = index;
      }
    }
    if (best !== 0 && best !== previous) {
      text += characters[best - 1] ?? '';
      sum += bestValue;
      kept++;
    }
    previous = best;
  }
  return { text, score: kept === 0 ? 0 : sum / kept };
}

