/**
 * Throughput of math.verify over the package's corpus: full pipeline (extract + parse + compare),
 * single process, in-thread. Baseline, measured in the same run: the same extraction followed by
 * compute-engine alone (parse both sides with `ce.parse`, decide with `isEqual`), i.e. "a CAS for
 * every pair". Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { ComputeEngine } from '@cortex-js/compute-engine';
import { loadComputeEngine } from '../src/cas.js';
import { createMathVerifyReward, extractAnswers, verifyAnswer, type VerifySettings } from '../src/index.js';

interface CorpusCase {
  reference: string;
  completion: string;
  expected: 0 | 1 | 'skipped';
  settings?: Partial<VerifySettings>;
  prompt?: string;
}

const corpus = JSON.parse(readFileSync(new URL('../src/__fixtures__/verify-corpus.json', import.meta.url), 'utf8')) as CorpusCase[];

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

async function measureOurs(passes: number): Promise<{ pairsPerSecond: number; p50Ms: number; p99Ms: number; accuracy: number; casShare: number }> {
  const latencies: number[] = [];
  let correct = 0;
  let cas = 0;
  const started = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const entry of corpus) {
      const begin = performance.now();
      const outcome = await verifyAnswer({ reference: entry.reference, completion: entry.completion, settings: entry.settings ?? {}, ...(entry.prompt === undefined ? {} : { prompt: entry.prompt }) });
      latencies.push(performance.now() - begin);
      if (pass === 0) {
        if ((outcome.status === 'skipped' ? 'skipped' : outcome.reward) === entry.expected) correct++;
        if (outcome.usedCas) cas++;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { pairsPerSecond: (passes * corpus.length) / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), accuracy: correct / corpus.length, casShare: cas / corpus.length };
}

function measureCasOnly(): { pairsPerSecond: number; p50Ms: number; p99Ms: number; accuracy: number } {
  const engine = new ComputeEngine();
  const latencies: number[] = [];
  let correct = 0;
  const started = performance.now();
  for (const entry of corpus) {
    const begin = performance.now();
    let verdict: 0 | 1 | 'skipped' = 0;
    try {
      const reference = engine.parse(entry.reference.replace(/^\$+|\$+$/g, ''));
      if (!reference.isValid) verdict = 'skipped';
      else {
        const extracted = extractAnswers(entry.completion, { lastNumberFallback: true });
        const candidate = extracted?.candidates[extracted.candidates.length - 1];
        if (candidate !== undefined) verdict = reference.isEqual(engine.parse(candidate)) === true ? 1 : 0;
      }
    } catch {
      verdict = 0;
    }
    latencies.push(performance.now() - begin);
    if (verdict === entry.expected) correct++;
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { pairsPerSecond: corpus.length / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), accuracy: correct / corpus.length };
}

/** The plugin as configs run it: worker threads with a hard time limit per rollout, batches of 32. */
async function measureWorkers(workers: number, passes: number): Promise<number> {
  const scorer = await createMathVerifyReward({ workers });
  const signal = new AbortController().signal;
  const rollouts = corpus.map((entry) => ({ completion: entry.completion, reference: entry.reference }));
  try {
    await scorer.score(rollouts, { signal }); // start-up and warm-up
    const started = performance.now();
    for (let pass = 0; pass < passes; pass++) {
      for (let index = 0; index < rollouts.length; index += 32) await scorer.score(rollouts.slice(index, index + 32), { signal });
    }
    return (passes * rollouts.length) / ((performance.now() - started) / 1000);
  } finally {
    await scorer.dispose?.();
  }
}

await loadComputeEngine();
await measureOurs(2); // warm-up
const ours = await measureOurs(20);
const baseline = measureCasOnly();
const workerPairsPerSecond = await measureWorkers(2, 5);
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
console.log(
  JSON.stringify({
    bench: 'math.verify',
    pairs: corpus.length,
    pairsPerSecond: round(ours.pairsPerSecond, 0),
    p50Ms: round(ours.p50Ms),
    p99Ms: round(ours.p99Ms),
    accuracy: round(ours.accuracy, 4),
    casShare: round(ours.casShare, 4),
    baseline: { name: 'compute-engine for every pair', pairsPerSecond: round(baseline.pairsPerSecond, 0), p50Ms: round(baseline.p50Ms), p99Ms: round(baseline.p99Ms), accuracy: round(baseline.accuracy, 4) },
    ratio: round(ours.pairsPerSecond / baseline.pairsPerSecond, 2),
    vsMathVerifyQuoted: { pairsPerSecond: 100, ratio: round(ours.pairsPerSecond / 100, 1) },
    plugin2Workers: { pairsPerSecond: round(workerPairsPerSecond, 0), note: 'math.verify scorer, isolation worker, 2 threads, batches of 32' },
  }),
);
