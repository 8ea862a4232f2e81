// medical.choice rollouts per second in-process (goal >= 100,000/s), against core's match.choice on
// the same letter-only completions (the baseline, same process); and medical.semantic with the tiny
// test embedding model at batch sizes 1 and 64 (ratio batch 64 / batch 1). Prints JSON lines.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScorer, matchChoicePlugin, type Rollout, type Scorer } from '@mixreward/core';
import { buildEmbeddingModel } from '@mixreward/model-builder';
import { createMedicalChoiceReward, createMedicalSemanticReward } from '../src/index.js';

const signal = new AbortController().signal;
const options = { A: 'Insulin glargine', B: 'Metformin', C: 'Glipizide', D: 'Sitagliptin', E: 'Pioglitazone' };
const styles = ['B', 'Answer: C', 'The answer is (B) Metformin.', '<think>weighing</think><answer>D</answer>', 'Metformin', 'B. Insulin glargine', '**Final Answer:** E', 'A or B'];
const count = Number(process.env.BENCH_ROLLOUTS ?? 200_000);
const rollouts: Rollout[] = Array.from({ length: count }, (_, index) => ({ completion: styles[index % styles.length] as string, reference: { answer: 'BCDE'[index % 4] as string, options } }));
const letterOnly: Rollout[] = rollouts.map((rollout, index) => ({ completion: styles[index % 2] as string, reference: 'B' }));

async function rate(scorer: Scorer, items: Rollout[], batch: number): Promise<number> {
  const started = process.cpuUsage();
  for (let start = 0; start < items.length; start += batch) await scorer.score(items.slice(start, start + batch), { signal });
  const used = process.cpuUsage(started);
  return items.length / ((used.user + used.system) / 1e6);
}

const choice = await createMedicalChoiceReward();
const baseline = await createScorer(matchChoicePlugin, {});
// Two warm-up passes each, then alternating rounds (BENCH_ROUNDS, default 5); medians, so that load
// on a shared machine hits every side alike.
for (let pass = 0; pass < 2; pass++) {
  await rate(choice, rollouts, 1024);
  await rate(choice, letterOnly, 1024);
  await rate(baseline, letterOnly, 1024);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const oursRounds: number[] = [];
const lettersRounds: number[] = [];
const theirsRounds: number[] = [];
for (let round = 0; round < rounds; round++) {
  oursRounds.push(await rate(choice, rollouts, 1024));
  lettersRounds.push(await rate(choice, letterOnly, 1024));
  theirsRounds.push(await rate(baseline, letterOnly, 1024));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ours = median(oursRounds);
const oursLetters = median(lettersRounds);
const theirs = median(theirsRounds);
console.log(JSON.stringify({ bench: 'medical.choice', rollouts: count, rounds, per_cpu_s: Math.round(ours), per_cpu_s_rounds: oursRounds.map(Math.round), goal: '>= 100000', meetsGoal: ours >= 100_000, letters_only_per_cpu_s: Math.round(oursLetters), match_choice_per_cpu_s: Math.round(theirs), ratio: Number((oursLetters / theirs).toFixed(3)) }));

const dir = mkdtempSync(join(tmpdir(), 'mixreward-medical-bench-'));
await buildEmbeddingModel({ dir, seed: 3 });
const semanticRollouts: Rollout[] = Array.from({ length: 1024 }, (_, index) => ({ completion: `the answer is ${index} apples and ${index % 7} bananas`, reference: 'the answer is 3 apples', meta: { group: `g${index >> 3}` } }));
const rates: Record<string, number> = {};
for (const batch of [1, 64]) {
  const scorer = await createMedicalSemanticReward({ model: dir, device: 'cpu', max_batch_size: batch });
  await scorer.score(semanticRollouts.slice(0, 64).map((rollout) => ({ ...rollout, completion: `warm ${rollout.completion}` })), { signal });
  const started = performance.now();
  for (let start = 0; start < semanticRollouts.length; start += batch) await scorer.score(semanticRollouts.slice(start, start + batch), { signal });
  rates[batch] = semanticRollouts.length / ((performance.now() - started) / 1000);
  await scorer.dispose?.();
}
console.log(JSON.stringify({ bench: 'medical.semantic', rollouts: semanticRollouts.length, batch_1_per_s: Math.round(rates[1] as number), batch_64_per_s: Math.round(rates[64] as number), ratio: Number(((rates[64] as number) / (rates[1] as number)).toFixed(3)) }));
