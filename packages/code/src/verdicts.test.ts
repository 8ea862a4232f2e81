// Verdicts on submissions whose results are known by hand (issue 14, "## Code"): checker settings
// that travel with the problem, integers exact under float comparison, float tolerance for
// function results, exact pass fractions, and programs written to fool the checker. Each expected
// fraction is derived in the comment next to it; none comes from the code under test.
import type { RewardResult, Rollout } from '@mixreward/core';
import { type CodeTestsOptions, createCodeTestsReward } from './tests-reward.js';

// These tests run real programs in sandboxes; on a loaded machine one can take seconds. This is
// jest's budget per test, not an assertion about time.
(import.meta as ImportMeta & { jest: { setTimeout(ms: number): void } }).jest.setTimeout(60000);

const signal = () => ({ signal: new AbortController().signal });
const fence = (language: string, code: string) => `My solution:\n\n\`\`\`${language}\n${code}\n\`\`\`\n`;
async function score(options: CodeTestsOptions, rollouts: Rollout[]): Promise<RewardResult[]> {
  const scorer = await createCodeTestsReward({ backend: 'bwrap', mode: 'fraction', ...options });
  return scorer.score(rollouts, signal());
}
const rewards = (results: RewardResult[]) => results.map((result) => result.reward);

const divide = fence('python', 'a, b = map(int, input().split())\nprint(a / b)'); // 7/3 prints 2.3333333333333335
const divideRounded = fence('python', 'a, b = map(int, input().split())\nprint(round(a / b, 3))'); // 7/3 prints 2.333
const sevenThirds = [{ stdin: '7 3', stdout: '2.333333' }];

describe('checker settings travel with the problem (reference and test override the options)', () => {
  test('a reference float_tolerance means a float checker: the correct division passes, a wrong rounding fails', async () => {
    const results = await score({}, [
      // |2.3333333333333335 - 2.333333| = 3.3e-7 <= 1e-6 * 2.333333
      { completion: divide, reference: { float_tolerance: 1e-6, tests: sevenThirds } },
      // no checker on the problem: whitespace comparison of "2.3333333333333335" with "2.333333"
      { completion: divide, reference: { tests: sevenThirds } },
      // |2.333 - 2.333333| = 3.3e-4 > 2.3e-6
      { completion: divideRounded, reference: { float_tolerance: 1e-6, tests: sevenThirds } },
      // 3.3e-4 <= 1e-3 * 2.333333
      { completion: divideRounded, reference: { float_tolerance: 1e-3, tests: sevenThirds } },
    ]);
    expect(rewards(results)).toEqual([1, 0, 0, 1]);
  });

  test("the reference's tolerance wins over the reward's own", async () => {
    const results = await score({ compare: 'float', float_tolerance: 1e-9 }, [
      { completion: divide, reference: { float_tolerance: 1e-6, tests: sevenThirds } },
      { completion: divide, reference: { tests: sevenThirds } }, // 3.3e-7 > 1e-9 * 2.333333
    ]);
    expect(rewards(results)).toEqual([1, 0]);
  });

  test("a reference compare: exact wins over the reward's whitespace comparison", async () => {
    const trailingSpace = fence('python', 'print("3 ")');
    const results = await score({ compare: 'whitespace' }, [
      { completion: trailingSpace, reference: { compare: 'exact', tests: [{ stdin: '', stdout: '3\n' }] } },
      { completion: trailingSpace, reference: { tests: [{ stdin: '', stdout: '3\n' }] } },
    ]);
    expect(rewards(results)).toEqual([0, 1]);
  });

  test('a test carries its own compare and float_tolerance', async () => {
    const [result] = await score({}, [
      {
        completion: divide,
        reference: {
          float_tolerance: 1e-6,
          tests: [
            { stdin: '7 3', stdout: '2.333333' }, // the reference's float checker: passes
            { stdin: '1 8', stdout: '0.125', compare: 'exact' }, // prints "0.125\n": not byte-equal to "0.125"
            { stdin: '1 3', stdout: '0.33', float_tolerance: 0.01 }, // |0.3333… - 0.33| = 0.0033 <= 0.01
          ],
        },
      },
    ]);
    expect(result).toMatchObject({ reward: 2 / 3, components: { passed: 2, wrong_answer: 1 } });
    expect(result?.reason).toContain('test 2 wrong answer');
  });

  test('the verl/prime_code shape carries a top-level float_tolerance too', async () => {
    const results = await score({}, [
      { completion: divide, reference: { inputs: ['7 3\n'], outputs: ['2.333333\n'], float_tolerance: 1e-6 } },
      { completion: divide, reference: { inputs: ['7 3\n'], outputs: ['2.333333\n'] } },
    ]);
    expect(rewards(results)).toEqual([1, 0]);
  });

  test('a malformed checker setting is INVALID_REFERENCE naming the field', async () => {
    const results = await score({}, [
      { completion: divide, reference: { compare: 'fuzzy', tests: sevenThirds } },
      { completion: divide, reference: { tests: [{ stdin: '7 3', stdout: '2.333333', float_tolerance: -1 }] } },
    ]);
    expect(results[0]).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
    expect(results[0]?.reason).toContain('reference.compare must be one of whitespace, exact, float');
    expect(results[1]).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
    expect(results[1]?.reason).toContain('reference.tests[0].float_tolerance must be a number >= 0');
  });
});

