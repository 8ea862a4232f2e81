import fc from 'fast-check';
import { RewardError } from './errors.js';
import { formatRegexPlugin, unsupportedRegexFeature } from './format-regex-reward.js';
import { createScorer, parseOptions } from './plugin.js';
import type { RewardResult } from './types.js';
import { createWorkerPool } from './worker-pool.js';

async function score(options: Record<string, unknown>, completions: string[]): Promise<RewardResult[]> {
  const scorer = await createScorer(formatRegexPlugin, options);
  return scorer.score(completions.map((completion) => ({ completion })), { signal: new AbortController().signal });
}

const optionsError = (options: Record<string, unknown>): unknown => {
  try {
    parseOptions(formatRegexPlugin, options);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('format.regex semantics', () => {
  test('full mode matches the whole completion; search matches anywhere', async () => {
    const completions = ['<think>a</think>\n<answer>b</answer>', 'x <answer>b</answer>'];
    expect((await score({ pattern: '<think>.*?</think>\\s*<answer>.*?</answer>' }, completions)).map((result) => result.reward)).toEqual([1, 0]);
    expect((await score({ pattern: '<answer>.*?</answer>', mode: 'search' }, completions)).map((result) => result.reward)).toEqual([1, 1]);
  });

  test('flags: i ignores case, s (default) lets dot cross lines, m moves ^ and $ to line ends in search only', async () => {
    expect((await score({ pattern: 'abc', flags: 'i' }, ['ABC', 'abd'])).map((result) => result.reward)).toEqual([1, 0]);
    expect((await score({ pattern: 'a.b' }, ['a\nb'])).map((result) => result.reward)).toEqual([1]);
    expect((await score({ pattern: 'a.b', flags: '' }, ['a\nb'])).map((result) => result.reward)).toEqual([0]);
    // With m, a full match still means the whole completion, not one of its lines.
    expect((await score({ pattern: 'a', flags: 'm' }, ['a\nb'])).map((result) => result.reward)).toEqual([0]);
    expect((await score({ pattern: '^b$', flags: 'm', mode: 'search' }, ['a\nb\nc'])).map((result) => result.reward)).toEqual([1]);
  });

  test('JavaScript syntax that RE2 also has: named groups, \\u escapes, classes with brackets', async () => {
    expect((await score({ pattern: '(?<tag>think): \\u0041[\\]x]' }, ['think: A]', 'think: Ab'])).map((result) => result.reward)).toEqual([1, 0]);
  });

  test('over max_length scores 0 without matching, and the old camelCase key is rejected', async () => {
    const [result] = await score({ pattern: '.*', max_length: 3 }, ['abcd']);
    expect(result).toMatchObject({ reward: 0, status: 'ok', reason: 'completion is 4 characters, over max_length 3' });
    expect(optionsError({ pattern: '.*', maxLength: 3 })).toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  test('lone surrogates and control characters give a defined result', async () => {
    const results = await score({ pattern: '.*' }, ['a\uD800b', '\u0000\u0007\u001b[31m', '\uDFFF']);
    expect(results.map((result) => [result.status, result.reward])).toEqual([['ok', 1], ['ok', 1], ['ok', 1]]);
  });
});

describe('format.regex rejects what RE2 cannot run, when the config is validated', () => {
  test.each([
    ['(a)\\1', 'backreference'],
    ['(?<x>a)\\k<x>', 'named backreference'],
    ['a(?=b)', 'lookahead'],
    ['a(?!b)', 'negative lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'negative lookbehind'],
  ])('%s: %s', (pattern, feature) => {
    const error = optionsError({ pattern });
    expect(RewardError.isInstance(error) && error.code).toBe('INVALID_OPTIONS');
    expect((error as Error).message).toContain(`with.pattern: the pattern uses a ${feature}`);
    expect((error as Error).message).toContain('RE2');
  });

  test('the same characters inside a class or after an escaped backslash are plain characters', () => {
    expect(unsupportedRegexFeature('[(?=]x')).toBeUndefined();
    expect(unsupportedRegexFeature('\\\\1')).toBeUndefined();
    expect(unsupportedRegexFeature('[\\]](?!x)')).toBe('a negative lookahead (?!…)');
    expect(optionsError({ pattern: '[(?=]x' })).toBeUndefined();
  });

  test('a syntax error and an oversized program are options errors naming the pattern', () => {
    expect((optionsError({ pattern: '(' }) as Error).message).toMatch(/with\.pattern: pattern is not a valid regular expression for RE2/);
    // Six 1,000-fold repeats compile to over 6,000 instructions.
    expect((optionsError({ pattern: '[a-z]{1000}'.repeat(6) }) as Error).message).toMatch(/with\.pattern: the pattern compiles to \d+ instructions, over the limit of 5000/);
  });
});

describe('format.regex on classic ReDoS patterns (100,000-character input)', () => {
  // Run in a worker with a hard limit: under a backtracking engine these would run for longer than
  // the age of the universe; if one ever regresses, the pool kills it and the test fails, not hangs.
  const pool = createWorkerPool({ module: new URL('./__fixtures__/regex-tasks.js', import.meta.url), size: 1, timeoutMs: 60_000 });
  afterAll(() => pool.close());
  const attack = `${'a'.repeat(100_000)}!`;
  const timings: Record<string, number> = {};
  afterAll(() => {
    process.stderr.write(`format.regex ReDoS timings (ms, 100,001 characters, worker thread): ${JSON.stringify(timings)}\n`);
  });

  // Expected values by hand: the input is 100,000 'a' then '!', so nothing anchored at the end on
  // 'a' matches, and a full match needs the pattern to accept the final '!'.
  test.each([
    ['(a+)+$', 'search', 0],
    ['(a|aa)+$', 'search', 0],
    ['(a|a)+$', 'search', 0],
    ['(.*a){12}', 'search', 1],
    ['(.*a){12}', 'full', 0],
    ['(a*)*b', 'search', 0],
    ['^(\\w+\\s?)*$', 'search', 0],
    ['(x+x+)+y', 'full', 0],
    ['([a-zA-Z]+)*!', 'full', 1],
    ['(a+)+!', 'full', 1],
    ['(?:a|aa)+!', 'full', 1],
  ])('%s (%s) -> %d', async (pattern, mode, expected) => {
    const outcome = await pool.run<{ reward: number | null; status: string; ms: number }>('scoreRegex', { options: { pattern, mode }, completion: attack });
    timings[`${pattern} ${mode}`] = Math.round(outcome.ms);
    expect(outcome).toMatchObject({ status: 'ok', reward: expected });
  }, 90_000);
});

describe('format.regex properties', () => {
  test('any pattern: options parse or an INVALID_OPTIONS RewardError, nothing else', () => {
    const pieces = ['a', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\', '\\1', '(?=', '(?<', '(?P<n>', '{1000}', '{2,1}', '\\p{', 'L}', '\\u{', '-', ','];
    const pattern = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.constantFrom(...pieces), { maxLength: 20 }).map((parts) => parts.join('')));
    fc.assert(fc.property(pattern, (source) => {
      const error = optionsError({ pattern: source });
      if (error !== undefined) expect(RewardError.isInstance(error) && error.code).toBe('INVALID_OPTIONS');
    }), { numRuns: 1_000 });
  });

  test('a quoted literal in search mode matches exactly when the text contains it (String.includes)', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 60 }), async (literal, text) => {
      const [result] = await score({ pattern: literalPattern(literal), mode: 'search', flags: '' }, [text]);
      expect(result?.reward).toBe(text.includes(literal) ? 1 : 0);
    }), { numRuns: 300 });
  });
});

/** A pattern that matches a string literally: every character as a \u{…} escape. */
function literalPattern(literal: string): string {
  return [...literal].map((char) => `\\u{${(char.codePointAt(0) as number).toString(16)}}`).join('');
}
