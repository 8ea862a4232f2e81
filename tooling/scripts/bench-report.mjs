#!/usr/bin/env node
// Regenerates the root README's performance table from a `pnpm bench` run.
//
//   node tooling/scripts/bench-report.mjs            runs `pnpm bench`, then writes the table
//   node tooling/scripts/bench-report.mjs --log F    reads the JSON lines of an earlier run from F
//
// Every package's bench prints JSON lines (`{"bench": …, "ratio": …}`); this keeps them all in
// docs/bench/latest.jsonl (with a first line naming the machine) and rewrites the table between
// the `<!-- bench:start -->` and `<!-- bench:end -->` markers of README.md: one row per line, with
// its case, its headline figure, its ratio against the baseline run in the same command, and the
// goal where the bench states one. Set SACREBLEU_SRC (and SACREBLEU_PYTHON) for the translation
// ratios against sacreBLEU; without it that bench prints our rates alone and says so.
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const logIndex = args.indexOf('--log');

/** The machine, as the table's caption names it. */
function machine(loadBefore, loadAfter) {
  const cores = cpus();
  return {
    cpu: cores[0]?.model?.trim() ?? 'unknown CPU',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    loadAverage: [loadBefore, loadAfter].map((value) => Number(value.toFixed(1))),
  };
}

async function runBench() {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['bench'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`pnpm bench exited with ${code}`))));
  });
}

/** The JSON objects with a `bench` key in a log (turbo prefixes each line with its task). */
export function benchLines(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const start = line.indexOf('{"bench"');
    if (start < 0) continue;
    try {
      const value = JSON.parse(line.slice(start));
      if (typeof value.bench === 'string') out.push(value);
    } catch {
      // a line cut by the terminal, or not JSON after all: not a bench result
    }
  }
  return out;
}

const labelKeys = ['path', 'metric', 'workload', 'model', 'reward', 'case', 'callers', 'concurrency', 'batch', 'size', 'interpreter'];
const figurePattern = /(PerSecond|perSecond|PerCpuSecond|per_s|per_cpu_s|Ms|_ms|Microseconds|microseconds)$/;
// Where the first matching key is not the headline, the bench names its own: [figure, ratio].
const headlines = {
  'core.composer-overhead': ['composerMs', 'overhead'],
  'inference.batching': ['dynamicItemsPerSecond', 'ratio'],
  'inference.overhead': ['packageMs', 'overhead'],
  'video.tiou-parses-and-scores-per-second': ['parseAndIouPerSecond', 'ratio'],
  'translation.bleu': ['perSecond', 'ratioToObject'],
  'translation.chrf': ['perSecond', 'ratioToObject'],
  'translation.chrfpp': ['perSecond', 'ratioToObject'],
  'translation.ter': ['perSecond', 'ratioToObject'],
};
const format = (value) => (typeof value === 'number' ? (Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(4)))) : String(value));
const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

/** One table row per bench line. */
export function rows(lines) {
  return lines.map((line) => {
    const label = labelKeys.filter((key) => line[key] !== undefined && typeof line[key] !== 'object').map((key) => `${key} ${line[key]}`).join(', ');
    const [namedFigure, namedRatio] = headlines[line.bench] ?? [];
    const figureKey = namedFigure ?? Object.keys(line).find((key) => figurePattern.test(key) && typeof line[key] === 'number');
    const ratioKey = namedRatio ?? ['ratioToObject', 'ratio', 'overhead'].find((key) => typeof line[key] === 'number') ?? Object.keys(line).find((key) => /^ratio/i.test(key) && typeof line[key] === 'number');
    const goal = line.goal ?? line.goalPerSecond;
    const met = typeof line.meetsGoal === 'boolean' ? (line.meetsGoal ? ' (met)' : ' (not met)') : '';
    return [
      `\`${line.bench}\``,
      label,
      figureKey ? `${figureKey} ${format(line[figureKey])}` : '',
      ratioKey ? `${ratioKey} ${format(line[ratioKey])}` : '',
      typeof line.baseline === 'string' ? line.baseline : '',
      goal === undefined ? '' : `${format(goal)}${met}`,
    ].map(cell);
  });
}

export function table(lines, host) {
  const header = [
    `Measured by \`node tooling/scripts/bench-report.mjs\` (\`pnpm bench\`) on ${host.date}: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, Node ${host.node}, load average ${host.loadAverage.join(' → ')} (a shared development machine: single figures vary by ±30%; each ratio is against a baseline run in the same command). The raw lines are in \`docs/bench/latest.jsonl\`; each package README explains its bench.`,
    '',
    '| bench | case | figure | ratio | baseline | goal |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  return [...header, ...rows(lines).map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const loadBefore = loadavg()[0] ?? 0;
  const text = logIndex >= 0 ? readFileSync(args[logIndex + 1] ?? '', 'utf8') : await runBench();
  const lines = benchLines(text);
  if (lines.length === 0) throw new Error('no bench lines found');
  const host = machine(loadBefore, loadavg()[0] ?? 0);
  mkdirSync(join(root, 'docs', 'bench'), { recursive: true });
  writeFileSync(join(root, 'docs', 'bench', 'latest.jsonl'), [JSON.stringify({ machine: host }), ...lines.map((line) => JSON.stringify(line))].join('\n') + '\n');
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf('<!-- bench:start -->');
  const end = readme.indexOf('<!-- bench:end -->');
  if (start < 0 || end < start) throw new Error('README.md has no <!-- bench:start --> … <!-- bench:end --> markers');
  writeFileSync(readmePath, `${readme.slice(0, start)}<!-- bench:start -->\n${table(lines, host)}\n${readme.slice(end)}`);
  console.error(`bench-report: ${lines.length} lines into README.md and docs/bench/latest.jsonl`);
}
