/**
 * Sentence-level BLEU, chrF, chrF++ and TER: segments per second of this package and, when
 * `SACREBLEU_SRC` names a sacreBLEU 2.6.0 source tree, of sacreBLEU itself (its function API
 * `sentence_bleu(...)` and a reused metric object `BLEU(...).sentence_score(...)`) in the same
 * command on the same sentences, with the ratios. Three workloads: `pairs` (distinct sentence pairs,
 * one reference each), `groups` (GRPO-like: 8 rollouts per prompt scored against the prompt's
 * 1-4 references) and `fresh` (as `groups`, with new prompts and rollouts in every pass, so no
 * line is ever seen twice across passes: a training run's steps, where caches only help within a
 * prompt's group); `pairs` and `groups` score the same sentences in every pass. Each side first scores every segment `--warmup` times (default 3, each API:
 * sacreBLEU's tokenizer caches fill in the first pass, V8 compiles ours, the bench's loop
 * included, over the first few), then `--repetitions` rounds follow, each one pass of sacreBLEU's object API, one of its
 * function API and one of ours, alternating (sacreBLEU first in even rounds, ours first in odd
 * ones) in a sacreBLEU process kept open beside this one. Every round gives a ratio; the line
 * prints every round's ratio and their median, by wall clock and by CPU time of each process
 * (steadier on a loaded machine; ours counts V8's GC and compiler threads too).
 * Prints one JSON line per workload and metric.
 *
 * Usage: SACREBLEU_SRC=/path/to/sacrebleu-2.6.0 [SACREBLEU_PYTHON=python3] pnpm bench [-- --pairs N --groups N --warmup W --repetitions R --metrics bleu,chrf,chrfpp,ter]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sentenceBleu, sentenceChrf, sentenceTer } from '../src/index.js';
import { generateGroups, generatePairs } from './generate.js';

const GOAL_RATIO = 5;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

type Segment = [hypothesis: string, references: string[]];

const repetitions = argument('repetitions', 5);
const warmups = argument('warmup', 3);
const groupSegments = (seed: number): Segment[] =>
  generateGroups(argument('groups', 250), 8, seed).flatMap((group) => group.hypotheses.map((hypothesis): Segment => [hypothesis, group.references]));
/** Per workload, the segments of every pass (warm-up passes first); the same array when a workload repeats its sentences. */
const workloads: Record<string, Segment[][]> = {
  pairs: new Array<Segment[]>(warmups + repetitions).fill(generatePairs(argument('pairs', 2000)).map((pair): Segment => [pair.hypothesis, [pair.reference]])),
  groups: new Array<Segment[]>(warmups + repetitions).fill(groupSegments(20251123)),
  fresh: Array.from({ length: warmups + repetitions }, (_, pass) => groupSegments(20260000 + pass)),
};
// sacreBLEU's TER takes 3-60 ms a segment here: it is measured on the first segments only
const TER_SEGMENTS: Record<string, number> = { pairs: 200, groups: 40, fresh: 40 };

const metrics = {
  bleu: (hypothesis: string, references: string[]) => sentenceBleu(hypothesis, references).score,
  chrf: (hypothesis: string, references: string[]) => sentenceChrf(hypothesis, references).score,
  chrfpp: (hypothesis: string, references: string[]) => sentenceChrf(hypothesis, references, { word_order: 2 }).score,
  ter: (hypothesis: string, references: string[]) => sentenceTer(hypothesis, references).score,
} as const;
type MetricName = keyof typeof metrics;

/** One pass over a run's segments. */
interface Pass {
  /** Wall-clock seconds. */
  wall: number;
  /** CPU seconds of the measuring process. */
  cpu: number;
  /** Mean score of the pass (0-100), to check both sides scored the same sentences. */
  meanScore: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function onePass(score: (hypothesis: string, references: string[]) => number, segments: readonly Segment[]): Pass {
  let total = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (const [hypothesis, references] of segments) total += score(hypothesis, references);
  const cpu = process.cpuUsage(cpuStart);
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6, meanScore: total / segments.length };
}

interface Run {
  workload: string;
  metric: MetricName;
  /** The segments of each pass. */
  passes: Segment[][];
}

// --metrics bleu,chrf: only these
const metricsArgument = process.argv.indexOf('--metrics');
const selectedMetrics = (metricsArgument > 0 ? (process.argv[metricsArgument + 1] ?? '').split(',') : Object.keys(metrics)).filter((name): name is MetricName => name in metrics);

const runs: Run[] = Object.entries(workloads).flatMap(([workload, passes]) =>
  selectedMetrics.map((metric) => ({ workload, metric, passes: metric === 'ter' ? passes.map((segments) => segments.slice(0, TER_SEGMENTS[workload])) : passes })),
);

type Api = 'function' | 'object';

