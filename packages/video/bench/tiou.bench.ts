// video.tiou throughput: completions parsed and scored per second, through the scorer (batches of
// 1000), against a baseline in the same process: Time-R1's own approach (one regex for "S to E" in
// the last answer block, then tIoU), which reads one format only. Prints one JSON line.
import type { Rollout } from '@mixreward/core';
import { createVideoTiouReward, parseSpans, temporalIou } from '../src/index.js';

const templates = [
  (s: number, e: number) => `<think>The man picks up the cup, then drinks.</think><answer>${s} to ${e}</answer>`,
  (s: number, e: number) => `<think>Looking at the clip…</think><answer>The event happens from ${s} to ${e} seconds.</answer>`,
  (s: number, e: number) => `<answer>[${s}, ${e}]</answer>`,
  (s: number, e: number) => `The action starts at ${s} s and ends at ${e} s.`,
  (s: number, e: number) => `<answer>{"start": ${s}, "end": ${e}}</answer>`,
  (s: number, e: number) => `<answer>00:00:${String(Math.floor(s)).padStart(2, '0')} - 00:00:${String(Math.floor(e)).padStart(2, '0')}</answer>`,
  (s: number, e: number) => `<answer>${s}s-${e}s and ${e + 2}s-${e + 4}s</answer>`,
  () => '<answer>I cannot find this moment in the video.</answer>',
];

let state = 7;
const random = (): number => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
const rollouts: Rollout[] = Array.from({ length: 1000 }, (_, index) => {
  const start = Math.round(random() * 400) / 10;
  const end = Math.round((start + 1 + random() * 15) * 10) / 10;
  const template = templates[index % templates.length] as (s: number, e: number) => string;
  return { completion: template(start, end), reference: { spans: [[start + 0.5, end - 0.3]], duration: 60 } };
});

const timeRegex = /(\d+\.?\d*)\s*(?:to|and)\s*(\d+\.?\d*)/;
function baseline(rollout: Rollout): number {
  const completion = rollout.completion;
  const close = completion.lastIndexOf('</answer>');
  const open = completion.lastIndexOf('<answer>', close);
  const answer = open >= 0 && close > open ? completion.slice(open + 8, close) : completion;
  const match = timeRegex.exec(answer);
  if (match === null) return 0;
  const reference = (rollout.reference as { spans: Array<[number, number]> }).spans[0] as [number, number];
  const start = Number(match[1]);
  const end = Number(match[2]);
  const intersection = Math.max(0, Math.min(end, reference[1]) - Math.max(start, reference[0]));
  const union = Math.max(end, reference[1]) - Math.min(start, reference[0]);
  return union > 0 ? intersection / union : 0;
}

const signal = new AbortController().signal;
const scorer = await createVideoTiouReward();

async function perSecond(run: () => unknown | Promise<unknown>, rounds: number): Promise<number> {
  await run();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    await run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return rollouts.length / best;
}

const scored = await perSecond(() => scorer.score(rollouts, { signal }), 15);
const parsedOnly = await perSecond(() => {
  for (const rollout of rollouts) temporalIou(parseSpans(rollout.completion).spans.map((span) => [span.start, span.end]), [[1, 2]]);
}, 15);
const regex = await perSecond(() => {
  for (const rollout of rollouts) baseline(rollout);
}, 15);
const check = await scorer.score(rollouts.slice(0, 8), { signal });
console.log(
  JSON.stringify({
    bench: 'video.tiou-parses-and-scores-per-second',
    scorerPerSecond: Math.round(scored),
    parseAndIouPerSecond: Math.round(parsedOnly),
    baselinePerSecond: Math.round(regex),
    baseline: 'Time-R1-style single regex "S to E" + tIoU (one format only)',
    ratio: Math.round((scored / regex) * 1000) / 1000,
    goalPerSecond: 200_000,
    meetsGoal: scored >= 200_000,
    sampleRewards: check.map((result) => (result.reward === null ? null : Math.round(result.reward * 1000) / 1000)),
  }),
);
