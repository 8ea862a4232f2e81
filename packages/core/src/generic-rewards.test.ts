import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTags } from './format-tags-reward.js';
import { createScorer } from './plugin.js';
import { createRegistry } from './registry.js';
import { plugins } from './generic-plugins.js';
import { cosineScaled } from './length-cosine-reward.js';
import { overlongPenalty } from './length-overlong-reward.js';
import { ngramRepetition } from './repetition-ngram-reward.js';
import { extractChoices } from './match-choice-reward.js';
import { promptText } from './text-extract.js';
import type { RewardResult, Rollout } from './types.js';

const registry = createRegistry(plugins);

async function score(name: string, options: unknown, rollouts: Rollout[], baseDir?: string): Promise<RewardResult[]> {
  const scorer = await createScorer(registry.get(name), options, baseDir ? { baseDir } : {});
  return scorer.score(rollouts, { signal: new AbortController().signal });
}

describe('format.tags', () => {
  test.each([
    ['<think>a</think><answer>b</answer>', true],
    ['<think>a</think>\n\n<answer>b</answer>\n', true],
    ['<think>a</think>text<answer>b</answer>', false],
    ['<answer>b</answer><think>a</think>', false],
    ['<think>a</think><answer>b</answer><answer>c</answer>', false],
    ['<think>a<answer>b</answer></think>', false],
    ['<think></think><answer>b</answer>', false],
    ['<think>a</think>', false],
    ['</think>a<think><answer>b</answer>', false],
    [':', false],
    ["Let's solve this step by step.", false],
  ])('%j passes: %s', (completion, expected) => {
    expect(checkTags(completion).passed).toBe(expected);
  });

  test('strictness is configurable', () => {
    expect(checkTags('<think>a</think>text<answer>b</answer>', { outside: 'any' }).passed).toBe(true);
    expect(checkTags('<think>a</think> <answer>b</answer>', { outside: 'none' }).passed).toBe(false);
    expect(checkTags('<answer>b</answer><think>a</think>', { order: false }).passed).toBe(true);
    expect(checkTags('a</think><answer>b</answer>', { prefix: '<think>' }).passed).toBe(true);
    expect(checkTags('<think></think><answer>b</answer>', { non_empty: false }).passed).toBe(true);
    expect(checkTags('<a>1</a><b>2</b><c>3</c>', { tags: ['a', 'b', 'c'] }).passed).toBe(true);
  });

  test('partial scores the share of checks', async () => {
    // 2 tags + order + outside = 4 checks; only <think> is well formed.
    const [result] = await score('format.tags', { partial: true }, [{ completion: '<think>a</think> answer: 3' }]);
    expect(result?.reward).toBe(0.25);
    const [full] = await score('format.tags', {}, [{ completion: '<think>a</think><answer>3</answer>' }]);
    expect(full).toMatchObject({ reward: 1, status: 'ok', components: { tags_well_formed: 2 } });
  });

  test('a 10 MB completion is checked in linear time', () => {
    const huge = `<think>${'x'.repeat(10_000_000)}</think><answer>1</answer>`;
    expect(checkTags(huge).passed).toBe(true);
  });
});

describe('format.regex', () => {
  test('full match by default, search on request, invalid pattern is an options error', async () => {
    const rollouts = [{ completion: '<think>a</think>\n<answer>b</answer>' }, { completion: 'x <answer>b</answer>' }];
    const full = await score('format.regex', { pattern: '<think>.*?</think>\\s*<answer>.*?</answer>' }, rollouts);
    expect(full.map((result) => result.reward)).toEqual([1, 0]);
    const search = await score('format.regex', { pattern: '<answer>.*?</answer>', mode: 'search' }, rollouts);
    expect(search.map((result) => result.reward)).toEqual([1, 1]);
    await expect(score('format.regex', { pattern: '(' }, rollouts)).rejects.toThrow(/pattern is not a valid regular expression/);
  });
});

describe('match.exact', () => {
  test('normalises case and whitespace, reads the answer tag, accepts several references', async () => {
    const results = await score('match.exact', {}, [
      { completion: '<think>…</think><answer>  Paris </answer>', reference: 'paris' },
      { completion: 'PARIS', reference: ['Lyon', 'Paris'] },
      { completion: '<answer>Lyon</answer>', reference: 'Paris' },
      { completion: '<answer>42</answer>', reference: 42 },
      { completion: 'x', reference: { nope: 1 } },
    ]);
    expect(results.map((result) => result.reward)).toEqual([1, 1, 0, 1, null]);
    expect(results[4]).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
  });

  test('SQuAD-style options', async () => {
    const [result] = await score('match.exact', { strip_punctuation: true, strip_articles: true }, [{ completion: 'The Eiffel Tower!', reference: 'eiffel tower' }]);
    expect(result?.reward).toBe(1);
  });
});

