import fc from 'fast-check';
import { jsonEqual, normalizeWhitespace, outputsMatch, tokensMatch } from './compare.js';
import { extractCode, findCodeBlocks } from './extract.js';
import { callResultMarker, readCallResult } from './harness.js';
import { buildLanguageTable, findLanguage } from './languages.js';
import { adaptPrimeCode, parseCodeReference } from './test-cases.js';

const table = buildLanguageTable();

describe('code extraction', () => {
  test('the last block in the requested language wins over other languages and earlier blocks', () => {
    const completion = 'First try:\n```python\nprint(1)\n```\nIn C:\n```c\nint main(){}\n```\nFinal:\n```py\nprint(2)\n```\ntrailing words';
    expect(extractCode(completion, { table, language: findLanguage(table, 'python') })?.code).toBe('print(2)');
    expect(extractCode(completion, { table, language: findLanguage(table, 'python'), mode: 'first' })?.code).toBe('print(1)');
    expect(extractCode(completion, { table })).toMatchObject({ code: 'print(2)', tag: 'py', language: { name: 'python' } });
    expect(extractCode(completion, { table, language: findLanguage(table, 'c') })?.code).toBe('int main(){}');
  });

  test('a bare fence serves a requested language; an unclosed last block is kept; no block gives null', () => {
    expect(extractCode('```\nx = 1\n```', { table, language: findLanguage(table, 'python') })?.code).toBe('x = 1');
    expect(findCodeBlocks('```js\nconsole.log(1)')).toEqual([{ tag: 'js', code: 'console.log(1)', closed: false }]);
    expect(extractCode('no code here', { table })).toBeNull();
    expect(extractCode('print(3)', { table, mode: 'whole' })?.code).toBe('print(3)');
  });

  test('property: any code without fence lines round-trips through a fence', () => {
    fc.assert(
      fc.property(fc.array(fc.string().filter((line) => !line.includes('\n') && !/^[ \t]*(```|~~~)/.test(line) && line.trim() !== ''), { minLength: 1, maxLength: 8 }), (lines) => {
        const code = lines.join('\n');
        const blocks = findCodeBlocks(`intro\n\`\`\`python\n${code}\n\`\`\`\noutro`);
        expect(blocks).toEqual([{ tag: 'python', code, closed: true }]);
      }),
    );
  });
});

describe('output comparison', () => {
  test('whitespace mode ignores trailing spaces, CRLF and blank edges but not line structure', () => {
    expect(outputsMatch('3 \r\n4\n\n', '3\n4')).toBe(true);
    expect(outputsMatch('  1   2 ', '1 2')).toBe(true);
    expect(outputsMatch('3 4', '3\n4')).toBe(false);
    expect(outputsMatch('3\n', '3', 'exact')).toBe(false);
  });

  test('float mode compares numbers within the tolerance, token by token', () => {
    expect(outputsMatch('0.3333333333', '0.333333', 'float', 1e-6)).toBe(true);
    expect(outputsMatch('0.3334', '0.3333', 'float', 1e-6)).toBe(false);
    expect(outputsMatch('1000000.5', '1000000.0', 'float', 1e-6)).toBe(true); // relative above 1
    expect(outputsMatch('YES 1.0', 'YES 1', 'float')).toBe(true);
    expect(outputsMatch('NO 1.0', 'YES 1', 'float')).toBe(false);
  });

  test('float mode: an expected integer is matched exactly at any size, an expected decimal within the tolerance', () => {
    expect(tokensMatch('999999937', '999999929', 1e-6)).toBe(false); // 8e-9 relative: within 1e-6, still wrong
    expect(tokensMatch('999999929', '999999929', 1e-6)).toBe(true);
    expect(tokensMatch('+7', '7', 1e-6)).toBe(true);
    expect(tokensMatch('-0', '0', 1e-6)).toBe(true);
    expect(tokensMatch('7.000', '7', 1e-6)).toBe(true);
    expect(tokensMatch('7.001', '7', 1)).toBe(false); // a tolerance never applies to an expected integer
    expect(tokensMatch('7e0', '7', 1e-6)).toBe(false);
    // beyond 2^53 doubles cannot tell these apart; the integers can
    expect(tokensMatch('12345678901234567891', '12345678901234567890', 1e-6)).toBe(false);
    expect(tokensMatch('1000', '1e3', 1e-6)).toBe(true); // expected has an exponent: numeric
    expect(tokensMatch('2.3333333333333335', '2.333333', 1e-6)).toBe(true);
    expect(tokensMatch('2.3334', '2.333333', 1e-6)).toBe(false);
    expect(tokensMatch('Infinity', '2.5', 1e-6)).toBe(false);
    expect(outputsMatch('999999937\n', '999999929\n', 'float', 1e-6)).toBe(false);
  });

  test('function results: tolerance only for non-integer expected numbers', () => {
    expect(jsonEqual(31.500000000000004, 31.5, 1e-6)).toBe(true);
    expect(jsonEqual(31.500000000000004, 31.5)).toBe(false);
    expect(jsonEqual(3.0000000000000004, 3, 1e-6)).toBe(false);
    expect(jsonEqual([1, 2, 3.0000000000000004], [1, 2, 3], 1e-6)).toBe(false);
    expect(jsonEqual({ mean: 94.5, n: 2 }, { n: 2, mean: 94.49999999999999 }, 1e-6)).toBe(true);
    expect(jsonEqual(true, 1, 1e-6)).toBe(false);
    expect(jsonEqual('31.5', 31.5, 1e-6)).toBe(false);
  });

  test('property: normalisation is idempotent and whitespace mode is reflexive under it', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(normalizeWhitespace(normalizeWhitespace(text))).toBe(normalizeWhitespace(text));
        expect(outputsMatch(`${text}  \n\n`, text)).toBe(true);
      }),
    );
  });

  test('JSON values compare deeply, numbers by value, keys in any order', () => {
    expect(jsonEqual({ a: [1, 2.0], b: null }, { b: null, a: [1, 2] })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual(0.30000000000000004, 0.3)).toBe(false);
    expect(jsonEqual(0.30000000000000004, 0.3, 1e-9)).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    fc.assert(fc.property(fc.jsonValue(), (value) => expect(jsonEqual(JSON.parse(JSON.stringify(value)), value)).toBe(true)));
  });

  test('the harness result is read after the last marker', () => {
    const marker = callResultMarker();
    expect(readCallResult(`noise\n${marker}[1]\nmore\n${marker}{"a":2}\n`, marker)).toEqual({ found: true, value: { a: 2 } });
    expect(readCallResult('no marker', marker)).toEqual({ found: false });
    // another run's marker (or a guessed one) is not this run's result
    expect(readCallResult(`\n${callResultMarker()}42\n`, marker)).toEqual({ found: false });
  });
});

