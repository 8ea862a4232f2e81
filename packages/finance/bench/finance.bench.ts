// finance.numeric answers per CPU second in-process (goal >= 100,000/s), against core's match.exact
// on the same completions and references (the baseline: a plain string comparison, same process).
// Two warm-up passes, then 5 alternating rounds (BENCH_ROUNDS), medians. Prints one JSON line.
import { createScorer, matchExactPlugin, type Rollout, type Scorer } from '@mixreward/core';
import { createFinanceNumericReward } from '../src/index.js';

const signal = new AbortController().signal;
const styles: [string, string][] = [
  ['The answer is $1.2 million.', '$1.2 million'],
  ['<answer>12.5%</answer>', '0.125'],
  ['Net income: (1,234)', '-1234'],
  ['\\boxed{1.234,56 €}', '1234.56'],
  ['So the change is 125 bps', '1.25%'],
  ['Answer: 3.5万元', '35000'],
  ['<think>10, 12 or 15</think>The answer is 10%-12%', '10% to 12%'],
  ['Answer: 4.2x', '4.2x'],
  ['I cannot determine the answer.', '100'],
  ['Answer: 5% or 6%', '5%'],
];
const count = Number(process.env.BENCH_ROLLOUTS ?? 200_000);
const rollouts: Rollout[] = Array.from({ length: count }, (_, index) => {
  const [completion, reference] = styles[index % styles.length] as [string, string];
  return { completion, reference };
});

async function rate(scorer: Scorer, batch = 1024): Promise<number> {
  const started = process.cpuUsage();
  for (let start = 0; start < rollouts.length; start += batch) await scorer.score(rollouts.slice(start, start + batch), { signal });
  const used = process.cpuUsage(started);
  return rollouts.length / ((used.user + used.system) / 1e6);
}

const numeric = await createFinanceNumericReward();
const exact = await createScorer(matchExactPlugin, {});
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
// Two warm-up passes each, then alternating rounds; medians, so that load on a shared machine hits both sides.
for (let pass = 0; pass < 2; pass++) {
  await rate(numeric);
  await rate(exact);
}
const ourRates: number[] = [];
const baselineRates: number[] = [];
for (let round = 0; round < rounds; round++) {
  ourRates.push(await rate(numeric));
  baselineRates.push(await rate(exact));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ours = median(ourRates);
const baseline = median(baselineRates);
console.log(JSON.stringify({ bench: 'finance.numeric', rollouts: count, rounds, per_cpu_s: Math.round(ours), per_cpu_s_rounds: ourRates.map(Math.round), goal: '>= 100000', meetsGoal: ours >= 100_000, match_exact_per_cpu_s: Math.round(baseline), ratio: Number((ours / baseline).toFixed(3)) }));