describe('under compare: float, integers compare exactly', () => {
  test('C++ that goes through a float loses precision and fails; long long passes', async () => {
    // 999999929 as a float: the spacing of floats in [2^29, 2^30) is 64; 999999929 = 15624998*64 + 57,
    // so it rounds to 15624999*64 = 999999936 (within 1e-6 relative, which the old checker accepted).
    const throughFloat = fence('cpp', '#include <cstdio>\nint main() { long long n; scanf("%lld", &n); float x = n; printf("%.0f\\n", x); }');
    const exact = fence('cpp', '#include <cstdio>\nint main() { long long n; scanf("%lld", &n); printf("%lld\\n", n); }');
    const tests = [{ stdin: '999999929', stdout: '999999929' }];
    const results = await score({ compare: 'float' }, [
      { completion: throughFloat, reference: { tests } },
      { completion: exact, reference: { tests } },
    ]);
    expect(rewards(results)).toEqual([0, 1]);
    expect(results[0]?.reason).toContain('got "999999936\\n"');
  });

  test('Python that rounds 10^17 + 1 through a double fails; integer arithmetic passes', async () => {
    // float(10**17 + 1) == 1e17: the double nearest to 100000000000000001 is 10^17 (spacing 16 there).
    const tests = [{ stdin: '100000000000000001', stdout: '100000000000000001' }];
    const results = await score({ compare: 'float' }, [
      { completion: fence('python', 'n = int(input())\nprint(int(n * 1.0))'), reference: { tests } },
      { completion: fence('python', 'n = int(input())\nprint(n * 1)'), reference: { tests } },
      // a float printed in Python's repr: 1e+17, an exponent where an integer is expected
      { completion: fence('python', 'n = int(input())\nprint(float(n))'), reference: { tests } },
    ]);
    expect(rewards(results)).toEqual([0, 1, 0]);
  });

  test('integers with a zero fraction pass; the tolerance still applies to expected decimals on the same line', async () => {
    const tests = [{ stdin: '', stdout: '3 2.5' }];
    const results = await score({ compare: 'float' }, [
      { completion: fence('python', 'print("3.0 2.5000001")'), reference: { tests } }, // 3.0 is 3; |2.5000001 - 2.5| <= 2.5e-6
      { completion: fence('python', 'print("2.9999999 2.5")'), reference: { tests } }, // 2.9999999 is not the integer 3
      { completion: fence('python', 'print("3 nan")'), reference: { tests } },
      { completion: fence('python', 'print("3 1e400")'), reference: { tests } }, // infinity is never close
    ]);
    expect(rewards(results)).toEqual([1, 0, 0, 0]);
  });
});