/** A sacreBLEU process that scores one run's segments once per request. */
interface Sacrebleu {
  version: string;
  /** One pass of run `run` over the segments of pass `pass` of it. */
  pass(run: number, api: Api, pass: number): Promise<Pass>;
  close(): void;
}

async function startSacrebleu(source: string, selected: readonly Run[]): Promise<Sacrebleu> {
  const folder = mkdtempSync(join(tmpdir(), 'mixreward-sacrebleu-'));
  const input = join(folder, 'input.json');
  // a workload that repeats its sentences sends them once
  writeFileSync(
    input,
    JSON.stringify({
      runs: selected.map(({ workload, metric, passes }) => ({ workload, metric, passes: passes.every((segments) => segments === passes[0]) ? [passes[0]] : passes })),
    }),
  );
  const script = fileURLToPath(new URL('./sacrebleu-baseline.py', import.meta.url));
  const python = process.env.SACREBLEU_PYTHON ?? 'python3';
  const child = spawn(python, [script, input], { env: { ...process.env, PYTHONPATH: source }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error(`sacreBLEU baseline failed (${python} ${script}): ${stderr}`);
    return line.value as string;
  };
  const closed = (): void => {
    child.stdin.end();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    const { version } = JSON.parse(await next()) as { version: string };
    return {
      version,
      async pass(run, api, pass) {
        child.stdin.write(`${JSON.stringify({ run, api, pass })}\n`);
        return JSON.parse(await next()) as Pass;
      },
      close: closed,
    };
  } catch (error) {
    closed();
    throw error;
  }
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));
const source = process.env.SACREBLEU_SRC;
if (!source) {
  console.log(JSON.stringify({ note: 'SACREBLEU_SRC is not set: our rates alone, no ratio (set it to a sacreBLEU 2.6.0 source tree to compare)' }));
}
const machine = `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}`;
const sacrebleu = source ? await startSacrebleu(source, runs) : undefined;

try {
  for (const [runIndex, run] of runs.entries()) {
    const { workload, metric, passes } = run;
    const score = metrics[metric];
    // warm-up, the same number of passes on each side (caches; V8's compiler on ours)
    for (let pass = 0; pass < warmups; pass++) {
      if (sacrebleu) {
        await sacrebleu.pass(runIndex, 'object', pass);
        await sacrebleu.pass(runIndex, 'function', pass);
      }
      onePass(score, passes[pass] as Segment[]);
    }
    const ours: Pass[] = [];
    const objects: Pass[] = [];
    const functions: Pass[] = [];
    for (let turn = 0; turn < repetitions; turn++) {
      // sacreBLEU and ours alternate pass by pass, each going first in every other round
      const segments = passes[warmups + turn] as Segment[];
      if (turn % 2 === 1) ours.push(onePass(score, segments));
      if (sacrebleu) {
        objects.push(await sacrebleu.pass(runIndex, 'object', warmups + turn));
        functions.push(await sacrebleu.pass(runIndex, 'function', warmups + turn));
      }
      if (turn % 2 === 0) ours.push(onePass(score, segments));
    }
    const segments = passes[0] as Segment[];
    const rate = (passes: Pass[], field: 'wall' | 'cpu') => median(passes.map((pass) => segments.length / pass[field]));
    const ratios = (field: 'wall' | 'cpu') => ours.map((pass, turn) => (objects[turn] as Pass)[field] / pass[field]);
    console.log(
      JSON.stringify({
        bench: `translation.${metric}`,
        workload,
        segments: segments.length,
        references: workload === 'pairs' ? 1 : '1-4',
        newSentencesEveryPass: passes.some((other) => other !== passes[0]),
        warmupPasses: warmups,
        rounds: repetitions,
        perSecond: round(rate(ours, 'wall')),
        perCpuSecond: round(rate(ours, 'cpu')),
        meanScore: round((ours.at(-1) as Pass).meanScore, 6),
        ...(sacrebleu
          ? {
              sacrebleu: sacrebleu.version,
              sacrebleuObjectPerSecond: round(rate(objects, 'wall')),
              sacrebleuObjectPerCpuSecond: round(rate(objects, 'cpu')),
              sacrebleuFunctionPerSecond: round(rate(functions, 'wall')),
              sacrebleuMeanScore: round((objects.at(-1) as Pass).meanScore, 6),
              ratioToObject: round(median(ratios('wall')), 2),
              ratioToObjectCpu: round(median(ratios('cpu')), 2),
              ratioToFunction: round(median(ours.map((pass, turn) => (functions[turn] as Pass).wall / pass.wall)), 2),
              ratioToObjectRounds: ratios('wall').map((ratio) => round(ratio, 2)),
              ratioToObjectCpuRounds: ratios('cpu').map((ratio) => round(ratio, 2)),
              goalRatioToObject: GOAL_RATIO,
            }
          : { ratio: null }),
        loadAverage: round(loadavg()[0] ?? 0, 2),
        machine,
      }),
    );
  }
} finally {
  sacrebleu?.close();
}
