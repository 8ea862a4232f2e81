/**
 * Splitting a reasoning into steps for process rewards.
 * @module
 */

/** How a reasoning is cut into steps. */
export type StepSplit = 'auto' | 'blank-lines' | 'step-markers' | 'separator' | 'lines';

const STEP_MARKER = /^[ \t]*(?:#{1,6}\s*)?(?:\*\*)?Step\s+\d+\s*[:.)]/gim;

/**
 * Cut a reasoning into trimmed, non-empty steps.
 * - `blank-lines`: paragraphs separated by one or more empty lines.
 * - `step-markers`: a new step at each line that starts with "Step k:" (text before the first marker is its own step).
 * - `separator`: at each occurrence of `separator` (e.g. a PRM's `ки` or `<step>`).
 * - `lines`: every non-empty line.
 * - `auto` (default): step markers when there are at least two, else blank lines, else lines.
 * @param text the reasoning
 * @param options `split` (default auto), `separator` (default `<step>`), `maxSteps` (>= 1, default 64; the rest are merged into the last step)
 */
export function splitSteps(text: string, options: { split?: StepSplit; separator?: string; maxSteps?: number } = {}): string[] {
  const split = options.split ?? 'auto';
  const maxSteps = Math.max(1, Math.floor(options.maxSteps ?? 64));
  let steps: string[];
  if (split === 'separator') {
    const separator = options.separator ?? '<step>';
    steps = separator.length === 0 ? [text] : text.split(separator);
  } else if (split === 'lines') {
    steps = text.split(/\r?\n/);
  } else if (split === 'blank-lines') {
    steps = text.split(/\r?\n[ \t]*\r?\n/);
  } else if (split === 'step-markers') {
    steps = byMarkers(text);
  } else {
    const markers = text.match(STEP_MARKER)?.length ?? 0;
    if (markers >= 2) steps = byMarkers(text);
    else {
      steps = text.split(/\r?\n[ \t]*\r?\n/);
      if (steps.filter((step) => step.trim().length > 0).length < 2) steps = text.split(/\r?\n/);
    }
  }
  const cleaned = steps.map((step) => step.trim()).filter((step) => step.length > 0);
  if (cleaned.length <= maxSteps) return cleaned;
  return [...cleaned.slice(0, maxSteps - 1), cleaned.slice(maxSteps - 1).join('\n')];
}

function byMarkers(text: string): string[] {
  const starts: number[] = [];
  STEP_MARKER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = STEP_MARKER.exec(text)) !== null) starts.push(match.index);
  if (starts.length === 0) return [text];
  const steps: string[] = [];
  if ((starts[0] as number) > 0) steps.push(text.slice(0, starts[0]));
  starts.forEach((start, index) => steps.push(text.slice(start, starts[index + 1] ?? text.length)));
  return steps;
}

/** How step scores become one reward. */
export type StepAggregate = 'min' | 'mean' | 'last' | 'product';

/**
 * Aggregate step scores: `min` (the weakest step), `mean`, `last` (the final step), or `product`
 * (every step right, read as independent probabilities).
 * @param scores step scores, each in [0, 1] for a probability head
 * @returns the aggregate, in the range of the scores (product: [0, 1] for probabilities); NaN for no steps
 */
export function aggregateSteps(scores: readonly number[], aggregate: StepAggregate): number {
  if (scores.length === 0) return Number.NaN;
  switch (aggregate) {
    case 'min':
      return Math.min(...scores);
    case 'mean':
      return scores.reduce((sum, score) => sum + score, 0) / scores.length;
    case 'last':
      return scores[scores.length - 1] as number;
    case 'product':
      return scores.reduce((product, score) => product * score, 1);
  }
}