describe('function-call tests: a non-integer expected float compares with the tolerance', () => {
  // cost(a, b, c) = (a + b) * c. The dataset's expected values were computed as a*c + b*c:
  // 0.1*105 + 0.2*105 = 31.5, while (0.1 + 0.2) * 105 = 31.500000000000004; and in the other
  // direction (0.7 + 0.2) * 105 = 94.49999999999999 while 0.7*105 + 0.2*105 = 94.5.
  const inOtherOrder = fence('python', 'def cost(a, b, c):\n    return (a + b) * c');
  const distributed = fence('python', 'def cost(a, b, c):\n    return a * c + b * c');

  test('a correct formula in another order passes; a wrong value fails', async () => {
    const results = await score({}, [
      { completion: inOtherOrder, reference: { fn_name: 'cost', tests: [{ args: [0.1, 0.2, 105], expected: 31.5 }] } },
      { completion: distributed, reference: { fn_name: 'cost', tests: [{ args: [0.7, 0.2, 105], expected: 94.49999999999999 }] } },
      { completion: fence('python', 'def cost(a, b, c):\n    return (a + b) * c + 0.1'), reference: { fn_name: 'cost', tests: [{ args: [0.1, 0.2, 105], expected: 31.5 }] } },
      // the verl/prime_code shape (expected wrapped in a list) gets the same tolerance
      { completion: inOtherOrder, reference: { fn_name: 'cost', inputs: [[0.1, 0.2, 105]], outputs: [[31.5]] } },
    ]);
    expect(rewards(results)).toEqual([1, 1, 0, 1]);
  });

  test('integers, lists of integers, strings and booleans stay exact', async () => {
    const results = await score({}, [
      // 0.1 * 3 = 0.30000000000000004, times 10 = 3.0000000000000004: not the integer 3
      { completion: fence('python', 'def count():\n    return 0.1 * 3 * 10'), reference: { tests: [{ fn_name: 'count', args: [], expected: 3 }] } },
      { completion: fence('python', 'def count():\n    return 3.0'), reference: { tests: [{ fn_name: 'count', args: [], expected: 3 }] } },
      { completion: fence('python', 'def ids():\n    return [1, 2, 0.1 * 3 * 10]'), reference: { tests: [{ fn_name: 'ids', args: [], expected: [1, 2, 3] }] } },
      { completion: fence('python', 'def name():\n    return "abc "'), reference: { tests: [{ fn_name: 'name', args: [], expected: 'abc' }] } },
      // Python's True == 1, but a boolean is not the number 1
      { completion: fence('python', 'def one():\n    return True'), reference: { tests: [{ fn_name: 'one', args: [], expected: 1 }] } },
      // a number is not its string
      { completion: fence('python', 'def cost(a, b, c):\n    return "31.5"'), reference: { fn_name: 'cost', tests: [{ args: [0.1, 0.2, 105], expected: 31.5 }] } },
    ]);
    expect(rewards(results)).toEqual([0, 1, 0, 0, 0, 0]);
  });

  test('compare: exact (on the test, or as the option) turns the tolerance off', async () => {
    const [onTest] = await score({}, [{ completion: inOtherOrder, reference: { fn_name: 'cost', tests: [{ args: [0.1, 0.2, 105], expected: 31.5, compare: 'exact' }] } }]);
    const [asOption] = await score({ compare: 'exact' }, [{ completion: inOtherOrder, reference: { fn_name: 'cost', tests: [{ args: [0.1, 0.2, 105], expected: 31.5 }] } }]);
    expect([onTest?.reward, asOption?.reward]).toEqual([0, 0]);
  });
});

