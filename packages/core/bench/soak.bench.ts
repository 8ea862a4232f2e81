// Soak: 100k rollouts through the composer with every core reward, in trainer-sized calls, with
// heap and RSS measured after a forced GC at the start (after one warm-up call) and after every
// call. Flat memory means nothing is retained per rollout or per call. Prints JSON lines; the last
// one has the ratio end / start (the baseline is the start of the same run).
// Run: node --expose-gc --conditions=@mixreward/source --import tsx bench/soak.bench.ts
import { createComposer, createRegistry, plugins, validateConfig, type Rollout } from '@mixreward/core';

const total = Number(process.env.SOAK_ROLLOUTS ?? 100_000);
const perCall = Number(process.env.SOAK_PER_CALL ?? 5_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) process.stderr.write('soak: run with --expose-gc for exact figures (measuring without a forced GC)\n');

const registry = createRegistry(plugins);
// Default options everywhere (no option names that a rename would break), plus the regex pattern.
const config = validateConfig(
  {
    rewards: {
      format: { use: 'format.tags' },
      regex: { use: 'format.regex', with: { pattern: '<think>[\\s\\S]+</think>\\s*<answer>[A-D]</answer>' } },
      exact: { use: 'match.exact' },
      choice: { use: 'match.choice' },
      cosine: { use: 'length.cosine' },
      overlong: { use: 'length.overlong' },
      repetition: { use: 'repetition.ngram' },
    },
    mix: '0.1*format + 0.1*regex + 0.3*exact + 0.3*choice + 0.1*cosine + overlong + 0.1*repetition',
  },
  registry,
);
const composer = createComposer(config, registry);

const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
function batch(offset: number, size: number): Rollout[] {
  return Array.from({ length: size }, (_, position) => {
    const index = offset + position;
    const body = Array.from({ length: 20 + (index % 60) }, (_, k) => words[(index * 7 + k * 3) % words.length]).join(' ');
    const letter = 'ABCD'[index % 4] as string;
    return {
      id: index,
      completion: `<think>${body}</think><answer>${letter}</answer>`,
      reference: 'ABCD'[(index >> 1) % 4] as string,
      meta: { correct: index % 3 === 0, group: `p-${Math.floor(index / 8)}` },
    };
  });
}

function memory(): { heap_mb: number; rss_mb: number } {
  gc?.();
  const usage = process.memoryUsage();
  return { heap_mb: Math.round((usage.heapUsed / 2 ** 20) * 10) / 10, rss_mb: Math.round((usage.rss / 2 ** 20) * 10) / 10 };
}

await composer.score(batch(0, perCall)); // warm-up: JIT, caches
const start = memory();
console.log(JSON.stringify({ bench: 'soak', at: 0, ...start }));
const started = performance.now();
let scored = 0;
let okCount = 0;
let checksum = 0;
while (scored < total) {
  const size = Math.min(perCall, total - scored);
  const results = await composer.score(batch(scored, size));
  for (const result of results) {
    if (result.status === 'ok') {
      okCount++;
      checksum += result.reward as number;
    }
  }
  scored += size;
  if (scored % (perCall * 4) === 0 || scored === total) console.log(JSON.stringify({ bench: 'soak', at: scored, ...memory() }));
}
const end = memory();
await composer.dispose();
console.log(
  JSON.stringify({
    bench: 'soak',
    rollouts: scored,
    ok: okCount,
    mean_reward: Math.round((checksum / Math.max(1, okCount)) * 1e4) / 1e4,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    start,
    end,
    heap_ratio: Math.round((end.heap_mb / start.heap_mb) * 1000) / 1000,
    rss_ratio: Math.round((end.rss_mb / start.rss_mb) * 1000) / 1000,
  }),
);
