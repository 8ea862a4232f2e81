import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScorer, type RewardResult, type Rollout } from '@mixreward/core';
import type { ExecutionBackend } from './backend.js';
import { DifficultyStore } from './difficulty-store.js';
import { plugins } from './index.js';
import { createLocalBackend } from './local-backend.js';
import { codeTestsPlugin, createCodeTestsReward, type CodeTestsOptions } from './tests-reward.js';

// These tests run real programs in sandboxes; on a loaded machine one can take seconds. This is
// jest's budget per test, not an assertion about time.
(import.meta as ImportMeta & { jest: { setTimeout(ms: number): void } }).jest.setTimeout(60000);

const context = () => ({ signal: new AbortController().signal });
const score = async (options: CodeTestsOptions, rollouts: Rollout[]): Promise<RewardResult[]> =>
  (await createCodeTestsReward({ backend: 'bwrap', ...options })).score(rollouts, context());

const fence = (language: string, code: string) => `Here is my solution.\n\n\`\`\`${language}\n${code}\n\`\`\`\n`;

// a + b, four cases. A product solution passes exactly cases 2 and 3 (2*2 = 4, 0*0 = 0).
const sumTests = [
  { stdin: '1 2\n', stdout: '3\n' },
  { stdin: '2 2\n', stdout: '4\n' },
  { stdin: '0 0\n', stdout: '0\n' },
  { stdin: '3 4\n', stdout: '7\n' },
];
const python = {
  pass: 'a, b = map(int, input().split())\nprint(a + b)',
  product: 'a, b = map(int, input().split())\nprint(a * b)',
  crash: 'a, b = map(int, input().split())\nprint(a // 0)',
};

