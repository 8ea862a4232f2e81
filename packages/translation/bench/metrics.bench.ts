/**
 * Sentences per second for sentence-level BLEU, chrF and TER on 10,000 generated pairs, against
 * (a) sacreBLEU 2.6.0's figures measured for the issue on the reference machine (fixed numbers) and
 * (b) naive JavaScript ports of sacreBLEU's loops run in this same process. Prints one JSON line per
 * metric. Usage: pnpm bench [-- --pairs N]
 */
import { loadavg } from 'node:os';
import { sentenceBleu, sentenceChrf, sentenceTer } from '../src/index.js';
import { generatePairs, type Pair } from './generate.js';
import { naiveSentenceBleu, naiveSentenceChrf, naiveSentenceTer } from './naive.js';

const SACREBLEU_PER_SECOND = { bleu: 8800, chrf: 3000, ter: 810 } as const;
const GOAL_FACTOR = 5;

const pairsArgument = process.argv.indexOf('--pairs');
const pairCount = pairsArgument > 0 ? Number(process.argv[pairsArgument + 1]) : 10000;
const pairs = generatePairs(pairCount);

interface Throughput {
  /** Pairs per wall-clock second (best of three passes). */
  perSecond: number;
  /** Pairs per CPU second of this process (best of three): steadier on a shared, loaded machine. */
  perCpuSecond: number;
  /** Mean score, to check both implementations agree. */
  mean: number;
}

function throughput(score: (hypothesis: string, reference: string) => number, items: readonly Pair[]): Throughput {
  // one warm-up pass over a tenth, then the best of three timed passes
  let sink = 0;
  for (const pair of items.slice(0, Math.ceil(items.length / 10))) sink += score(pair.hypothesis, pair.reference);
  let bestWall = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let total = 0;
  for (let run = 0; run < 3; run++) {
    total = 0;
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (const pair of items) total += score(pair.hypothesis, pair.reference);
    const cpu = process.cpuUsage(cpuStart);
    bestWall = Math.min(bestWall, Number(process.hrtime.bigint() - start) / 1e9);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
  }
  if (!Number.isFinite(sink)) throw new Error('non-finite score');
  return { perSecond: items.length / bestWall, perCpuSecond: items.length / bestCpu, mean: total / items.length };
}

const metrics = [
  { metric: 'bleu', ours: (h: string, r: string) => sentenceBleu(h, r).score, naive: naiveSentenceBleu },
  { metric: 'chrf', ours: (h: string, r: string) => sentenceChrf(h, r).score, naive: naiveSentenceChrf },
  { metric: 'ter', ours: (h: string, r: string) => sentenceTer(h, r).score, naive: naiveSentenceTer },
] as const;

for (const { metric, ours, naive } of metrics) {
  const measured = throughput(ours, pairs);
  const baseline = throughput(naive, pairs);
  const sacrebleu = SACREBLEU_PER_SECOND[metric];
  console.log(
    JSON.stringify({
      bench: `translation.${metric}`,
      pairs: pairs.length,
      sentencesPerSecond: Math.round(measured.perSecond),
      sentencesPerCpuSecond: Math.round(measured.perCpuSecond),
      meanScore: Number(measured.mean.toFixed(4)),
      naivePerSecond: Math.round(baseline.perSecond),
      naivePerCpuSecond: Math.round(baseline.perCpuSecond),
      naiveMeanScore: Number(baseline.mean.toFixed(4)),
      ratioToNaive: Number((measured.perCpuSecond / baseline.perCpuSecond).toFixed(2)),
      sacrebleuPerSecond: sacrebleu,
      ratioToSacrebleu: Number((measured.perSecond / sacrebleu).toFixed(2)),
      ratioToSacrebleuCpu: Number((measured.perCpuSecond / sacrebleu).toFixed(2)),
      loadAverage: Number(loadavg()[0]?.toFixed(2)),
      goalRatio: GOAL_FACTOR,
    }),
  );
}
