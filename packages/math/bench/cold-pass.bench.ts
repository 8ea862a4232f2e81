/**
 * How fast a fresh worker warms up (issue 15): each round starts a fresh Node process that loads the
 * built verifier (`dist/verify.js`, as workers load it) and runs `verifyWithoutCas` once over the
 * 22,900 pairs `app.cli-math` builds from the corpus and pair fixtures, cold, then over them again,
 * warm. Prints one JSON line: process CPU per cycle of the fixtures' pairs and for the whole cold
 * pass (medians of the rounds), and `ratio` = warm CPU / cold CPU for the same pairs (1 = no warm-up
 * cost). Needs `pnpm --filter @mixreward/math build` first.
 * Run: node --conditions=@mixreward/source --import tsx bench/cold-pass.bench.ts   (BENCH_ROUNDS=n, default 3)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/verify.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../src/__fixtures__/', import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
if (!existsSync(dist)) {
  console.log(JSON.stringify({ bench: 'math.cold-pass', skipped: 'build math first (dist/verify.js is missing)' }));
  process.exit(0);
}

// The child: plain ESM, so that nothing but the verifier is compiled in it.
const child = `
import { readFileSync } from 'node:fs';
const { verifyWithoutCas } = await import(${JSON.stringify(dist)});
const corpus = JSON.parse(readFileSync(${JSON.stringify(fixtures)} + 'verify-corpus.json', 'utf8'));
const pairFile = JSON.parse(readFileSync(${JSON.stringify(fixtures)} + 'verify-pairs.json', 'utf8'));
const base = [
  ...corpus.map((entry) => ({ completion: entry.completion, reference: entry.reference })),
  ...pairFile.pairs.flatMap((pair) => pairFile.templates.map((template) => ({ completion: template.replace('%s', pair.answer), reference: pair.reference }))),
];
const count = 22900;
const cpuMs = (since) => { const used = process.cpuUsage(since); return (used.user + used.system) / 1000; };
const cycles = [];
let start = process.cpuUsage();
let cycleStart = start;
for (let index = 0; index < count; index++) {
  verifyWithoutCas(base[index % base.length]);
  if ((index + 1) % base.length === 0) { cycles.push(cpuMs(cycleStart)); cycleStart = process.cpuUsage(); }
}
const cold = cpuMs(start);
start = process.cpuUsage();
for (let index = 0; index < count; index++) verifyWithoutCas(base[index % base.length]);
console.log(JSON.stringify({ cycle: base.length, cycles, cold, warm: cpuMs(start) }));
`;

const runs: { cycle: number; cycles: number[]; cold: number; warm: number }[] = [];
for (let round = 0; round < rounds; round++) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the child failed: ${result.stderr}`);
  runs.push(JSON.parse(result.stdout.trim().split('\n').pop() as string) as (typeof runs)[number]);
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const first = runs[0] as (typeof runs)[number];
const coldMs = median(runs.map((run) => run.cold));
const warmMs = median(runs.map((run) => run.warm));
console.log(
  JSON.stringify({
    bench: 'math.cold-pass',
    pairs: 22_900,
    cyclePairs: first.cycle,
    rounds,
    cycleCpuMs: first.cycles.map((_, index) => Math.round(median(runs.map((run) => run.cycles[index] as number)))),
    coldCpuMs: Math.round(coldMs),
    warmCpuMs: Math.round(warmMs),
    ratio: Number((warmMs / coldMs).toFixed(3)),
    note: 'process CPU (all threads, TurboFan included), medians of fresh processes; ratio = warm / cold CPU',
  }),
);
