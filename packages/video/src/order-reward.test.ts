import type { RewardResult, Rollout } from '@mixreward/core';
import { createVideoOrderReward, kendallTau, parseOrder, type VideoOrderOptions } from './order-reward.js';

const signal = new AbortController().signal;

async function score(rollout: Partial<Rollout>, options: VideoOrderOptions = {}): Promise<RewardResult> {
  const scorer = await createVideoOrderReward(options);
  const [result] = await scorer.score([{ completion: '', ...rollout } as Rollout], { signal });
  return result as RewardResult;
}

describe('kendallTau (pairs counted by hand)', () => {
  const reference = ['A', 'B', 'C', 'D'];
  const cases: Array<[string[], number]> = [
    [['A', 'B', 'C', 'D'], 1],
    [['D', 'C', 'B', 'A'], -1],
    [['B', 'A', 'C', 'D'], (5 - 1) / 6],
    [['A', 'C', 'B', 'D'], (5 - 1) / 6],
    [['A', 'B', 'D', 'C'], (5 - 1) / 6],
    [['B', 'A', 'D', 'C'], (4 - 2) / 6],
    [['D', 'A', 'B', 'C'], (3 - 3) / 6],
    // C missing: pairs AC, BC, CD discordant; AB, AD, BD concordant.
    [['A', 'B', 'D'], (3 - 3) / 6],
    [[], -1],
    [['A'], (0 - 6) / 6],
  ];
  for (const [predicted, expected] of cases) {
    it(`${predicted.join('')} = ${expected}`, () => expect(kendallTau(predicted, reference)).toBeCloseTo(expected, 12));
  }
  it('single reference id', () => {
    expect(kendallTau(['A'], ['A'])).toBe(1);
    expect(kendallTau([], ['A'])).toBe(-1);
  });
});

describe('parseOrder', () => {
  const ids = ['A', 'B', 'C'];
  const cases: Array<[string, string[]]> = [
    ['A, B, C', ['A', 'B', 'C']],
    ['C > B > A', ['C', 'B', 'A']],
    ['B -> A -> C', ['B', 'A', 'C']],
    ['B → C → A', ['B', 'C', 'A']],
    ['["C", "A", "B"]', ['C', 'A', 'B']],
    ['1. B\n2. C\n3. A', ['B', 'C', 'A']],
    ['First A, then C, and finally B.', ['A', 'C', 'B']],
    ['Event B happens first, then event A, then event C', ['B', 'A', 'C']],
    ['(a), (b), (c)', ['A', 'B', 'C']],
    ['b; a; c', ['B', 'A', 'C']],
    ['A B C', ['A', 'B', 'C']],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => expect(parseOrder(text, ids).sequence).toEqual(expected));
  }
  it('numeric ids and list markers', () => {
    expect(parseOrder('1. 3\n2. 1\n3. 2', ['1', '2', '3']).sequence).toEqual(['3', '1', '2']);
    expect(parseOrder('[2, 3, 1]', ['1', '2', '3']).sequence).toEqual(['2', '3', '1']);
  });
  it('descriptive ids', () => {
    const events = ['man opens door', 'dog barks', 'car leaves'];
    expect(parseOrder('dog barks, then man opens door, then car leaves', events).sequence).toEqual(['dog barks', 'man opens door', 'car leaves']);
  });
  it('repeated ids are dropped from the sequence and reported', () => {
    expect(parseOrder('A, B, C, C, B, A', ids)).toEqual({ sequence: [], repeated: ['C', 'B', 'A'], unknown: [] });
    expect(parseOrder('A, B, A, C', ids)).toEqual({ sequence: ['B', 'C'], repeated: ['A'], unknown: [] });
  });
  it('unknown single-token items are reported, prose is not', () => {
    expect(parseOrder('A, D, B, C', ids).unknown).toEqual(['D']);
    expect(parseOrder('The order is: A, then B, then C', ids).unknown).toEqual([]);
  });
  it('case sensitivity is an option', () => {
    expect(parseOrder('a, b, c', ids, true).sequence).toEqual([]);
  });
});

describe('video.order', () => {
  const reference = { order: ['A', 'B', 'C'] };
  it('the right order scores 1', async () => {
    const result = await score({ completion: '<answer>A, B, C</answer>', reference });
    expect(result).toMatchObject({ status: 'ok', reward: 1, components: { kendall_tau: 1, matched: 3, missing: 0 } });
  });
  it('the reversed order scores 0', async () => {
    expect((await score({ completion: '<answer>C, B, A</answer>', reference })).reward).toBe(0);
  });
  it('one swap of three scores (tau + 1) / 2 = 2/3', async () => {
    expect((await score({ completion: '<answer>B, A, C</answer>', reference })).reward).toBeCloseTo(2 / 3, 12);
  });
  it('hedging by listing both orders earns nothing', async () => {
    const result = await score({ completion: '<answer>A, B, C, B, A</answer>', reference });
    expect(result.reward).toBeLessThan(0.5);
    expect(result.components?.repeated).toBe(2);
  });
  it('an empty answer scores 0 with a reason', async () => {
    const result = await score({ completion: '<answer>I am not sure</answer>', reference });
    expect(result.reward).toBe(0);
    expect(result.reason).toMatch(/no reference id found/);
  });
  it('only the answer block counts; think never', async () => {
    expect((await score({ completion: '<think>A, B, C</think><answer>C, B, A</answer>', reference })).reward).toBe(0);
    expect((await score({ completion: '<think>A, B, C</think> C, B, A', reference })).reward).toBe(0);
  });
  it('exact mode', async () => {
    expect((await score({ completion: 'A, B, C', reference }, { mode: 'exact' })).reward).toBe(1);
    expect((await score({ completion: 'A, C, B', reference }, { mode: 'exact' })).reward).toBe(0);
    expect((await score({ completion: 'A, B, C, D', reference }, { mode: 'exact' })).reward).toBe(0);
    expect((await score({ completion: 'A, B', reference }, { mode: 'exact' })).reward).toBe(0);
  });
  it('a bare list of numeric ids as reference', async () => {
    expect((await score({ completion: '3, 1, 2', reference: [3, 1, 2] })).reward).toBe(1);
  });
  it('no reference is skipped; a bad one is INVALID_REFERENCE', async () => {
    expect((await score({ completion: 'A' })).status).toBe('skipped');
    for (const bad of [[], { order: [] }, { order: ['A', 'a'] }, { order: [null] }, 'x', 7]) {
      expect((await score({ completion: 'A', reference: bad })).error?.code).toBe('INVALID_REFERENCE');
    }
  });
});
