// Where math.verify throughput goes between in-process and the CLI (issue 15). One command, one
// machine, one input: ~22,900 rollouts built from math's own corpus and pair fixtures. Prints JSON
// lines, each with its ratio to the in-process baseline:
//   inline     the reward in this thread, no worker (the in-process baseline), from the same build
//              as the CLI: math's dist/ when the CLI runs from dist (sources through tsx run about
//              a quarter slower: tsx keeps function names with a helper call per closure), else
//              the sources. Steady state: warmed over every pair first (math keeps no result
//              cache, so the measured pass does the same work the CLI does, JIT warm)
//   workers    the reward as configs run it (worker threads, hard per-rollout time limit), through
//              the composer, in this process: what the CLI does minus start-up and JSONL
//   cli        `mixreward score --reward math.verify` as a child process, wall clock end to end
//   startup    the same command over a one-line input (process start, module load, worker boot)
//   pool-single  math's verifier in a worker pool, one message per rollout (what math.verify does)
//   pool-batched the same pool, one message per batch of 32 split over the workers (runInBatches),
//                with the same hard per-rollout limit
//   handoff    one worker-pool round trip with a math.verify-sized input and no work (what each
//              rollout pays for its hard time limit), as a share of one inline pair's time
// The CLI runs from dist/cli.js when the app is built (as `pnpm -s mixreward` runs it), else from
// the sources through tsx (BENCH_SOURCES=1 forces that); the `cli` line says which.
// Run: node --conditions=@mixreward/source --import tsx bench/cli-math.bench.ts   (BENCH_ROLLOUTS=n to resize,
// BENCH_ROUNDS=n rounds of inline and CLI for the cli line, default 3; BENCH_CLI_ONLY=1 for inline and cli alone;
// BENCH_WITH='{"workers":1}' passes options to the CLI's math.verify)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createComposer, createScorer, createWorkerPool, runInBatches, validateConfig, type RewardPlugin, type Rollout } from '@mixreward/core';
import { defaultRegistry } from '../src/registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', '..', '..', 'packages', 'math', 'src', '__fixtures__');
const count = Number(process.env.BENCH_ROLLOUTS ?? 22_900);

const corpus = JSON.parse(readFileSync(join(fixtures, 'verify-corpus.json'), 'utf8')) as { reference: string; completion: string }[];
const pairFile = JSON.parse(readFileSync(join(fixtures, 'verify-pairs.json'), 'utf8')) as { templates: string[]; pairs: { reference: string; answer: string }[] };
const base: Rollout[] = [
  ...corpus.map((entry) => ({ completion: entry.completion, reference: entry.reference })),
  ...pairFile.pairs.flatMap((pair) => pairFile.templates.map((template) => ({ completion: template.replace('%s', pair.answer), reference: pair.reference }))),
];
const rollouts: Rollout[] = Array.from({ length: count }, (_, index) => ({ id: index, ...(base[index % base.length] as Rollout) }));
const dir = mkdtempSync(join(tmpdir(), 'mixreward-bench-'));
const input = join(dir, 'rollouts.jsonl');
writeFileSync(input, rollouts.map((rollout) => JSON.stringify(rollout)).join('\n') + '\n');
const oneLine = join(dir, 'one.jsonl');
writeFileSync(oneLine, `${JSON.stringify(rollouts[0])}\n`);

const registry = defaultRegistry();
const signal = new AbortController().signal;
const lines: Record<string, unknown>[] = [];
const emit = (line: Record<string, unknown>) => {
  lines.push(line);
  console.log(JSON.stringify(line));
};

// The CLI runs from dist/cli.js when the app is built, as users run it.
const distCli = join(here, '..', 'dist', 'cli.js');
const fromDist = existsSync(distCli) && process.env.BENCH_SOURCES !== '1';
const mathDist = join(here, '..', '..', '..', 'packages', 'math', 'dist', 'index.js');

