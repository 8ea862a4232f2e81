// The hostile-input suite: every reward of the app's registry (new packages join by registering)
// against the corpus of ./corpus.ts. For each input: the scorer never throws, returns one result
// with a defined status (an `error` is a named fault, never INTERNAL: that would be a bug caught by
// the isolation net), never reaches the correct completion's reward (accuracy and format rewards),
// and ends within a per-input bound measured with performance.now.
import { tmpdir } from 'node:os';
import { createScorer, type RewardResult, type Rollout, type Scorer } from '@mixreward/core';
import { defaultRegistry } from '../../../apps/mixreward/src/registry.js';
import { hostileCorpus, type HostileInput } from './corpus.js';
import { profiles, type Profile } from './profiles.js';

/**
 * Per-input bound on CPU time in ms (process.cpuUsage: the scorer's own work, whatever the load of
 * a shared machine): generous; HOSTILE_BOUND_MS overrides. The wall-clock time (performance.now)
 * is reported, and bounded at 12 times this, so a scorer that waits instead of computing fails too.
 */
const boundMs = Number(process.env.HOSTILE_BOUND_MS ?? 5_000);
const wallBoundMs = 12 * boundMs;

/**
 * Inputs a reward is known to fail today, as `reward input-name`, with the defect. `failing`: the
 * test is marked failing (it passes while the defect is there and fails once it is fixed, so the
 * entry must be removed then). `skip`: the defect costs too much time to run on every `pnpm test`.
 */
const knownDefects: Record<string, { defect: string; mode: 'failing' | 'skip' }> = {};

interface Row {
  reward: string;
  input: string;
  status: string;
  reward_value: number | null;
  ms: number;
  cpu_ms: number;
  code?: string;
}
const rows: Row[] = [];
const skippedRewards: string[] = [];

const registry = defaultRegistry();
const genericProfile: Profile = {
  kind: 'accuracy',
  correct: '',
  attack: { question: 'What is 6 times 7?', answer: '42', wrong: ['41', '43'] },
};

function rolloutFor(profile: Profile, completion: string): Rollout {
  const rollout: Rollout = { completion, prompt: profile.attack.question };
  if (profile.reference !== undefined) rollout.reference = profile.reference;
  if (profile.meta !== undefined) rollout.meta = { ...profile.meta };
  return rollout;
}

async function scoreOne(scorer: Scorer, rollout: Rollout): Promise<{ results: RewardResult[] | undefined; thrown: unknown; ms: number; cpuMs: number }> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const measure = () => {
    const cpu = process.cpuUsage(cpuStart);
    return { ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  try {
    const results = await scorer.score([rollout], { signal: new AbortController().signal, timeoutMs: 30_000 });
    return { results, thrown: undefined, ...measure() };
  } catch (error) {
    return { results: undefined, thrown: error, ...measure() };
  }
}

for (const plugin of registry.list()) {
  const entry = profiles[plugin.name];
  if (entry && 'skip' in entry) {
    skippedRewards.push(`${plugin.name} (${entry.skip})`);
    continue;
  }
  const profile = entry ?? genericProfile;
  const corpus = hostileCorpus(profile.attack).filter((input) => !profile.only || profile.only.some((prefix) => input.name.startsWith(prefix)));

  describe(`${plugin.name} under hostile input`, () => {
    let scorer: Scorer | undefined;
    let bar: number | undefined;
    beforeAll(async () => {
      scorer = await createScorer(plugin, profile.options ?? {}, { baseDir: tmpdir() });
      if (entry) {
        const [result] = await scorer.score([rolloutFor(profile, profile.correct)], { signal: new AbortController().signal, timeoutMs: 30_000 });
        bar = result?.status === 'ok' ? (result.reward as number) : undefined;
      }
    }, 120_000);
    afterAll(async () => {
      // dispose() must be idempotent: call it twice.
      await scorer?.dispose?.();
      await scorer?.dispose?.();
    }, 120_000);

    if (entry) {
      test('the correct completion scores ok: the bar no hostile input may reach', () => {
        expect(typeof bar).toBe('number');
        // The bar must be a real reward, or "below the bar" would be meaningless.
        if (profile.kind !== 'shaping') expect(bar).toBeGreaterThan(0);
      }, 120_000);
    }

    const run = (input: HostileInput) => async () => {
      const { results, thrown, ms, cpuMs } = await scoreOne(scorer as Scorer, rolloutFor(profile, input.completion));
      const result = results?.[0];
      rows.push({
        reward: plugin.name,
        input: input.name,
        status: thrown ? 'THREW' : (result?.status ?? 'MISSING'),
        reward_value: result?.reward ?? null,
        ms: Math.round(ms),
        cpu_ms: Math.round(cpuMs),
        ...(result?.error?.code ? { code: result.error.code } : {}),
      });
      expect(thrown).toBeUndefined();
      expect(results).toHaveLength(1);
      const defined = result as RewardResult;
      expect(['ok', 'skipped', 'error', 'timeout']).toContain(defined.status);
      if (defined.status === 'ok') expect(Number.isFinite(defined.reward)).toBe(true);
      else expect(defined.reward).toBeNull();
      // An INTERNAL error is an exception the isolation net caught: a bug, not a defined fault.
      if (defined.status === 'error') expect(defined.error?.code).not.toBe('INTERNAL');
      const judged = profile.kind === 'accuracy' || (profile.kind === 'format' && !profile.wellFormed?.includes(input.name));
      if (judged && defined.status === 'ok' && bar !== undefined) expect(defined.reward as number).toBeLessThan(bar);
      expect(cpuMs).toBeLessThanOrEqual(boundMs);
      expect(ms).toBeLessThanOrEqual(wallBoundMs);
    };
    for (const input of corpus) {
      const known = knownDefects[`${plugin.name} ${input.name}`];
      if (!known) test(input.name, run(input), 120_000);
      else if (known.mode === 'failing') test.failing(`${input.name} (known defect: ${known.defect})`, run(input), 120_000);
      else test.skip(`${input.name} (known defect, too slow to run: ${known.defect})`, run(input));
    }
  });
}

test('every reward of the registry is attacked or skipped for a stated reason', () => {
  const attacked = new Set(rows.map((row) => row.reward));
  for (const plugin of registry.list()) {
    const entry = profiles[plugin.name];
    if (entry && 'skip' in entry) continue;
    expect(attacked.has(plugin.name) || plugin.name).toBe(true);
  }
});

afterAll(() => {
  const byReward = new Map<string, Row[]>();
  for (const row of rows) byReward.set(row.reward, [...(byReward.get(row.reward) ?? []), row]);
  const lines = [`hostile suite: per-input bound ${boundMs} ms CPU, ${wallBoundMs} ms wall`];
  for (const [reward, list] of byReward) {
    const statuses: Record<string, number> = {};
    for (const row of list) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    const slowest = list.reduce((worst, row) => (row.cpu_ms > worst.cpu_ms ? row : worst));
    lines.push(`  ${reward.padEnd(22)} ${String(list.length).padStart(3)} inputs  ${JSON.stringify(statuses)}  slowest ${slowest.cpu_ms} ms CPU, ${slowest.ms} ms wall (${slowest.input})`);
  }
  lines.push(`  not attacked: ${skippedRewards.join('; ') || 'none'}`);
  const known = Object.entries(knownDefects).map(([key, value]) => `${key}: ${value.defect}`);
  if (known.length > 0) lines.push(`  known defects: ${known.join('; ')}`);
  process.stderr.write(`${lines.join('\n')}\n`);
});
