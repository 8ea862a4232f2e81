import { runCode } from './run-code.js';

// These tests run real programs in sandboxes; on a loaded machine one can take seconds. This is
// jest's budget per test, not an assertion about time.
(import.meta as ImportMeta & { jest: { setTimeout(ms: number): void } }).jest.setTimeout(60000);

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

  test('a sandbox that cannot start is a SANDBOX_UNAVAILABLE fault, not a failing program', async () => {
    await expect(runCode({ code: 'print(1)', limits: { processes: 1 } })).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE', message: expect.stringContaining('could not start') });
  });

  test('the CPU-time limit ends a busy program as a timeout even when the wall limit is far', async () => {
    const result = await runCode({ code: 'while True:\n    pass', limits: { timeoutMs: 20000, cpuSeconds: 1 } });
    expect(result).toMatchObject({ status: 'timeout', signal: 'SIGXCPU' });
  });

  test('limits apply: wall time and signals', async () => {
    expect((await runCode({ language: 'javascript', code: 'for (;;) {}', limits: { timeoutMs: 500 } })).status).toBe('timeout');
    const crash = await runCode({ language: 'cpp', code: '#include <cstdlib>\nint main() { abort(); }' });
    expect(crash).toMatchObject({ status: 'exited', exitCode: null, signal: 'SIGABRT' });
  });
});