// 1. In-process baseline: the reward inline, batches of 32 as the runner gives them, from the same build as the CLI.
const inlinePlugin = fromDist && existsSync(mathDist)
  ? ((await import(pathToFileURL(mathDist).href)) as { mathVerifyPlugin: RewardPlugin }).mathVerifyPlugin
  : registry.get('math.verify');
const inlineBuild = inlinePlugin === registry.get('math.verify') ? 'sources (tsx)' : 'dist';
const inline = await createScorer(inlinePlugin, { isolation: 'inline' });
// Warm-up over every pair (CAS load, JIT, any cache), as every path below gets.
for (let index = 0; index < rollouts.length; index += 32) await inline.score(rollouts.slice(index, index + 32), { signal });
const inlinePass = async () => {
  const begin = performance.now();
  for (let index = 0; index < rollouts.length; index += 32) await inline.score(rollouts.slice(index, index + 32), { signal });
  return rollouts.length / ((performance.now() - begin) / 1000);
};
const inlineRate = await inlinePass();
emit({ bench: 'app.cli-math', path: 'inline', from: inlineBuild, rollouts: count, pairsPerSecond: Math.round(inlineRate), ratio: 1 });

// BENCH_CLI_ONLY=1 skips the in-process diagnostics (2 to 4) and measures inline against the CLI only.
if (process.env.BENCH_CLI_ONLY !== '1') {
  // 2. The composer with the reward's default worker isolation, in this process.
  const composer = createComposer(validateConfig({ rewards: { accuracy: { use: 'math.verify' } }, mix: 'accuracy' }, registry), registry);
  await composer.score(rollouts); // worker start-up and warm-up over every pair
  let started = performance.now();
  await composer.score(rollouts);
  const workersRate = rollouts.length / ((performance.now() - started) / 1000);
  await composer.dispose();
  emit({ bench: 'app.cli-math', path: 'workers', rollouts: count, pairsPerSecond: Math.round(workersRate), ratio: Number((workersRate / inlineRate).toFixed(3)) });

  // 3. One message per rollout against one message per batch, same pool size, same limit.
  {
    const verifyPool = createWorkerPool({ module: join(here, 'verify-tasks.ts'), timeoutMs: 5_000 });
    const inputs = rollouts.map((rollout) => ({ completion: rollout.completion, reference: rollout.reference as string }));
    const single = async () => {
      for (let index = 0; index < inputs.length; index += 32) {
        await Promise.all(inputs.slice(index, index + 32).map((input) => verifyPool.run('verifyAnswer', input, { timeoutMs: 5_000 })));
      }
    };
    const batched = async () => {
      for (let index = 0; index < inputs.length; index += 32) {
        await runInBatches(verifyPool, { batchTask: 'verifyAnswers', singleTask: 'verifyAnswer' }, inputs.slice(index, index + 32), { timeoutMs: 5_000 });
      }
    };
    await runInBatches(verifyPool, { batchTask: 'verifyAnswers', singleTask: 'verifyAnswer' }, inputs, { timeoutMs: 60_000 }); // boot and warm up over every pair
    // Alternate, and keep each path's faster pass, so neither gains from going second.
    const rates = { single: 0, batched: 0 };
    for (const [name, run] of [['single', single], ['batched', batched], ['batched', batched], ['single', single]] as const) {
      const begin = performance.now();
      await run();
      rates[name] = Math.max(rates[name], inputs.length / ((performance.now() - begin) / 1000));
    }
    const singleRate = rates.single;
    const batchedRate = rates.batched;
    await verifyPool.close();
    emit({ bench: 'app.cli-math', path: 'pool-single', workers: verifyPool.size, rollouts: count, pairsPerSecond: Math.round(singleRate), ratio: Number((singleRate / inlineRate).toFixed(3)) });
    emit({ bench: 'app.cli-math', path: 'pool-batched', workers: verifyPool.size, rollouts: count, pairsPerSecond: Math.round(batchedRate), ratio: Number((batchedRate / inlineRate).toFixed(3)), versusSingle: Number((batchedRate / singleRate).toFixed(3)) });
  }

  // 4. The per-rollout hand-off to a worker, without the work: 128 tasks in flight as the runner keeps them.
  const pool = createWorkerPool({ module: join(here, '..', '..', '..', 'packages', 'core', 'src', '__fixtures__', 'worker-tasks.ts'), size: 1 });
  const payload = { completion: (rollouts[0] as Rollout).completion, reference: (rollouts[0] as Rollout).reference, settings: { boxed: 'last', conflictingAnswers: 'reject', lastNumberFallback: true, percent: 'math-verify', relativeTolerance: 1e-9, floatRounding: 6, referencePrecision: true, partialCredit: false, choiceLetters: 'ABCDEFGHIJ', cas: true } };
  await pool.run('double', 1);
  const tasks = 20_000;
  started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (let sent = 0; sent < tasks; sent += 128) await Promise.all(Array.from({ length: Math.min(128, tasks - sent) }, () => pool.run('double', payload)));
  const handoffCpu = process.cpuUsage(cpuStarted);
  const handoffWallUs = ((performance.now() - started) * 1000) / tasks;
  await pool.close();
  const inlinePairUs = 1e6 / inlineRate;
  emit({ bench: 'app.cli-math', path: 'handoff', tasks, wallMicrosecondsPerTask: Number(handoffWallUs.toFixed(1)), mainThreadCpuMicrosecondsPerTask: Number(((handoffCpu.user + handoffCpu.system) / tasks).toFixed(1)), inlineMicrosecondsPerPair: Number(inlinePairUs.toFixed(1)), ratio: Number((handoffWallUs / inlinePairUs).toFixed(3)), note: 'ratio = hand-off time / one inline pair' });
}