describe('reference parsing', () => {
  test('native tests of all three kinds with per-test timeouts', () => {
    expect(
      parseCodeReference({
        language: 'cpp',
        tests: [{ stdin: '1', stdout: '2', timeout_s: 3 }, { fn_name: 'f', args: [1, 'a'], expected: 3 }, { assert: 'assert f(1) == 3' }],
      }),
    ).toEqual({
      language: 'cpp',
      tests: [
        { kind: 'stdio', stdin: '1', stdout: '2', timeoutMs: 3000 },
        { kind: 'call', fnName: 'f', args: [1, 'a'], expected: 3 },
        { kind: 'assert', code: 'assert f(1) == 3' },
      ],
    });
  });

  test('a top-level timeout applies to the tests without their own (timeout_ms, or timeout_s in seconds)', () => {
    expect(parseCodeReference({ timeout_s: 2, tests: [{ stdin: '', stdout: '' }, { stdin: '', stdout: '', timeout_ms: 9000 }] }).tests.map((test) => test.timeoutMs)).toEqual([2000, 9000]);
    expect(parseCodeReference({ timeout_ms: 250, tests: [{ stdin: '', stdout: '' }, { stdin: '', stdout: '', timeout_s: 1.5 }] }).tests.map((test) => test.timeoutMs)).toEqual([250, 1500]);
  });

  test('verl/prime_code: inputs/outputs, fn_name with lines of JSON args, APPS input_output strings', () => {
    expect(adaptPrimeCode({ inputs: [['1', '2']], outputs: [['3']] })).toEqual([{ kind: 'stdio', stdin: '1\n2', stdout: '3' }]);
    expect(adaptPrimeCode({ inputs: ['[1, 2]\n"x"'], outputs: ['[3]'], fn_name: 'f' })).toEqual([
      { kind: 'call', fnName: 'f', args: [[1, 2], 'x'], expected: [3], alternatives: [3] },
    ]);
    expect(parseCodeReference({ input_output: JSON.stringify({ inputs: ['5\n'], outputs: ['25\n'] }) }).tests).toEqual([{ kind: 'stdio', stdin: '5\n', stdout: '25\n' }]);
  });

  test.each([
    [{}, 'reference has no tests'],
    [{ tests: [] }, 'reference has no tests'],
    [{ tests: [{ stdin: '1' }] }, 'reference.tests[0] has no stdout'],
    [{ tests: [{ fn_name: 'f(', args: [], expected: 1 }] }, 'reference.tests[0].fn_name'],
    [{ tests: [{ stdin: '', stdout: '', timeout_s: -1 }] }, 'timeout_s'],
    [{ inputs: ['1'], outputs: [] }, 'outputs has 0'],
    ['not json', 'not JSON'],
    [42, 'must be an object'],
  ])('%j is rejected naming the field', (reference, message) => {
    expect(() => parseCodeReference(reference)).toThrow(expect.objectContaining({ code: 'INVALID_REFERENCE', message: expect.stringContaining(message) }));
  });

  test('checker settings: reference-level compare and float_tolerance apply to tests without their own; a tolerance alone means float', () => {
    const parsed = parseCodeReference({
      float_tolerance: 1e-4,
      tests: [{ stdin: '', stdout: '1' }, { stdin: '', stdout: '2', compare: 'exact' }, { stdin: '', stdout: '3', float_tolerance: 0.5 }, { assert: 'assert True' }],
    });
    expect(parsed.tests).toEqual([
      { kind: 'stdio', stdin: '', stdout: '1', compare: 'float', floatTolerance: 1e-4 },
      { kind: 'stdio', stdin: '', stdout: '2', compare: 'exact', floatTolerance: 1e-4 },
      { kind: 'stdio', stdin: '', stdout: '3', compare: 'float', floatTolerance: 0.5 },
      { kind: 'assert', code: 'assert True' },
    ]);
    expect(parseCodeReference({ compare: 'exact', float_tolerance: 0.1, inputs: ['1'], outputs: ['2'] }).tests).toEqual([
      { kind: 'stdio', stdin: '1', stdout: '2', compare: 'exact', floatTolerance: 0.1 },
    ]);
    expect(parseCodeReference({ tests: [{ stdin: '', stdout: '1' }] }).tests).toEqual([{ kind: 'stdio', stdin: '', stdout: '1' }]);
  });

  test('users extend the language table', () => {
    const extended = buildLanguageTable({ lua: { source: 'main.lua', run: ['lua', 'main.lua'], fences: ['Lua'] } });
    expect(findLanguage(extended, 'lua')).toMatchObject({ name: 'lua', fences: ['lua'], run: ['lua', 'main.lua'] });
    expect(findLanguage(extended, 'c++')?.name).toBe('cpp');
  });
});