describe('match.choice', () => {
  test.each([
    ['<answer>B</answer>', ['B']],
    ['The answer is (C).', ['C']],
    ['Answer: D', ['D']],
    ['so \\boxed{A}', ['A']],
    ['**Answer:** B and D', ['B', 'D']],
    ['<answer>A, C</answer>', ['A', 'C']],
    ['I think it is a cat.', undefined],
    ['The answer is A cat.', undefined],
    [':', undefined],
  ])('%j -> %j', (completion, expected) => {
    expect(extractChoices(completion)).toEqual(expected);
  });

  test('single and multi-select rewards', async () => {
    const results = await score('match.choice', {}, [
      { completion: '<answer>B</answer>', reference: 'B' },
      { completion: '<answer>A or B</answer>', reference: 'B' },
      { completion: '<answer>B, D</answer>', reference: ['D', 'B'] },
      { completion: '<answer>B</answer>', reference: 'B,D' },
      { completion: 'no idea', reference: 'A' },
      { completion: '<answer>B</answer>', reference: 'Z9' },
    ]);
    expect(results.map((result) => result.reward)).toEqual([1, 0, 1, 0, 0, null]);
    expect(results[5]).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
    const [jaccard] = await score('match.choice', { scoring: 'jaccard' }, [{ completion: '<answer>B, C</answer>', reference: 'B,D' }]);
    expect(jaccard?.reward).toBeCloseTo(1 / 3, 12);
  });
});

describe('length rewards', () => {
  test('cosine scaling follows open-r1 defaults', () => {
    expect(cosineScaled(0, 1000, 1, 0.5)).toBe(1);
    expect(cosineScaled(1000, 1000, 1, 0.5)).toBe(0.5);
    expect(cosineScaled(500, 1000, 1, 0.5)).toBeCloseTo(0.75, 12);
    expect(cosineScaled(5000, 1000, -1, -0.5)).toBe(-0.5);
    expect(cosineScaled(250, 1000, -1, -0.5)).toBeCloseTo(-0.5 + 0.5 * -0.5 * (1 + Math.SQRT1_2), 12);
  });

  test('length.cosine reads the outcome from options or meta.correct, counting characters', async () => {
    const results = await score('length.cosine', { max_length: 10 }, [
      { completion: '12345', meta: { correct: true } },
      { completion: '12345', meta: { correct: false } },
      { completion: '12345' },
      { completion: '😀😀😀😀😀', meta: { correct: 1 } },
    ]);
    expect(results[0]?.reward).toBeCloseTo(0.75, 12);
    expect(results[1]?.reward).toBeCloseTo(-0.75, 12);
    expect(results[2]?.status).toBe('skipped');
    expect(results[3]).toMatchObject({ components: { length: 5 } });
  });

  test('DAPO soft overlong punishment', () => {
    expect(overlongPenalty(16384, 20480, 4096)).toBe(0);
    expect(overlongPenalty(18432, 20480, 4096)).toBe(-0.5);
    expect(overlongPenalty(20480, 20480, 4096)).toBe(-1);
    expect(overlongPenalty(30000, 20480, 4096)).toBe(-1);
  });

  test('length.overlong counts tokens with a tokenizer, or the trainer count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixreward-tok-'));
    // A whitespace word-level tokenizer in Hugging Face format.
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({
      version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer: null,
      pre_tokenizer: { type: 'WhitespaceSplit' }, post_processor: null, decoder: null,
      model: { type: 'WordLevel', vocab: { '[UNK]': 0, a: 1, b: 2 }, unk_token: '[UNK]' },
    }));
    const withTokenizer = await score('length.overlong', { max_length: 4, cache_length: 2, tokenizer: '.' }, [{ completion: 'a b a' }, { completion: 'a b a b a' }], dir);
    expect(withTokenizer.map((result) => result.reward)).toEqual([-0.5, -1]);
    expect(withTokenizer[0]?.components).toEqual({ length: 3 });
    const fromMeta = await score('length.overlong', { max_length: 4, cache_length: 2, unit: 'tokens' }, [{ completion: 'x', meta: { completion_tokens: 4 } }, { completion: 'x' }]);
    expect(fromMeta.map((result) => result.status)).toEqual(['ok', 'error']);
    expect(fromMeta[0]?.reward).toBe(-1);
    await expect(score('length.overlong', { tokenizer: './missing' }, [], dir)).rejects.toThrow(/cannot read tokenizer .*missing\/tokenizer\.json/);
    await expect(score('length.overlong', { max_length: 10, cache_length: 20 }, [])).rejects.toThrow(/with\.cache_length: cache_length must not exceed max_length/);
  });
});

describe('repetition.ngram', () => {
  test('share of repeated word trigrams times the max penalty', async () => {
    expect(ngramRepetition('a b c a b c', 3)).toBeCloseTo(0.25, 12);
    expect(ngramRepetition('a b', 3)).toBe(0);
    const results = await score('repetition.ngram', { max_penalty: -2 }, [{ completion: 'the cat the cat the cat' }, { completion: 'all different words here' }]);
    // 4 trigrams, 2 unique -> repetition 0.5 -> reward -1.
    expect(results.map((result) => result.reward)).toEqual([-1, 0]);
  });
});

describe('promptText', () => {
  const chat = [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'first' }] },
    { role: 'assistant', content: 'x' },
    { role: 'user', content: 'second' },
  ];
  test('joins every message, or takes the last user message', () => {
    expect(promptText('a cat')).toBe('a cat');
    expect(promptText(chat)).toBe('be brief\nfirst\nx\nsecond');
    expect(promptText(chat, { messages: 'lastUser' })).toBe('second');
    expect(promptText(chat.slice(0, 2), { messages: 'lastUser' })).toBe('first');
    expect(promptText(undefined)).toBeUndefined();
    expect(promptText([{ role: 'assistant', content: 'x' }], { messages: 'lastUser' })).toBeUndefined();
  });
});