describe('exact pass fractions of submissions with known results', () => {
  const sums = [
    { stdin: '1 2', stdout: '3' },
    { stdin: '2000000000 2000000000', stdout: '4000000000' },
    { stdin: '-5 5', stdout: '0' },
    { stdin: '1500000000 1000000000', stdout: '2500000000' },
    { stdin: '2147483647 0', stdout: '2147483647' },
  ];

  test('C++ a + b in int overflows on tests 2 and 4 (3/5); in long long it passes 5/5', async () => {
    // 4e9 and 2.5e9 exceed INT_MAX = 2147483647; 2147483647 + 0 does not.
    const results = await score({}, [
      { completion: fence('cpp', '#include <cstdio>\nint main() { int a, b; scanf("%d %d", &a, &b); int s = a + b; printf("%d\\n", s); }'), reference: { tests: sums } },
      { completion: fence('cpp', '#include <cstdio>\nint main() { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\\n", a + b); }'), reference: { tests: sums } },
    ]);
    expect(results[0]).toMatchObject({ reward: 3 / 5, components: { passed: 3, wrong_answer: 2 } });
    expect(results[1]).toMatchObject({ reward: 1, components: { passed: 5 } });
  });

  test('Python 1 + … + n with an off-by-one range passes only n = 0 (1/4); the closed form passes 4/4', async () => {
    const tests = [
      { stdin: '1', stdout: '1' }, // sum(range(1)) = 0
      { stdin: '0', stdout: '0' }, // sum(range(0)) = 0: the only pass
      { stdin: '3', stdout: '6' }, // 0+1+2 = 3
      { stdin: '10', stdout: '55' }, // 45
    ];
    const results = await score({}, [
      { completion: fence('python', 'n = int(input())\nprint(sum(range(n)))'), reference: { tests } },
      { completion: fence('python', 'n = int(input())\nprint(n * (n + 1) // 2)'), reference: { tests } },
    ]);
    expect(rewards(results)).toEqual([1 / 4, 1]);
  });

  test('JavaScript parseInt truncates 2.5 (2/3); Number passes 3/3; mode all gives 0 and 1', async () => {
    const tests = [
      { stdin: '3', stdout: '6' },
      { stdin: '2.5', stdout: '5' }, // parseInt("2.5") * 2 = 4
      { stdin: '-1', stdout: '-2' },
    ];
    const truncating = fence('javascript', "const x = parseInt(require('fs').readFileSync(0, 'utf8'));\nconsole.log(x * 2);");
    const correct = fence('javascript', "const x = Number(require('fs').readFileSync(0, 'utf8').trim());\nconsole.log(x * 2);");
    expect(rewards(await score({}, [{ completion: truncating, reference: { tests } }, { completion: correct, reference: { tests } }]))).toEqual([2 / 3, 1]);
    expect(rewards(await score({ mode: 'all' }, [{ completion: truncating, reference: { tests } }, { completion: correct, reference: { tests } }]))).toEqual([0, 1]);
  });

  test('a hard-coded answer passes exactly the tests whose answer it is (2/4)', async () => {
    const tests = [
      { stdin: '1 2', stdout: '3' },
      { stdin: '2 3', stdout: '5' },
      { stdin: '0 3', stdout: '3' },
      { stdin: '3 4', stdout: '7' },
    ];
    const [result] = await score({}, [{ completion: fence('python', 'print(3)'), reference: { tests } }]);
    expect(result).toMatchObject({ reward: 0.5, components: { passed: 2, wrong_answer: 2 } });
  });
});

