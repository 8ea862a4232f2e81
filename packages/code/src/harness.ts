import { randomBytes } from 'node:crypto';
import { RewardError } from '@mixreward/core';
import type { Program } from './backend.js';
import type { LanguageSpec } from './languages.js';
import { pythonAssertHarness } from './python-assert-harness.js';

/**
 * A fresh marker for one function-call run: the harness prints the JSON result after it. It
 * travels on stdin, which the harness has read before the submission runs, so a submission cannot
 * print a result line of its own and exit.
 * @internal
 */
export function callResultMarker(): string {
  return `__MIXREWARD_RESULT_${randomBytes(12).toString('hex')}__`;
}

const pythonHarness = `import json as _mixreward_json
import sys as _mixreward_sys
_mixreward_request = _mixreward_json.loads(_mixreward_sys.stdin.read())
_mixreward_scope = {"__name__": "__mixreward_solution__", "__builtins__": __builtins__}
# The imports LeetCode-style solutions assume (as LiveCodeBench's harness provides them).
exec("from typing import *\\nimport bisect, collections, functools, heapq, itertools, math, re, string\\nfrom collections import *\\nfrom functools import *\\nfrom itertools import *\\nfrom heapq import *\\nfrom bisect import *\\nfrom math import *\\nfrom builtins import *\\nfrom typing import *", _mixreward_scope)
with open("solution.py", encoding="utf-8") as _mixreward_file:
    _mixreward_source = _mixreward_file.read()
exec(compile(_mixreward_source, "solution.py", "exec"), _mixreward_scope)


def _mixreward_find(name):
    parts = name.split(".")
    target = _mixreward_scope.get(parts[0])
    if target is None and isinstance(_mixreward_scope.get("Solution"), type):
        target = getattr(_mixreward_scope["Solution"](), parts[0], None)
    for part in parts[1:]:
        target = getattr(target, part, None)
    return target


def _mixreward_default(value):
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError("result of type %s is not JSON" % type(value).__name__)


_mixreward_function = _mixreward_find(_mixreward_request["fn"])
if not callable(_mixreward_function):
    _mixreward_sys.stderr.write("function %s is not defined\\n" % _mixreward_request["fn"])
    _mixreward_sys.exit(3)
_mixreward_result = _mixreward_function(*_mixreward_request["args"])
_mixreward_sys.stdout.flush()
_mixreward_sys.stdout.write("\\n" + _mixreward_request["marker"] + _mixreward_json.dumps(_mixreward_result, default=_mixreward_default) + "\\n")
_mixreward_sys.stdout.flush()
`;

const javascriptPrelude = `const __mixrewardRequest = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n`;

const javascriptEpilogue = `
;(async () => {
  const name = __mixrewardRequest.fn;
  let fn;
  try { fn = eval(name); } catch { fn = undefined; }
  if (typeof fn !== 'function' && module.exports && typeof module.exports[name] === 'function') fn = module.exports[name];
  let self;
  if (typeof fn !== 'function') {
    let solution;
    try { solution = eval('typeof Solution === "function" ? new Solution() : undefined'); } catch { solution = undefined; }
    if (solution && typeof solution[name] === 'function') { self = solution; fn = solution[name]; }
  }
  if (typeof fn !== 'function') { process.stderr.write('function ' + name + ' is not defined\\n'); process.exit(3); }
  const result = await fn.apply(self, __mixrewardRequest.args);
  process.stdout.write('\\n' + __mixrewardRequest.marker + JSON.stringify(result === undefined ? null : result) + '\\n');
})().catch((error) => { process.stderr.write((error && error.stack) || String(error)); process.stderr.write('\\n'); process.exit(1); });
`;

/** The program that runs stdin/stdout tests: the code alone. */
export function stdioProgram(language: LanguageSpec, code: string): Program {
  return { language, files: { [language.source]: code } };
}

/**
 * The program that runs function-call tests: the code plus a harness that reads
 * `{"fn": name, "args": [...], "marker": marker}` on stdin, calls the function (or a `Solution`
 * method) and prints its JSON value after the marker ({@link callResultMarker}). Python and
 * JavaScript have harnesses.
 * @throws RewardError('INVALID_REFERENCE') for other languages
 */
