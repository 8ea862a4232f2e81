import { createComposer } from './composer.js';
import { rankOf, zscoreOf } from './group-statistics.js';
import { validateConfig } from './config.js';
import { calls, registry } from './__fixtures__/test-plugins.js';

function composer(config: unknown) {
  return createComposer(validateConfig(config, registry), registry, { timeoutMs: 5_000 });
}

const think = '<think>reasoning</think><answer>42</answer>';

beforeEach(() => {
  for (const key of Object.keys(calls)) delete calls[key];
});

describe('composer', () => {
  test('a formula mixes components and every component value is reported', async () => {
    const mix = composer({
      rewards: { format: { use: 'format.tags' }, accuracy: { use: 'test.field', with: { field: 'acc' } } },
      mix: '0.1*format + 0.9*accuracy',
    });
    const [result] = await mix.score([{ completion: think, meta: { acc: 0.5 } }]);
    expect(result?.status).toBe('ok');
    expect(result?.reward).toBeCloseTo(0.1 + 0.45, 12);
    expect(result?.components).toEqual({ format: 1, 'format.tags_well_formed': 2, accuracy: 0.5, 'accuracy.raw': 0.5 });
    expect(result?.reason).toContain('accuracy: acc=0.5');
  });

  test('if() is lazy: the process model never runs on a failed rollout', async () => {
    const mix = composer({
      rewards: { accuracy: { use: 'test.field', with: { field: 'acc' } }, process: { use: 'test.field', with: { field: 'prm' } } },
      mix: '0.9*accuracy + 0.2*if(accuracy == 1, process, 0)',
    });
    const results = await mix.score([
      { completion: 'a', meta: { acc: 1, prm: 0.5 } },
      { completion: 'b', meta: { acc: 0, prm: 0.5 } },
      { completion: 'c', meta: { acc: 0, prm: 0.5 } },
    ]);
    expect(results.map((result) => result.reward)).toEqual([0.9 + 0.1, 0, 0]);
    expect(calls).toEqual({ acc: 3, prm: 1 });
    expect(results[1]?.components).toEqual({ accuracy: 0, 'accuracy.raw': 0 });
  });

  test('gate spelled out behaves like a lazy if; an unreachable component is never created', async () => {
    const mix = composer({
      rewards: { accuracy: { use: 'test.field', with: { field: 'acc' } }, model: { use: 'test.broken' } },
      mix: { gate: { when: 'accuracy >= 1', then: 'model', else: 'accuracy' } },
    });
    const results = await mix.score([{ completion: 'a', meta: { acc: 0.25 } }, { completion: 'b', meta: { acc: 1 } }]);
    expect(results[0]).toMatchObject({ status: 'ok', reward: 0.25 });
    expect(results[1]).toMatchObject({ status: 'error', reward: null, error: { code: 'MODEL_UNAVAILABLE', component: 'model' } });
    expect(results[1]?.reason).toContain('could not create test.broken: model folder ./nope does not exist; set with.model');
  });

  test('sum leaves skipped components out; renormalize rescales; all skipped is skipped', async () => {
    const rewards = { a: { use: 'test.field', with: { field: 'a' } }, b: { use: 'test.field', with: { field: 'b' } }, m: { use: 'test.field', with: { field: 'm' } } };
    const plain = composer({ rewards, mix: { sum: { a: 0.25, b: 0.75, m: 0 } } });
    const renormalized = composer({ rewards, mix: { sum: { a: 0.25, b: 0.75, m: 0 }, renormalize: true } });
    const rollouts = [
      { completion: 'x', meta: { a: 1, b: 'skip', m: 7 } },
      { completion: 'y', meta: { a: 'skip', b: 'skip', m: 7 } },
      { completion: 'z', meta: { a: 1, b: 0.5, m: 7 } },
    ];
    const first = await plain.score(rollouts);
    expect(first.map((result) => result.reward)).toEqual([0.25, null, 0.25 + 0.375]);
    expect(first[1]).toMatchObject({ status: 'skipped' });
    expect(first[0]?.components).toMatchObject({ a: 1, b: null, m: 7 });
    const second = await renormalized.score(rollouts);
    expect(second.map((result) => result.reward)).toEqual([1, null, 0.625]);
  });

  test('a skipped component makes a formula skipped unless wrapped in default()', async () => {
    const rewards = { a: { use: 'test.field', with: { field: 'a' } } };
    const plain = await composer({ rewards, mix: 'a + 1' }).score([{ completion: 'x', meta: { a: 'skip' } }]);
    expect(plain[0]).toMatchObject({ status: 'skipped', reward: null, reason: 'a: no a' });
    const wrapped = await composer({ rewards, mix: 'default(a, 0.5) + 1' }).score([{ completion: 'x', meta: { a: 'skip' } }]);
    expect(wrapped[0]).toMatchObject({ status: 'ok', reward: 1.5 });
  });

  test('an error makes the node error, naming the component, unless on_error says skip or zero', async () => {
    const base = { b: { use: 'test.field', with: { field: 'b' } } };
    const rollout = { completion: 'x', meta: { a: 'error', b: 1 } };
    const failing = await composer({ rewards: { a: { use: 'test.field', with: { field: 'a' } }, ...base }, mix: { sum: { a: 0.5, b: 0.5 } } }).score([rollout]);
    expect(failing[0]).toMatchObject({ status: 'error', reward: null, error: { code: 'MODEL_UNAVAILABLE', component: 'a' } });
    expect(failing[0]?.reason).toBe('component a failed: model for a missing');
    const skipping = await composer({ rewards: { a: { use: 'test.field', with: { field: 'a' }, on_error: 'skip' }, ...base }, mix: { sum: { a: 0.5, b: 0.5 } } }).score([rollout]);
    expect(skipping[0]).toMatchObject({ status: 'ok', reward: 0.5 });
    const zero = await composer({ rewards: { a: { use: 'test.field', with: { field: 'a' }, on_error: 'zero' }, ...base }, mix: 'a + b' }).score([rollout]);
    expect(zero[0]).toMatchObject({ status: 'ok', reward: 1 });
  });

  test('route by task; no match and no default is a per-rollout error', async () => {
    const mix = composer({
      rewards: { a: { use: 'test.field', with: { field: 'a' } }, b: { use: 'test.field', with: { field: 'b' } } },
      mix: { route: { math: 'a', code: '2*b' } },
    });
    const results = await mix.score([
      { completion: 'x', task: 'math', meta: { a: 0.5, b: 0.25 } },
      { completion: 'y', task: 'code', meta: { a: 0.5, b: 0.25 } },
      { completion: 'z', task: 'poetry', meta: { a: 0.5 } },
    ]);
    expect(results.map((result) => result.reward)).toEqual([0.5, 0.5, null]);
    expect(results[2]).toMatchObject({ status: 'error', error: { code: 'UNKNOWN_TASK' } });
    expect(results[2]?.reason).toBe('mix: no route for task "poetry" and no default (routes: math, code)');
    expect(calls).toEqual({ a: 1, b: 1 });
  });

  test('cascade: the first ok component wins and later ones run only when needed', async () => {
    const mix = composer({
      rewards: { rule: { use: 'test.field', with: { field: 'rule' } }, model: { use: 'test.field', with: { field: 'model' } } },
      mix: { cascade: ['rule', 'model'] },
    });
    const results = await mix.score([
      { completion: 'x', meta: { rule: 1, model: 0.3 } },
      { completion: 'y', meta: { rule: 'skip', model: 0.3 } },
      { completion: 'z', meta: { rule: 'skip', model: 'skip' } },
    ]);
    expect(results.map((result) => result.reward)).toEqual([1, 0.3, null]);
    expect(results[2]?.status).toBe('skipped');
    expect(calls).toEqual({ rule: 3, model: 2 });
  });

  test('group transforms: rank and z-score within rollouts sharing a group', async () => {
    const rewards = { a: { use: 'test.field', with: { field: 'a' } } };
    const rollouts = [
      { completion: '1', meta: { group: 'p', a: 1 } },
      { completion: '2', meta: { group: 'p', a: 3 } },
      { completion: '3', meta: { group: 'q', a: 10 } },
      { completion: '4', meta: { group: 'p', a: 2 } },
      { completion: '5', meta: { group: 'p', a: 'skip' } },
    ];
    const zscore = await composer({ rewards, mix: { transform: 'a', group: 'zscore' } }).score(rollouts);
    expect(zscore.map((result) => result.reward)).toEqual([-1, 1, 0, 0, null]);
    const rank = await composer({ rewards, mix: { transform: 'a', group: 'rank' } }).score(rollouts);
    expect(rank.map((result) => result.reward)).toEqual([0, 1, 0.5, 0.5, null]);
  });

  test('transform applies threshold, scale, shift, clamp in that order', async () => {
    const rewards = { a: { use: 'test.field', with: { field: 'a' } } };
    const results = await composer({ rewards, mix: { transform: 'a', threshold: 0.5, scale: 3, shift: -1, clamp: [0, 1.5] } }).score([
      { completion: 'x', meta: { a: 0.7 } },
      { completion: 'y', meta: { a: 0.2 } },
    ]);
    expect(results.map((result) => result.reward)).toEqual([1.5, 0]);
  });

  test('components no node uses are metrics computed for every rollout', async () => {
    const mix = composer({ rewards: { a: { use: 'test.field', with: { field: 'a' } }, length: { use: 'repetition.ngram' } }, mix: 'a' });
    const [result] = await mix.score([{ completion: 'x y z x y z', meta: { a: 1 } }]);
    expect(result?.reward).toBe(1);
    expect(result?.components?.length).toBeCloseTo(-0.25, 12);
  });

  test('bad rollouts fail alone; a NaN formula is an error', async () => {
    const mix = composer({ rewards: { a: { use: 'test.field', with: { field: 'a' } } }, mix: 'log(a)' });
    const results = await mix.score([{ completion: 'x', meta: { a: 1 } }, { prompt: 'no completion' }, { completion: 'x', meta: { a: -1 } }]);
    expect(results.map((result) => result.status)).toEqual(['ok', 'error', 'error']);
    expect(results[1]).toMatchObject({ error: { code: 'INVALID_ROLLOUT' } });
    expect(results[2]?.reason).toContain('the mix produced NaN');
  });

  test('concurrent score() calls on one composer keep their own state', async () => {
    const mix = composer({
      rewards: { a: { use: 'test.field', with: { field: 'a' } }, b: { use: 'test.field', with: { field: 'b' } } },
      mix: 'if(a > 0, b, a)',
    });
    const batch = (offset: number) => Array.from({ length: 50 }, (_, index) => ({ completion: 'x', meta: { a: (index + offset) % 2, b: index + offset } }));
    const [first, second] = await Promise.all([mix.score(batch(0)), mix.score(batch(1))]);
    expect(first?.map((result) => result.reward)).toEqual(batch(0).map((rollout) => (rollout.meta.a > 0 ? rollout.meta.b : 0)));
    expect(second?.map((result) => result.reward)).toEqual(batch(1).map((rollout) => (rollout.meta.a > 0 ? rollout.meta.b : 0)));
  });

  test('chunked scoring keeps order, groups whole and progress totals', async () => {
    const config = validateConfig({ rewards: { a: { use: 'test.field', with: { field: 'a' } } }, mix: { transform: 'a', group: 'rank' } }, registry);
    const rollouts = Array.from({ length: 23 }, (_, index) => ({ completion: String(index), meta: { group: `g${index % 4}`, a: index } }));
    const events: number[] = [];
    const chunked = await createComposer(config, registry, { chunkSize: 5 }).score(rollouts, { onProgress: (event) => events.push(event.done) });
    const whole = await createComposer(config, registry).score(rollouts);
    expect(chunked.map((result) => result.reward)).toEqual(whole.map((result) => result.reward));
    // Within group g0 (0, 4, 8, 12, 16, 20) the ranks spread over [0, 1].
    expect([0, 4, 8, 12, 16, 20].map((index) => chunked[index]?.reward)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(events.at(-1)).toBe(23);
  });

  test('the first round asks only for what evaluation would: and/or, default, if and gate stay lazy', async () => {
    const rewards = { a: { use: 'test.field', with: { field: 'a' } }, b: { use: 'test.field', with: { field: 'b' } }, c: { use: 'test.field', with: { field: 'c' } }, d: { use: 'test.field', with: { field: 'd' } } };
    const rollouts = [
      { completion: 'x', meta: { a: 1, b: 0.5, c: 'skip', d: 0.25 } },
      { completion: 'y', meta: { a: 0, b: 0.5, c: 0.75, d: 0.25 } },
      { completion: 'z', meta: { a: 1, b: 0, c: 0.5, d: 0.25 } },
    ];
    const results = await composer({ rewards, mix: '(a and b) + default(c, d) + max(a, 0)' }).score(rollouts);
    expect(results.map((result) => result.reward)).toEqual([1 + 0.25 + 1, 0 + 0.75 + 0, 0 + 0.5 + 1]);
    // b only where a is true, d only where c skipped; the first round asked for a, c (and max's a).
    expect(calls).toEqual({ a: 3, b: 2, c: 3, d: 1 });
  });

  test('every component runs in one batch per round when the mix needs it unconditionally', async () => {
    const rewards = { a: { use: 'test.field', with: { field: 'a' } }, b: { use: 'test.field', with: { field: 'b' } } };
    const mix = composer({ rewards, mix: { route: { math: '0.5*a + 0.5*b', code: { sum: { b: 1 } } } } });
    const rounds: number[] = [];
    const rollouts = Array.from({ length: 6 }, (_, index) => ({ completion: 'x', task: index % 2 === 0 ? 'math' : 'code', meta: { a: 1, b: 0.5 } }));
    const results = await mix.score(rollouts, { onProgress: (event) => rounds.push(event.done) });
    expect(results.map((result) => result.reward)).toEqual([0.75, 0.5, 0.75, 0.5, 0.75, 0.5]);
    expect(calls).toEqual({ a: 3, b: 6 });
    // The components ran before the first evaluation, so one round settled every rollout.
    expect(rounds).toEqual([6]);
  });

  test('detail lean: reward, status and component values; reasons only when not ok', async () => {
    const mix = composer({
      rewards: { format: { use: 'format.tags' }, accuracy: { use: 'test.field', with: { field: 'acc' } } },
      mix: '0.1*format + 0.9*accuracy',
    });
    const rollouts = [{ completion: think, meta: { acc: 0.5 } }, { completion: think, meta: { acc: 'skip' } }, { completion: think, meta: { acc: 'error' } }];
    const lean = await mix.score(rollouts, { detail: 'lean' });
    const full = await mix.score(rollouts);
    expect(lean[0]).toEqual({ reward: full[0]?.reward, status: 'ok', components: { format: 1, accuracy: 0.5 } });
    expect(lean[1]).toEqual({ reward: null, status: 'skipped', components: { format: 1, accuracy: null }, reason: 'accuracy: no acc' });
    expect(lean[2]).toMatchObject({ reward: null, status: 'error', components: { format: 1, accuracy: null }, error: { code: 'MODEL_UNAVAILABLE', component: 'accuracy' } });
    expect(lean[2]?.reason).toBe(full[2]?.reason);
    expect(full[0]?.components).toEqual({ format: 1, 'format.tags_well_formed': 2, accuracy: 0.5, 'accuracy.raw': 0.5 });
  });

  test('rank and z-score helpers', () => {
    expect(rankOf(2, [1, 2, 2, 3])).toBeCloseTo(0.5, 12);
    expect(rankOf(5, [5])).toBe(0.5);
    expect(zscoreOf(3, [1, 2, 3])).toBe(1);
    expect(zscoreOf(1, [1, 1])).toBe(0);
  });
});
