/**
 * Sentence-level BLEU, chrF, chrF++ and TER: segments per second of this package and, when
 * `SACREBLEU_SRC` names a sacreBLEU 2.6.0 source tree, of sacreBLEU itself (its function API
 * `sentence_bleu(...)` and a reused metric object `BLEU(...).sentence_score(...)`) run in the same
 * command on the same sentences, with the ratios. Two workloads: `pairs` (distinct sentence pairs,
 * one reference each) and `groups` (GRPO-like: 8 rollouts per prompt scored against the prompt's
 * 1-4 references). Medians of `--repetitions` passes after one warm-up pass, on both sides;
 * sacreBLEU (a child python3 process) and ours alternate run by run. Rates per wall-clock second
 * and per CPU second of the measuring process (steadier on a loaded machine; ours counts V8's
 * GC and compiler threads too).
 * Prints one JSON line per workload and metric.
 *
 * Usage: SACREBLEU_SRC=/path/to/sacrebleu-2.6.0 [SACREBLEU_PYTHON=python3] pnpm bench [-- --pairs N --groups N --repetitions R --metrics bleu,chrf,chrfpp,ter]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sentenceBleu, sentenceChrf, sentenceTer } from '../src/index.js';
import { generateGroups, generatePairs } from './generate.js';

const GOAL_RATIO = 5;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

type Segment = [hypothesis: string, references: string[]];

const workloads: Record<string, Segment[]> = {
  pairs: generatePairs(argument('pairs', 2000)).map((pair): Segment => [pair.hypothesis, [pair.reference]]),
  groups: generateGroups(argument('groups', 250), 8).flatMap((group) => group.hypotheses.map((hypothesis): Segment => [hypothesis, group.references])),
};
const repetitions = argument('repetitions', 5);
// sacreBLEU's TER takes 3-60 ms a segment here: it is measured on the first segments only
const TER_SEGMENTS: Record<string, number> = { pairs: 200, groups: 40 };

const metrics = {
  bleu: (hypothesis: string, references: string[]) => sentenceBleu(hypothesis, references).score,
  chrf: (hypothesis: string, references: string[]) => sentenceChrf(hypothesis, references).score,
  chrfpp: (hypothesis: string, references: string[]) => sentenceChrf(hypothesis, references, { word_order: 2 }).score,
  ter: (hypothesis: string, references: string[]) => sentenceTer(hypothesis, references).score,
} as const;
type MetricName = keyof typeof metrics;

interface Rate {
  /** Median segments per wall-clock second. */
  perSecond: number;
  /** Median segments per CPU second of the measuring process (steadier on a loaded machine). */
  perCpuSecond: number;
  /** Mean score of the last pass (0-100), to check both sides scored the same sentences. */
  meanScore: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function measure(score: (hypothesis: string, references: string[]) => number, segments: readonly Segment[]): Rate {
  for (const [hypothesis, references] of segments) score(hypothesis, references);
  const walls: number[] = [];
  const cpuTimes: number[] = [];
  let total = 0;
  for (let pass = 0; pass < repetitions; pass++) {
    total = 0;
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (const [hypothesis, references] of segments) total += score(hypothesis, references);
    const cpu = process.cpuUsage(cpuStart);
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    cpuTimes.push((cpu.user + cpu.system) / 1e6);
  }
  return { perSecond: segments.length / median(walls), perCpuSecond: segments.length / median(cpuTimes), meanScore: total / segments.length };
}

interface Run {
  workload: string;
  metric: MetricName;
  segments: Segment[];
}

// --metrics bleu,chrf: only these
const metricsArgument = process.argv.indexOf('--metrics');
const selectedMetrics = (metricsArgument > 0 ? (process.argv[metricsArgument + 1] ?? '').split(',') : Object.keys(metrics)).filter((name): name is MetricName => name in metrics);

const runs: Run[] = Object.entries(workloads).flatMap(([workload, segments]) =>
  selectedMetrics.map((metric) => ({ workload, metric, segments: metric === 'ter' ? segments.slice(0, TER_SEGMENTS[workload]) : segments })),
);

type SacrebleuRates = Array<{ function: Rate; object: Rate }>;

function runSacrebleu(source: string, selected: readonly Run[]): { version: string; runs: SacrebleuRates } {
  const folder = mkdtempSync(join(tmpdir(), 'mixreward-sacrebleu-'));
  try {
    const input = join(folder, 'input.json');
    writeFileSync(input, JSON.stringify({ runs: selected, repetitions }));
    const script = fileURLToPath(new URL('./sacrebleu-baseline.py', import.meta.url));
    const python = process.env.SACREBLEU_PYTHON ?? 'python3';
    const run = spawnSync(python, [script, input], {
      env: { ...process.env, PYTHONPATH: source },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (run.status !== 0) throw new Error(`sacreBLEU baseline failed (${python} ${script}): ${run.stderr || run.error?.message}`);
    return JSON.parse(run.stdout) as { version: string; runs: SacrebleuRates };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));
const source = process.env.SACREBLEU_SRC;
if (!source) {
  console.log(JSON.stringify({ note: 'SACREBLEU_SRC is not set: our rates alone, no ratio (set it to a sacreBLEU 2.6.0 source tree to compare)' }));
}
const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}`;

for (const run of runs) {
  const { workload, metric, segments } = run;
  // sacreBLEU, then ours, alternating run by run in this one command on the same sentences
  const baseline = source ? runSacrebleu(source, [run]) : undefined;
  const reference = baseline?.runs[0];
  const ours = measure(metrics[metric], segments);
  console.log(
    JSON.stringify({
      bench: `translation.${metric}`,
      workload,
      segments: segments.length,
      references: workload === 'pairs' ? 1 : '1-4',
      perSecond: round(ours.perSecond),
      perCpuSecond: round(ours.perCpuSecond),
      meanScore: round(ours.meanScore, 6),
      ...(reference
        ? {
            sacrebleu: baseline?.version,
            sacrebleuObjectPerSecond: round(reference.object.perSecond),
            sacrebleuFunctionPerSecond: round(reference.function.perSecond),
            sacrebleuMeanScore: round(reference.object.meanScore, 6),
            ratioToObject: round(ours.perSecond / reference.object.perSecond, 2),
            ratioToObjectCpu: round(ours.perCpuSecond / reference.object.perCpuSecond, 2),
            ratioToFunction: round(ours.perSecond / reference.function.perSecond, 2),
            goalRatioToObject: GOAL_RATIO,
          }
        : { ratio: null }),
      loadAverage: round(loadavg()[0] ?? 0, 2),
      machine,
    }),
  );
}
