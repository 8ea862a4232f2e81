// Composer overhead: a 5-component formula config over 100k rollouts, against calling the same five
// scorers directly (one call each over all rollouts) and combining them with the same formula in a
// plain loop into the same minimal result (reward, status, the five component values). Prints JSON;
// the figure that matters is `overhead` = lean composer / direct - 1: the composer with
// `detail: 'lean'` builds the same result as `direct` (reward, status, component values) and adds
// the batch runner's isolation; `overheadVsChunked` is the same against `direct` called in chunks
// of 1,024 rollouts. `fullOverhead` is the default `detail: 'full'`, which also carries
// each component's sub-scores and joins their reasons (what that detail costs, not the composer).
// To show where the overhead goes, two more paths run in the same rounds: `runner` (the five
// scorers through the batch runner, with the composer's batch size and concurrency, combined like
// `direct`): composer - runner is the composer's own work (evaluation, demand, assembly, and the
// garbage collection of the richer results it keeps).
import { createComposer, createRegistry, createScorer, plugins, runBatch, validateConfig, type RewardResult, type Rollout } from '@mixreward/core';

const count = Number(process.env.BENCH_ROLLOUTS ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const registry = createRegistry(plugins);
const rewards = {
  format: { use: 'format.tags' },
  exact: { use: 'match.exact' },
  choice: { use: 'match.choice' },
  overlong: { use: 'length.overlong', with: { max_length: 400, cache_length: 100 } },
  repetition: { use: 'repetition.ngram' },
};
const formula = '0.1*format + 0.6*exact + 0.2*choice + overlong + 0.1*repetition';

const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
const rollouts: Rollout[] = Array.from({ length: count }, (_, index) => {
  const body = Array.from({ length: 20 + (index % 40) }, (_, k) => words[(index * 7 + k * 3) % words.length]).join(' ');
  const letter = 'ABCD'[index % 4] as string;
  return { id: index, completion: `<think>${body}</think><answer>${letter}</answer>`, reference: 'ABCD'[(index >> 1) % 4] as string };
});

const signal = new AbortController().signal;
const scorers = await Promise.all(Object.values(rewards).map((entry) => createScorer(registry.get(entry.use), (entry as { with?: unknown }).with ?? {})));

async function direct(): Promise<number[]> {
  const columns: RewardResult[][] = [];
  for (const scorer of scorers) columns.push(await scorer.score(rollouts, { signal }));
  const [format, exact, choice, overlong, repetition] = columns as [RewardResult[], RewardResult[], RewardResult[], RewardResult[], RewardResult[]];
  const out = new Array<RewardResult>(count);
  for (let index = 0; index < count; index++) {
    const components = {
      format: format[index]?.reward as number,
      exact: exact[index]?.reward as number,
      choice: choice[index]?.reward as number,
      overlong: overlong[index]?.reward as number,
      repetition: repetition[index]?.reward as number,
    };
    const reward = 0.1 * components.format + 0.6 * components.exact + 0.2 * components.choice + components.overlong + 0.1 * components.repetition;
    out[index] = { reward, status: 'ok', components };
  }
  return out.map((result) => result.reward as number);
}

// `direct` in chunks of 1,024 rollouts (the composer's chunk size): the same calls, but each chunk's
// component results die young, as they do in the composer. The fairer of the two baselines when
// garbage collection is a large share of the time; the overhead is reported against both.
async function directChunked(): Promise<number[]> {
  const out = new Array<RewardResult>(count);
  for (let start = 0; start < count; start += 1024) {
    const chunk = rollouts.slice(start, start + 1024);
    const columns: RewardResult[][] = [];
    for (const scorer of scorers) columns.push(await scorer.score(chunk, { signal }));
    for (let index = 0; index < chunk.length; index++) {
      const components = {
        format: columns[0]?.[index]?.reward as number,
        exact: columns[1]?.[index]?.reward as number,
        choice: columns[2]?.[index]?.reward as number,
        overlong: columns[3]?.[index]?.reward as number,
        repetition: columns[4]?.[index]?.reward as number,
      };
      const reward = 0.1 * components.format + 0.6 * components.exact + 0.2 * components.choice + components.overlong + 0.1 * components.repetition;
      out[start + index] = { reward, status: 'ok', components };
    }
  }
  return out.map((result) => result.reward as number);
}

// The five scorers through the batch runner (isolation, batches of 1024, time limits), combined as in `direct`.
async function runner(): Promise<number[]> {
  const columns: RewardResult[][] = [];
  for (const scorer of scorers) columns.push(await runBatch(scorer, rollouts, { concurrency: 1, batchSize: 1024, timeoutMs: 30_000 }));
  const out = new Array<number>(count);
  for (let index = 0; index < count; index++) {
    out[index] = 0.1 * (columns[0]?.[index]?.reward as number) + 0.6 * (columns[1]?.[index]?.reward as number) + 0.2 * (columns[2]?.[index]?.reward as number) + (columns[3]?.[index]?.reward as number) + 0.1 * (columns[4]?.[index]?.reward as number);
  }
  return out;
}

// The literal "five scorers in a loop": per rollout, each scorer called on that rollout alone.
async function loop(): Promise<number[]> {
  const out = new Array<number>(count);
  for (let index = 0; index < count; index++) {
    const batch = [rollouts[index] as Rollout];
    const values: number[] = [];
    for (const scorer of scorers) values.push((await scorer.score(batch, { signal }))[0]?.reward as number);
    const [format, exact, choice, overlong, repetition] = values as [number, number, number, number, number];
    out[index] = 0.1 * format + 0.6 * exact + 0.2 * choice + overlong + 0.1 * repetition;
  }
  return out;
}

const composer = createComposer(validateConfig({ rewards, mix: formula }, registry), registry, { concurrency: 1 });
async function composed(): Promise<number[]> {
  const results = await composer.score(rollouts);
  return results.map((result) => result.reward as number);
}
async function composedLean(): Promise<number[]> {
  const results = await composer.score(rollouts, { detail: 'lean' });
  return results.map((result) => result.reward as number);
}

// CPU time of this process (user + system), less disturbed than wall time when the machine is shared.
// With --expose-gc (as `pnpm bench` runs it), a full collection before each path, outside its
// time: otherwise a path pays for the garbage the previous path left in the old generation.
const collect = (globalThis as { gc?: () => void }).gc;
async function time(run: () => Promise<number[]>): Promise<{ ms: number; wallMs: number; checksum: number }> {
  collect?.();
  const startedWall = performance.now();
  const started = process.cpuUsage();
  const values = await run();
  const used = process.cpuUsage(started);
  return { ms: (used.user + used.system) / 1000, wallMs: performance.now() - startedWall, checksum: values.reduce((sum, value) => sum + value, 0) };
}

// Warm up both paths, then alternate rounds so both see the same machine state.
await time(direct);
await time(composed);
await time(composedLean);
await time(directChunked);
await time(loop);
await time(runner);
const directTimes: number[] = [];
const composedTimes: number[] = [];
const directWall: number[] = [];
const loopTimes: number[] = [];
const composedWall: number[] = [];
const runnerTimes: number[] = [];
const leanTimes: number[] = [];
const leanWall: number[] = [];
const chunkedTimes: number[] = [];
let directSum = 0;
let composedSum = 0;
let leanSum = 0;
for (let round = 0; round < rounds; round++) {
  const a = await time(direct);
  const b = await time(composed);
  const c = await time(composedLean);
  leanTimes.push(c.ms);
  leanWall.push(c.wallMs);
  chunkedTimes.push((await time(directChunked)).ms);
  loopTimes.push((await time(loop)).ms);
  runnerTimes.push((await time(runner)).ms);
  directTimes.push(a.ms);
  composedTimes.push(b.ms);
  directWall.push(a.wallMs);
  composedWall.push(b.wallMs);
  directSum = a.checksum;
  composedSum = b.checksum;
  leanSum = c.checksum;
}
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] as number;
const directMs = median(directTimes);
// Each round's own ratio (its paths ran back to back), then the median over rounds.
const roundRatio = (times: number[], base: number[]) => median(times.map((value, round) => value / (base[round] as number)));
const composedMs = median(composedTimes);
const leanMs = median(leanTimes);
console.log(JSON.stringify({
  bench: 'core.composer-overhead',
  rollouts: count,
  components: 5,
  rounds,
  clock: 'process CPU time (user + system), median of rounds',
  directMs: Number(directMs.toFixed(1)),
  composerMs: Number(leanMs.toFixed(1)),
  wallRatio: Number((median(leanWall) / median(directWall)).toFixed(3)),
  ratio: Number(roundRatio(leanTimes, directTimes).toFixed(3)),
  overhead: Number((roundRatio(leanTimes, directTimes) - 1).toFixed(3)),
  overheadRounds: leanTimes.map((value, round) => Number((value / (directTimes[round] as number) - 1).toFixed(3))),
  gcBetweenPaths: collect !== undefined,
  addedMicrosecondsPerRollout: Number((((leanMs - directMs) * 1000) / count).toFixed(2)),
  directChunkedMs: Number(median(chunkedTimes).toFixed(1)),
  overheadVsChunked: Number((roundRatio(leanTimes, chunkedTimes) - 1).toFixed(3)),
  fullComposerMs: Number(composedMs.toFixed(1)),
  fullWallRatio: Number((median(composedWall) / median(directWall)).toFixed(3)),
  fullOverhead: Number((roundRatio(composedTimes, directTimes) - 1).toFixed(3)),
  fullOverheadVsChunked: Number((roundRatio(composedTimes, chunkedTimes) - 1).toFixed(3)),
  detailMicrosecondsPerRollout: Number((((composedMs - leanMs) * 1000) / count).toFixed(2)),
  perRolloutLoopMs: Number(median(loopTimes).toFixed(1)),
  overheadVsPerRolloutLoop: Number((leanMs / median(loopTimes) - 1).toFixed(3)),
  runnerMs: Number(median(runnerTimes).toFixed(1)),
  runnerOverhead: Number((roundRatio(runnerTimes, directTimes) - 1).toFixed(3)),
  composerOwnMicrosecondsPerRollout: Number((((leanMs - median(runnerTimes)) * 1000) / count).toFixed(2)),
  goal: 'overhead < 0.10',
  sameRewards: Math.abs(directSum - composedSum) < 1e-6 * count && Math.abs(directSum - leanSum) < 1e-6 * count,
}));
