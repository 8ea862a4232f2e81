import { runCode } from './run-code.js';

describe('runCode', () => {
  test('runs a program with stdin in the sandbox', async () => {
    const result = await runCode({ code: 'import os\nprint(input()[::-1], os.getcwd(), len(os.environ) < 10)', stdin: 'abc\n' });
    expect(result).toMatchObject({ status: 'exited', exitCode: 0, stdout: 'cba /work True\n', compile: null });
  });

  test('C++ is compiled first; a compile failure is reported as compile_error', async () => {
    const good = await runCode({ language: 'c++', code: '#include <cstdio>\nint main() { puts("built"); return 3; }' });
    expect(good).toMatchObject({ status: 'exited', exitCode: 3, stdout: 'built\n', compile: { exitCode: 0 } });
    const bad = await runCode({ language: 'cpp', code: 'int main() { return missing; }' });
    expect(bad.status).toBe('compile_error');
    expect(bad.stderr).toContain('missing');
  });

  test('limits apply: wall time and signals', async () => {
    expect((await runCode({ language: 'javascript', code: 'for (;;) {}', limits: { timeoutMs: 500 } })).status).toBe('timeout');
    const crash = await runCode({ language: 'cpp', code: '#include <cstdlib>\nint main() { abort(); }' });
    expect(crash).toMatchObject({ status: 'exited', exitCode: null, signal: 'SIGABRT' });
  });
});