describe('programs written to fool the checker', () => {
  const asserts = [{ assert: 'assert add(1, 2) == 3' }, { assert: 'assert add(2, 2) == 4' }];

  test('Python sys.exit(0) / os._exit(0) before the assertions does not pass them; the honest solution does', async () => {
    const results = await score({}, [
      { completion: fence('python', 'import sys\ndef add(a, b):\n    return a - b\nsys.exit(0)'), reference: { tests: asserts } },
      { completion: fence('python', 'import os\ndef add(a, b):\n    return 0\nos._exit(0)'), reference: { tests: asserts } },
      { completion: fence('python', 'def add(a, b):\n    return a + b'), reference: { tests: asserts } },
    ]);
    expect(rewards(results)).toEqual([0, 0, 1]);
    expect(results[0]).toMatchObject({ components: { runtime_error: 2, passed: 0 } });
    expect(results[0]?.reason).toContain('exited before the test script finished');
  });

  test('JavaScript process.exit(0) and a C++ exit(0) from a static initialiser do not pass assertions either', async () => {
    const results = await score({}, [
      { completion: fence('javascript', 'function add(a, b) { return 0; }\nprocess.exit(0);'), reference: { tests: [{ assert: 'assert.strictEqual(add(1, 2), 3);' }] } },
      { completion: fence('javascript', 'function add(a, b) { return a + b; }'), reference: { tests: [{ assert: 'assert.strictEqual(add(1, 2), 3);' }] } },
      {
        completion: fence('cpp', '#include <cstdlib>\nint add(int a, int b) { return 0; }\nstruct Leave { Leave() { std::exit(0); } } leave;'),
        reference: { tests: [{ assert: 'assert(add(1, 2) == 3);' }] },
      },
      { completion: fence('cpp', 'int add(int a, int b) { return a + b; }'), reference: { tests: [{ assert: 'assert(add(1, 2) == 3);' }] } },
    ]);
    expect(rewards(results)).toEqual([0, 1, 0, 1]);
  });

  test('a function-call submission cannot print a result line of its own and exit', async () => {
    // It tries the stdin request (already read by the harness: empty) and the marker's old fixed
    // spelling, prints the expected value after it, and exits before the harness can print.
    const forger = [
      'import json, os, sys',
      'request = sys.stdin.read()',
      'try:',
      '    marker = json.loads(request)["marker"]',
      'except Exception:',
      '    marker = "__MIXREWARD_RESULT__"',
      'sys.stdout.write("\\n" + marker + "42\\n")',
      'sys.stdout.flush()',
      'os._exit(0)',
      'def answer():',
      '    return 0',
    ].join('\n');
    const tests = [{ fn_name: 'answer', args: [], expected: 42 }];
    const results = await score({}, [
      { completion: fence('python', forger), reference: { tests } },
      { completion: fence('javascript', "process.stdout.write('\\n__MIXREWARD_RESULT__42\\n');\nprocess.exit(0);\nfunction answer() { return 0; }"), reference: { language: 'javascript', tests } },
      { completion: fence('python', 'def answer():\n    return 42'), reference: { tests } },
    ]);
    expect(rewards(results)).toEqual([0, 0, 1]);
    expect(results[0]).toMatchObject({ components: { runtime_error: 1 } });
    expect(results[0]?.reason).toContain('answer returned no JSON value');
  });

  test('an object that equals everything cannot pass a function-call test', async () => {
    const [result] = await score({}, [
      {
        completion: fence('python', 'class Anything:\n    def __eq__(self, other):\n        return True\n\ndef solve(x):\n    return Anything()'),
        reference: { tests: [{ fn_name: 'solve', args: [1], expected: 42 }] },
      },
    ]);
    expect(result).toMatchObject({ reward: 0, components: { runtime_error: 1 } });
  });

  test('the right answer followed by extra output, or printed to stderr only, fails', async () => {
    const tests = [{ stdin: '1 2', stdout: '3' }];
    const results = await score({}, [
      { completion: fence('python', 'print(3)\nprint(4)'), reference: { tests } },
      { completion: fence('python', 'import sys\nsys.stderr.write("3\\n")'), reference: { tests } },
      { completion: fence('python', 'print(3)\nprint(4)'), reference: { compare: 'float', tests } },
    ]);
    expect(rewards(results)).toEqual([0, 0, 0]);
  });
});

describe('a rollout without a reference', () => {
  test('is skipped naming rollout.reference; null and wrong shapes stay INVALID_REFERENCE; garbage completions are results', async () => {
    const results = await score({}, [
      { completion: divide },
      { completion: divide, reference: null },
      { completion: divide, reference: 17 },
      { ...(JSON.parse('{"completion": 42}') as Rollout), reference: { tests: sevenThirds } }, // a trainer sent a number
      { completion: '\u0000\u0007```python\n\u0000\n```', reference: { tests: sevenThirds } },
    ]);
    expect(results[0]).toMatchObject({ status: 'skipped', reward: null });
    expect(results[0]?.reason).toContain('no reference: code.tests needs rollout.reference');
    expect(results[1]).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
    expect(results[2]).toMatchObject({ status: 'error', error: { code: 'INVALID_REFERENCE' } });
    expect(results[3]).toMatchObject({ status: 'ok', reward: 0, components: { no_code: 1 } });
    expect(results[4]).toMatchObject({ status: 'ok', reward: 0 });
  });
});