describe('code.tests rewards are exact', () => {
  test('all mode: passing 1, partial 0, runtime error 0, each told apart in components and reason', async () => {
    const [pass, partial, crash] = await score({}, [
      { completion: fence('python', python.pass), reference: { tests: sumTests } },
      { completion: fence('python', python.product), reference: { tests: sumTests } },
      { completion: fence('python', python.crash), reference: { tests: sumTests } },
    ]);
    expect(pass).toMatchObject({ status: 'ok', reward: 1, components: { passed: 4, total: 4, all_passed: 1 } });
    expect(pass?.reason).toBe('all 4 tests passed');
    expect(partial).toMatchObject({ status: 'ok', reward: 0, components: { passed: 2, wrong_answer: 2, runtime_error: 0, compile_error: 0 } });
    expect(partial?.reason).toContain('2/4 tests passed; first failure: test 1 wrong answer');
    expect(crash).toMatchObject({ status: 'ok', reward: 0, components: { passed: 0, runtime_error: 4, wrong_answer: 0, timeout: 0 } });
    expect(crash?.reason).toContain('runtime error');
    expect(crash?.reason).toContain('ZeroDivisionError');
  });

  test('fraction mode gives passed/total', async () => {
    const [partial, pass] = await score({ mode: 'fraction' }, [
      { completion: fence('py', python.product), reference: { tests: sumTests } },
      { completion: fence('python', python.pass), reference: { tests: sumTests } },
    ]);
    expect(partial?.reward).toBe(0.5);
    expect(pass?.reward).toBe(1);
  });

  test('a C++ compile error is its own outcome, with the compiler message', async () => {
    const [result] = await score({ mode: 'fraction' }, [
      { completion: fence('cpp', '#include <cstdio>\nint main() { int a, b; scanf("%d %d", &a, &b); printf("%d\\n", a + b) }'), reference: { tests: sumTests } },
    ]);
    expect(result).toMatchObject({ status: 'ok', reward: 0, components: { compile_error: 1, passed: 0, runtime_error: 0, wrong_answer: 0 } });
    expect(result?.reason).toMatch(/^compile error: .*error: expected .;. before/s);
  });

  test('C++ is compiled once per submission and the binary serves every test', async () => {
    let prepares = 0;
    const inner = createLocalBackend('bwrap');
    const counting: ExecutionBackend = {
      name: 'bwrap',
      prepare: (program, options) => {
        prepares += 1;
        return inner.prepare(program, options);
      },
    };
    const [result] = await (await createCodeTestsReward({ mode: 'fraction' }, {}, { executionBackend: counting })).score(
      [{ completion: fence('c++', '#include <cstdio>\nint main() { long a, b; scanf("%ld %ld", &a, &b); printf("%ld\\n", a + b); }'), reference: { tests: sumTests } }],
      context(),
    );
    expect(result?.reward).toBe(1);
    expect(prepares).toBe(1);
  });

  test('crashes in C++ and JavaScript are runtime errors with the signal or the exception', async () => {
    const [segfault, thrown] = await score({}, [
      { completion: fence('cpp', 'int main() { volatile int *p = nullptr; return *p; }'), reference: { tests: sumTests.slice(0, 1) } },
      { completion: fence('javascript', "throw new TypeError('bad input');"), reference: { tests: sumTests.slice(0, 1) } },
    ]);
    expect(segfault).toMatchObject({ status: 'ok', reward: 0, components: { runtime_error: 1, compile_error: 0 } });
    expect(segfault?.reason).toContain('killed by SIGSEGV');
    expect(thrown).toMatchObject({ status: 'ok', reward: 0, components: { runtime_error: 1 } });
    expect(thrown?.reason).toContain('TypeError: bad input');
  });

  test('a per-test timeout ends an infinite loop as a timeout, not a wrong answer', async () => {
    const [result] = await score({ mode: 'fraction' }, [
      {
        completion: fence('python', 'import sys\nif sys.stdin.read().strip() == "loop":\n    while True:\n        pass\nprint("ok")'),
        reference: { tests: [{ stdin: 'fine', stdout: 'ok' }, { stdin: 'loop', stdout: 'ok', timeout_ms: 500 }] },
      },
    ]);
    expect(result).toMatchObject({ reward: 0.5, components: { passed: 1, timeout: 1, wrong_answer: 0, runtime_error: 0 } });
    expect(result?.reason).toContain('test 2 timeout (time limit of 0.5 s exceeded)');
  });

  test('JavaScript stdin/stdout, function-call and assert tests', async () => {
    const results = await score({ mode: 'fraction' }, [
      {
        completion: fence('javascript', "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\nconsole.log(a + b);"),
        reference: { tests: sumTests },
      },
      {
        completion: fence('js', 'function pair(a, b) { return { sum: a + b, list: [a, b] }; }'),
        reference: { language: 'javascript', tests: [{ fn_name: 'pair', args: [1, 2], expected: { list: [1, 2], sum: 3 } }, { fn_name: 'pair', args: [1, 1], expected: { sum: 3, list: [1, 1] } }] },
      },
      {
        completion: fence('js', 'const twice = (x) => x * 2;'),
        reference: { tests: [{ assert: 'assert.strictEqual(twice(2), 4);' }, { assert: 'assert.strictEqual(twice(2), 5);' }] },
      },
    ]);
    expect(results.map((result) => result.reward)).toEqual([1, 0.5, 0.5]);
    expect(results[2]?.components).toMatchObject({ wrong_answer: 1, runtime_error: 0 });
  });

  test('Python function calls compare JSON values; a Solution class method is found', async () => {
    const results = await score({ mode: 'fraction' }, [
      {
        completion: fence('python', 'def f(a, b):\n    return (a + b, [a, b])'),
        reference: { tests: [{ fn_name: 'f', args: [1, 2], expected: [3, [1, 2]] }, { fn_name: 'f', args: [1, 2], expected: [3, [2, 1]] }] },
      },
      {
        completion: fence('python', 'class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n        for i, n in enumerate(nums):\n            if target - n in seen:\n                return [seen[target - n], i]\n            seen[n] = i'),
        reference: { fn_name: 'twoSum', tests: [{ args: [[2, 7, 11, 15], 9], expected: [0, 1] }, { args: [[3, 2, 4], 6], expected: [1, 2] }] },
      },
      {
        completion: fence('python', 'def g(x):\n    return x'),
        reference: { tests: [{ fn_name: 'missing', args: [1], expected: 1 }] },
      },
    ]);
    expect(results.map((result) => result.reward)).toEqual([0.5, 1, 0]);
    expect(results[2]?.components).toMatchObject({ runtime_error: 1 });
    expect(results[2]?.reason).toContain('function missing is not defined');
  });

  test('LeetCode-style code that assumes typing imports runs in the harness', async () => {
    const [result] = await score({}, [
      {
        completion: fence('python', 'class Solution:\n    def top(self, nums: List[int], k: int) -> List[int]:\n        return [n for n, _ in Counter(nums).most_common(k)]'),
        reference: { fn_name: 'top', tests: [{ args: [[1, 1, 1, 2, 2, 3], 2], expected: [1, 2] }] },
      },
    ]);
    expect(result?.reward).toBe(1);
  });

  test('cancelling the batch kills the runs and gives ABORTED errors, not zeros', async () => {
    const controller = new AbortController();
    const pending = (await createCodeTestsReward({ backend: 'bwrap', timeout_ms: 30000 })).score(
      [{ completion: fence('python', 'while True:\n    pass'), reference: { tests: [{ stdin: '', stdout: '' }] } }],
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 300);
    const [result] = await pending;
    expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'ABORTED' } });
  });

  test('HumanEval-style Python assert scripts', async () => {
    const [result] = await score({ mode: 'fraction' }, [
      {
        completion: fence('python', 'def add(a, b):\n    return a + b'),
        reference: { tests: [{ assert: 'assert add(1, 2) == 3' }, { assert: 'assert add(2, 2) == 5' }, { assert: 'assert add(1, 1) == 2\nassert undefined_name' }] },
      },
    ]);
    expect(result).toMatchObject({ reward: 1 / 3, components: { passed: 1, wrong_answer: 1, runtime_error: 1 } });
  });

  test('the verl/prime_code shape: inputs/outputs as stdin/stdout, and with fn_name', async () => {
    const results = await score({ mode: 'fraction' }, [
      { completion: fence('python', python.pass), reference: JSON.stringify({ inputs: ['1 2\n', '5 6\n'], outputs: ['3\n', '11\n'] }) },
      // outputs[i] may be wrapped in a one-element list, as in APPS call-based problems.
      { completion: fence('python', 'def mul(a, b):\n    return a * b'), reference: { inputs: [[2, 3], [4, 5]], outputs: [[6], 21], fn_name: 'mul' } },
    ]);
    expect(results.map((result) => result.reward)).toEqual([1, 0.5]);
  });

  test('float comparison accepts a rounding difference that whitespace comparison rejects', async () => {
    const rollout = { completion: fence('python', 'print(1 / 3)'), reference: { tests: [{ stdin: '', stdout: '0.333333333\n' }] } };
    const [strict] = await score({}, [rollout]);
    const [tolerant] = await score({ compare: 'float' }, [rollout]);
    expect(strict?.reward).toBe(0);
    expect(tolerant?.reward).toBe(1);
  });

  test('early stop leaves the tests after the first failure not run', async () => {
    const [result] = await score({ mode: 'fraction', early_stop: true }, [
      { completion: fence('python', python.product), reference: { tests: sumTests } },
    ]);
    expect(result).toMatchObject({ reward: 0, components: { passed: 0, wrong_answer: 1, not_run: 3 } });
  });

  test('no code block is a wrong answer with no_code, not an error', async () => {
    const [result] = await score({}, [{ completion: 'I think the answer is 3.', reference: { tests: sumTests } }]);
    expect(result).toMatchObject({ status: 'ok', reward: 0, components: { no_code: 1, total: 4 } });
  });

  test('a malformed reference is an INVALID_REFERENCE error for that rollout only', async () => {
    const results = await score({}, [
      { completion: fence('python', python.pass), reference: { tests: [{ stdin: '1 2' }] } },
      { completion: fence('python', python.pass), reference: { tests: sumTests } },
    ]);
    expect(results[0]).toMatchObject({ status: 'error', reward: null, error: { code: 'INVALID_REFERENCE' } });
    expect(results[0]?.reason).toContain('reference.tests[0]');
    expect(results[1]?.reward).toBe(1);
  });

  test('a missing toolchain is a DEPENDENCY_UNAVAILABLE error naming the tool, never a 0', async () => {
    const [result] = await score({ languages: { zig: { source: 'main.zig', run: ['zig-not-installed-here', 'run', 'main.zig'] } } }, [
      { completion: fence('zig', 'pub fn main() void {}'), reference: { tests: sumTests } },
    ]);
    expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'DEPENDENCY_UNAVAILABLE' } });
    expect(result?.reason).toContain('zig-not-installed-here');
  });

  test('an unavailable sandbox is a SANDBOX_UNAVAILABLE error that says what to install', async () => {
    for (const kind of ['bwrap', 'process'] as const) {
      const backend = createLocalBackend(kind, { searchPath: '/nonexistent' });
      const [result] = await (await createCodeTestsReward({}, {}, { executionBackend: backend })).score(
        [{ completion: fence('python', python.pass), reference: { tests: sumTests } }],
        context(),
      );
      expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'SANDBOX_UNAVAILABLE' } });
      expect(result?.reason).toContain(kind === 'bwrap' ? 'apt-get install bubblewrap' : 'util-linux');
    }
    // The same through the reward's own backend choice, with bwrap off the PATH.
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const [result] = await score({ backend: 'bwrap' }, [{ completion: fence('python', python.pass), reference: { tests: sumTests } }]);
      expect(result).toMatchObject({ status: 'error', reward: null, error: { code: 'SANDBOX_UNAVAILABLE' } });
      expect(result?.reason).toContain('bubblewrap');
    } finally {
      process.env.PATH = path;
    }
  });

  test('weighted mode: VeRPO difficulty weights from a store that persists across batches', async () => {
    const tests = [
      { stdin: 'easy', stdout: 'ok' },
      { stdin: 'hard', stdout: 'ok' },
    ];
    const easyOnly = fence('python', 'import sys\nprint("ok" if sys.stdin.read().strip() == "easy" else "no")');
    const hardOnly = fence('python', 'import sys\nprint("ok" if sys.stdin.read().strip() == "hard" else "no")');
    const both = fence('python', 'print("ok")');
    const store = new DifficultyStore();
    const scorer = await createCodeTestsReward({ backend: 'bwrap', mode: 'weighted' }, {}, { store });
    const first = await scorer.score(
      [
        { completion: easyOnly, reference: { tests } },
        { completion: both, reference: { tests } },
      ],
      context(),
    );
    // After this batch: easy 2/2 passes -> rate 3/4, weight 1/4; hard 1/2 -> rate 2/4, weight 1/2.
    // Normalised weights 1/3 and 2/3; easy-only earns dense 1/3, reward 0.5 * 1/3.
    expect(first[0]?.reward).toBeCloseTo(1 / 6, 12);
    expect(first[0]?.components).toMatchObject({ outcome: 0 });
    expect(first[0]?.components?.dense).toBeCloseTo(1 / 3, 12);
    expect(first[1]).toMatchObject({ reward: 1, components: { outcome: 1, dense: 1 } });

    const restored = DifficultyStore.fromJSON(JSON.parse(JSON.stringify(store.toJSON())));
    const second = await (await createCodeTestsReward({ backend: 'bwrap', mode: 'weighted' }, {}, { store: restored })).score(
      [{ completion: hardOnly, reference: { tests } }],
      context(),
    );
    // easy 2/3 -> rate 3/5; hard 2/3 -> rate 3/5: equal weights, dense 1/2, reward 1/4.
    expect(second[0]?.reward).toBeCloseTo(0.25, 12);
    expect(restored.stats(Object.keys(restored.toJSON().problems)[0] as string, 1)).toEqual({ attempts: 3, passes: 2 });
  });

  test('weighted mode with store_path saves after each batch and a new scorer picks the statistics up', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'mixreward-store-'));
    try {
      const tests = [
        { stdin: 'easy', stdout: 'ok' },
        { stdin: 'hard', stdout: 'ok' },
      ];
      const easyOnly = fence('python', 'import sys\nprint("ok" if sys.stdin.read().strip() == "easy" else "no")');
      await (await createCodeTestsReward({ backend: 'bwrap', mode: 'weighted', store_path: 'stats.json' }, { baseDir: folder })).score(
        [{ completion: easyOnly, reference: { tests } }],
        context(),
      );
      const saved = JSON.parse(readFileSync(join(folder, 'stats.json'), 'utf8'));
      expect(Object.values(saved.problems)).toEqual([[[1, 1], [1, 0]]]);
      const [result] = await (await createCodeTestsReward({ backend: 'bwrap', mode: 'weighted', store_path: join(folder, 'stats.json') })).score(
        [{ completion: easyOnly, reference: { tests } }],
        context(),
      );
      // easy 2/2 -> rate 3/4, weight 1/4; hard 0/2 -> rate 1/4, weight 3/4: dense 1/4, reward 1/8.
      expect(result?.reward).toBeCloseTo(0.125, 12);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('the plugin validates options and is exported in plugins', async () => {
    expect(plugins).toContain(codeTestsPlugin);
    await expect(createScorer(codeTestsPlugin, { mode: 'sometimes' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const scorer = await createScorer(codeTestsPlugin, { backend: 'bwrap', mode: 'fraction' });
    const [result] = await scorer.score([{ completion: fence('python', python.product), reference: { tests: sumTests } }], context());
    expect(result?.reward).toBe(0.5);
  });
});
