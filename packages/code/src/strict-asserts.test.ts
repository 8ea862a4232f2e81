// Python assert tests compare strictly: objects whose class brings its own comparison (the
// always-equal object, an int or str subclass with its own __eq__, a list holding one) fail the
// assertion, while honest values compare as Python compares them. Each expected verdict is derived
// by hand in the comment next to it.
import { describeWith } from '@mixreward/jest-preset/system';
import type { RewardResult, Rollout } from '@mixreward/core';
import { type CodeTestsOptions, createCodeTestsReward } from './tests-reward.js';

// These tests run real programs in sandboxes; on a loaded machine one can take seconds. This is
// jest's budget per test, not an assertion about time.
(import.meta as ImportMeta & { jest: { setTimeout(ms: number): void } }).jest.setTimeout(60000);

const signal = () => ({ signal: new AbortController().signal });
const fence = (code: string) => `My solution:\n\n\`\`\`python\n${code}\n\`\`\`\n`;
async function score(rollouts: Rollout[], options: CodeTestsOptions = {}): Promise<RewardResult[]> {
  const scorer = await createCodeTestsReward({ backend: 'bwrap', mode: 'fraction', ...options });
  return scorer.score(rollouts, signal());
}
const rewards = (results: RewardResult[]) => results.map((result) => result.reward);
/** One rollout: `code` against assert scripts. */
const rollout = (code: string, ...asserts: string[]): Rollout => ({ completion: fence(code), reference: { tests: asserts.map((script) => ({ assert: script })) } });

const alwaysEqual = [
  'class Anything:',
  '    def __eq__(self, other):',
  '        return True',
  '    def __ne__(self, other):',
  '        return False',
  '    def __bool__(self):',
  '        return True',
  '    def __hash__(self):',
  '        return 0',
].join('\n');