export function callProgram(language: LanguageSpec, code: string): Program {
  if (language.name === 'python') {
    return { language, files: { 'main.py': pythonHarness, 'solution.py': code } };
  }
  if (language.name === 'javascript') {
    const body = code.replace(/^(\s*)export\s+(default\s+)?/gm, '$1');
    return { language, files: { [language.source]: javascriptPrelude + body + javascriptEpilogue } };
  }
  throw new RewardError(
    'INVALID_REFERENCE',
    `function-call tests (fn_name) are supported for python and javascript, not ${language.name}: use stdin/stdout or assert tests`,
    { path: 'reference.tests' },
  );
}

/**
 * A fresh marker for assert scripts to print when they finish (random per submission).
 * @internal
 */
export function assertDoneMarker(): string {
  return `__MIXREWARD_ASSERTS_DONE_${randomBytes(12).toString('hex')}__`;
}

/** The languages whose assert scripts print the done marker (C and C++ only when the script is wrapped in a main). */
function printsMarker(language: LanguageSpec, script: string): boolean {
  if (language.name === 'python' || language.name === 'javascript') return true;
  return (language.name === 'cpp' || language.name === 'c') && !/\bmain\s*\(/.test(script);
}

/**
 * The program that runs one assert script: the code followed by the script, and then a line that
 * prints `marker` (JavaScript, and C/C++ scripts that are wrapped), so that a submission that exits
 * early with status 0 (`process.exit(0)` at load time) does not pass assertions that never ran. For
 * C and C++ a script without `main(` is wrapped in `int main() { … }` with `<assert.h>`; for
 * JavaScript, `assert` is node's `assert` module in the script's scope. Python runs the strict
 * harness ({@link pythonAssertHarness}) with the code in `solution.py` and the script in `test.py`;
 * it reads the marker on stdin ({@link assertInput}), so the marker is in no file the submission
 * could read.
 * @internal
 */
export function assertProgram(language: LanguageSpec, code: string, script: string, marker: string): Program {
  let source: string;
  if (language.name === 'python') {
    return { language, files: { [language.source]: pythonAssertHarness, 'solution.py': code, 'test.py': script } };
  }
  if (language.name === 'javascript') {
    source = `${code}\n;{\nconst assert = require('node:assert');\n${script}\n}\n;process.stdout.write('\\n${marker}\\n');\n`;
  } else if ((language.name === 'cpp' || language.name === 'c') && !/\bmain\s*\(/.test(script)) {
    source = `${code}\n#include <assert.h>\n#include <stdio.h>\nint main(void) {\n${script}\nprintf("\\n${marker}\\n");\nfflush(stdout);\nreturn 0;\n}\n`;
  } else {
    source = `${code}\n\n${script}\n`;
  }
  return { language, files: { [language.source]: source } };
}

/**
 * The standard input of an assert run: the done marker for Python (whose harness reads it before
 * the submission runs), else nothing.
 * @internal
 */
export function assertInput(language: LanguageSpec, marker: string): string {
  return language.name === 'python' ? marker : '';
}

/**
 * Whether an assert run that exited 0 got to the end of its script: its stdout holds `marker`
 * where the language prints one.
 * @internal
 */
export function assertionsFinished(language: LanguageSpec, stdout: string, marker: string, script: string): boolean {
  return !printsMarker(language, script) || stdout.includes(`\n${marker}`);
}

/** The harness's JSON result in a program's stdout (after the run's `marker`), or `{found: false}` when it printed none (or not JSON). */
export function readCallResult(stdout: string, marker: string): { found: true; value: unknown } | { found: false } {
  const at = stdout.lastIndexOf(`\n${marker}`);
  if (at < 0) return { found: false };
  const line = stdout.slice(at + 1 + marker.length).split('\n')[0] ?? '';
  try {
    return { found: true, value: JSON.parse(line) };
  } catch {
    return { found: false };
  }
}

/** True when a failed assert-test run failed on an assertion (a wrong answer) rather than another error. */
export function isAssertionFailure(language: LanguageSpec, stderr: string): boolean {
  if (language.name === 'python') return /^AssertionError\b/m.test(stderr);
  if (language.name === 'javascript') return /AssertionError/.test(stderr);
  if (language.name === 'cpp' || language.name === 'c') return /Assertion [`'].*' failed/.test(stderr);
  return /assert/i.test(stderr);
}