// 5. The CLI end to end, and its fixed start-up cost.
const launch = fromDist ? [distCli] : ['--conditions=@mixreward/source', '--import', 'tsx', join(here, '..', 'src', 'cli.ts')];
const runCli = (file: string) => {
  const begin = performance.now();
  const options = process.env.BENCH_WITH === undefined ? [] : ['--with', process.env.BENCH_WITH];
  const run = spawnSync(process.execPath, [...launch, 'score', '--reward', 'math.verify', ...options, '--input', file, '--output', join(dir, 'out.jsonl'), '--no-progress'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the CLI failed: ${run.stderr}`);
  return (performance.now() - begin) / 1000;
};
// Rounds of (inline pass, start-up run, CLI run), so that both sides see the machine's load of the
// moment (it is shared); each figure is the median over the rounds, the ratio the median of the
// rounds' ratios. BENCH_ROUNDS=n (default 3).
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const measured: { inline: number; startup: number; cli: number }[] = [];
for (let round = 0; round < rounds; round++) measured.push({ inline: await inlinePass(), startup: runCli(oneLine), cli: runCli(input) });
await inline.dispose?.();
const startupSeconds = median(measured.map((entry) => entry.startup));
const cliSeconds = median(measured.map((entry) => entry.cli));
const cliRate = rollouts.length / cliSeconds;
const roundInline = median(measured.map((entry) => entry.inline));
emit({ bench: 'app.cli-math', path: 'startup', rounds, seconds: Number(startupSeconds.toFixed(2)), ratio: Number((startupSeconds / cliSeconds).toFixed(3)), note: 'ratio = share of the CLI run' });
emit({
  bench: 'app.cli-math',
  path: 'cli',
  from: fromDist ? 'dist' : 'sources (tsx)',
  rounds,
  rollouts: count,
  pairsPerSecond: Math.round(cliRate),
  inlinePairsPerSecond: Math.round(roundInline),
  ratio: Number(median(measured.map((entry) => rollouts.length / entry.cli / entry.inline)).toFixed(3)),
  ratios: measured.map((entry) => Number((rollouts.length / entry.cli / entry.inline).toFixed(3))),
  withoutStartup: Math.round(rollouts.length / Math.max(1e-3, cliSeconds - startupSeconds)),
  ...(process.env.BENCH_WITH === undefined ? {} : { with: process.env.BENCH_WITH }),
  goal: 'ratio >= 0.5',
});