describeWith(['bwrap', 'python3'], 'Python assert tests compare strictly', () => {
  test('the always-equal object fails ==, !=, and/all-joined and HumanEval-style check() asserts', async () => {
    const hack = `${alwaysEqual}\n\ndef add(a, b):\n    return Anything()`;
    const results = await score([
      rollout(hack, 'assert add(1, 2) == 3'),
      rollout(hack, 'assert add(1, 2) != 4'), // __ne__ is False, but a wrong answer 0 would pass: the operand is what fails
      rollout(hack, 'assert add(1, 2) == 3 and add(2, 2) == 4'),
      rollout(hack, 'assert all(add(x, x) == 2 * x for x in range(3))'),
      rollout(hack, 'def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(2, 3) == 5\n\ncheck(add)'),
      rollout(hack, 'assert 0 <= add(1, 2) < 10'),
      rollout(hack, 'assert add(1, 2) in [3, 4]'),
    ]);
    expect(rewards(results)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    for (const result of results) expect(result).toMatchObject({ components: { wrong_answer: 1, runtime_error: 0 } });
    expect(results[0]?.reason).toContain('strict comparison (mixreward): __main__.Anything defines its own __eq__');
  });

  test('pytest-style scripts: test functions defined and never called are run, as pytest collects them', async () => {
    const script = 'def test_small():\n    assert add(1, 2) == 3\n\ndef test_large():\n    assert add(10**12, 1) == 10**12 + 1\n\ndef helper(x):\n    assert False, "not a test"\n\ndef test_with_fixture(tmp_path):\n    assert False, "needs a fixture"';
    const results = await score([
      rollout('def add(a, b):\n    return a + b', script), // both tests pass; helper and the fixture test are not called
      rollout('def add(a, b):\n    return 0', script), // test_small fails
      rollout('def add(a, b):\n    return a + b if a < 100 else 0', script), // test_large fails
      rollout('def add(a, b):\n    return a + b\n\ndef test_own():\n    assert False', script), // the submission's own test function is not collected
    ]);
    expect(rewards(results)).toEqual([1, 0, 0, 1]);
    expect(results[1]).toMatchObject({ components: { wrong_answer: 1 } });
  });

  test('an int subclass or a str subclass with its own __eq__ fails; a list or dict holding a hostile object fails', async () => {
    const intSubclass = 'class Int(int):\n    def __eq__(self, other):\n        return True\n    __hash__ = int.__hash__\n\ndef add(a, b):\n    return Int(0)';
    const strSubclass = 'class Str(str):\n    def __eq__(self, other):\n        return True\n    __hash__ = str.__hash__\n\ndef greet(name):\n    return Str("")';
    const inList = `${alwaysEqual}\n\ndef pair():\n    return [1, Anything()]`;
    const inDict = `${alwaysEqual}\n\ndef table():\n    return {"a": [Anything()]}`;
    const results = await score([
      rollout(intSubclass, 'assert add(1, 2) == 3'),
      rollout(strSubclass, 'assert greet("Ann") == "Hello, Ann"'),
      rollout(inList, 'assert pair() == [1, 2]'),
      rollout(inDict, 'assert table() == {"a": [5]}'),
    ]);
    expect(rewards(results)).toEqual([0, 0, 0, 0]);
    expect(results[0]?.reason).toContain('__main__.Int defines its own __eq__');
    expect(results[1]?.reason).toContain('__main__.Str defines its own __eq__');
    expect(results[2]?.reason).toContain('__main__.Anything defines its own __eq__');
  });

  test('rebinding builtins or the namespace before the test runs does not reach the comparison', async () => {
    const tamper = [
      'import builtins',
      alwaysEqual,
      'builtins.type = lambda value: int',
      'builtins.isinstance = lambda value, kind: True',
      'builtins.exec = lambda *args, **kwargs: None',
      'def add(a, b):',
      '    scope = globals()',
      '    for name in list(scope):', // whatever else is callable in the namespace (a helper, were it there) now says yes
      '        if name not in ("add", "Anything", "builtins") and not name.startswith("__"):',
      '            scope[name] = lambda *args, **kwargs: True',
      '    return Anything()',
    ].join('\n');
    const [result] = await score([rollout(tamper, 'assert add(1, 2) == 3')]);
    expect(result).toMatchObject({ reward: 0, components: { wrong_answer: 1 } });
  });

  test('honest values compare as Python compares them: int and float, bool, None, nested containers, sets, Counter and dict', async () => {
    const results = await score([
      // 3.0 == 3 and True == 1 in Python: the harness keeps Python's numbers
      rollout('def half(x):\n    return x / 2', 'assert half(6) == 3', 'assert half(1) == 0.5', 'assert half(1) != 1'),
      rollout('def is_even(n):\n    return n % 2 == 0', 'assert is_even(2) == True', 'assert is_even(3) == 0', 'assert is_even(4) is True'),
      rollout('def nothing():\n    return None', 'assert nothing() == None', 'assert nothing() is None'),
      rollout(
        'def shape():\n    return {"a": [1, (2, 3.0)], "b": {"c": None}, "d": {1, 2}}',
        'assert shape() == {"b": {"c": None}, "a": [1, (2, 3)], "d": {2, 1}}',
        'assert shape()["d"] == frozenset([1, 2])',
        'assert (2, 3) in shape()["a"]',
      ),
      rollout(
        'from collections import Counter, namedtuple, defaultdict\nPoint = namedtuple("Point", "x y")\ndef count(s):\n    return Counter(s)\ndef origin():\n    return Point(0, 0)\ndef groups():\n    d = defaultdict(list)\n    d[1].append(2)\n    return d',
        'assert count("aab") == {"a": 2, "b": 1}',
        'assert origin() == (0, 0)',
        'assert groups() == {1: [2]}',
      ),
      // the honest wrong answers still fail: 2 != 3, {1, 2} != {1, 2, 3}
      rollout('def add(a, b):\n    return a * b', 'assert add(1, 2) == 3', 'assert add(2, 2) == 4'),
      rollout('def items():\n    return {1, 2}', 'assert items() == {1, 2, 3}'),
    ]);
    expect(rewards(results)).toEqual([1, 1, 1, 1, 1, 0.5, 0]);
  });

  test('chained comparisons keep short-circuit order, messages stay, and classes the test defines keep their own ==', async () => {
    const results = await score([
      // 0 > 5 is false, so boom() is never called and the whole condition is true
      rollout('def f():\n    return 5', 'def boom():\n    raise ValueError("evaluated")\n\nassert not (0 > f() < boom())'),
      rollout('def f():\n    return 5', 'assert f() == 6, "expected six"'),
      rollout(
        'def make(v):\n    return v',
        'class Box:\n    def __init__(self, v):\n        self.v = v\n    def __eq__(self, other):\n        return isinstance(other, Box) and self.v == other.v\n\nassert Box(make(1)) == Box(1)\nassert Box(make(2)) != Box(1)',
      ),
    ]);
    expect(rewards(results)).toEqual([1, 0, 1]);
    expect(results[1]?.reason).toContain('AssertionError: expected six');
  });
});
