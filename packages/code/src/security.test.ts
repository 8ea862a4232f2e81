// Hostile programs in each language. Every test checks the harm from OUTSIDE the sandbox after the
// run: connections counted by a host server, a planted secret absent from everything the program
// printed, files absent on the host, no process left behind, a concurrent run unharmed.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionBackend } from './backend.js';
import type { ExecResult } from './exec.js';
import { builtinLanguages } from './languages.js';
import { type ExecutionLimits, defaultCompileLimits, defaultRunLimits } from './limits.js';
import { createLocalBackend } from './local-backend.js';
import { createExecutionPool, sandboxUidBase, sandboxUidCount } from './pool.js';

// These tests run real programs in sandboxes; on a loaded machine one can take seconds. This is
// jest's budget per test, not an assertion about time.
(import.meta as ImportMeta & { jest: { setTimeout(ms: number): void } }).jest.setTimeout(60000);

const secret = `file-secret-${randomBytes(12).toString('hex')}`;
const envSecret = `env-secret-${randomBytes(12).toString('hex')}`;
const marker = `mixreward-marker-${randomBytes(6).toString('hex')}`;
let secretDir: string;
let secretPath: string;
let outsideDir: string;
let server: Server;
let port: number;
let connections = 0;
const hostAddress =
  Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address ?? '127.0.0.1';

const pool = createExecutionPool(2);
const sandbox = createLocalBackend('bwrap', { pool });
const limited = createLocalBackend('process', { pool });

beforeAll(async () => {
  secretDir = mkdtempSync(join(tmpdir(), 'mixreward-secret-'));
  chmodSync(secretDir, 0o755);
  secretPath = join(secretDir, 'secret.txt');
  writeFileSync(secretPath, secret, { mode: 0o644 });
  outsideDir = mkdtempSync(join(tmpdir(), 'mixreward-outside-'));
  chmodSync(outsideDir, 0o777);
  process.env.MIXREWARD_PLANTED_SECRET = envSecret;
  server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  delete process.env.MIXREWARD_PLANTED_SECRET;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(secretDir, { recursive: true, force: true });
  rmSync(outsideDir, { recursive: true, force: true });
});

// Short limits only where a timeout is the expected end; generous ones where the program must finish.
const quick: ExecutionLimits = { ...defaultRunLimits, timeoutMs: 1500, cpuSeconds: 2, outputBytes: 64 * 1024 };
const generous: ExecutionLimits = { ...quick, timeoutMs: 10000, cpuSeconds: 10 };

async function run(backend: ExecutionBackend, language: 'python' | 'javascript' | 'cpp', code: string, limits = generous): Promise<ExecResult> {
  const spec = builtinLanguages[language];
  if (!spec) throw new Error(language);
  const program = await backend.prepare({ language: spec, files: { [spec.source]: code } }, { compileLimits: defaultCompileLimits });
  try {
    if (program.compile && program.compile.exitCode !== 0) throw new Error(`compile failed: ${program.compile.stderr}`);
    return await program.run({ stdin: '', limits });
  } finally {
    await program.dispose();
  }
}

/** Host processes that belong to a sandbox user of this process, or carry the marker. */
function leftovers(): string[] {
  const base = process.getuid?.() === 0 ? sandboxUidBase() : undefined;
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (/^State:\s+[ZX]/m.test(status)) continue;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const ownUser = base !== undefined && uid >= base && uid < base + sandboxUidCount;
      if (ownUser || cmdline.includes(marker)) found.push(`${entry}: ${cmdline}`);
    } catch {
      // gone
    }
  }
  return found;
}

/** Wait (up to 3 s) for the kernel to finish tearing a run down, then list what is left. */
async function settledLeftovers(): Promise<string[]> {
  let found = leftovers();
  for (let attempt = 0; attempt < 30 && found.length > 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = leftovers();
  }
  return found;
}

function printed(result: ExecResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

const exfiltrate = {
  python: () => `
import os, socket, glob

out = []
for host in ["127.0.0.1", "${hostAddress}", "1.1.1.1"]:
    try:
        s = socket.create_connection((host, ${port}), timeout=0.5); out.append("CONNECTED " + host)
    except Exception as e:
        out.append("no connect %s: %s" % (host, e))
for path in ["${secretPath}", "/proc/1/environ", "/proc/self/environ", "/etc/shadow"] + glob.glob("/proc/*/environ"):
    try:
        out.append(open(path, errors="replace").read())
    except Exception as e:
        out.append("no read %s: %s" % (path, e))
out.append(repr(dict(os.environ)))
for path in ["${outsideDir}/pwned-python", "/tmp/pwned-${marker}", "/usr/pwned-${marker}", "../pwned-${marker}"]:
    try:
        open(path, "w").write("pwned"); out.append("WROTE " + path)
    except Exception as e:
        out.append("no write %s: %s" % (path, e))
print("\\n".join(out))
`,
  javascript: () => `
const fs = require('fs'); const net = require('net');
const out = [];
for (const path of ['${secretPath}', '/proc/1/environ', '/proc/self/environ']) {
  try { out.push(fs.readFileSync(path, 'utf8')); } catch (e) { out.push('no read ' + path + ': ' + e.code); }
}
out.push(JSON.stringify(process.env));
for (const path of ['${outsideDir}/pwned-javascript', '/tmp/pwned-${marker}', '../pwned-${marker}']) {
  try { fs.writeFileSync(path, 'pwned'); out.push('WROTE ' + path); } catch (e) { out.push('no write ' + path + ': ' + e.code); }
}
let pending = 3;
for (const host of ['127.0.0.1', '${hostAddress}', '1.1.1.1']) {
  const socket = net.connect({ host, port: ${port}, timeout: 500 });
  const done = (what) => { out.push(what + ' ' + host); socket.destroy(); if (--pending === 0) console.log(out.join('\\n')); };
  socket.on('connect', () => done('CONNECTED')); socket.on('error', (e) => done('no connect ' + e.code)); socket.on('timeout', () => done('no connect timeout'));
}
`,
  cpp: () => `
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
extern char **environ;
int main() {
  const char *hosts[] = {"127.0.0.1", "${hostAddress}", "1.1.1.1"};
  for (const char *host : hosts) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{}; address.sin_family = AF_INET; address.sin_port = htons(${port});
    inet_pton(AF_INET, host, &address.sin_addr);
    if (fd >= 0 && connect(fd, (sockaddr *)&address, sizeof address) == 0) printf("CONNECTED %s\\n", host);
    else printf("no connect %s\\n", host);
    if (fd >= 0) close(fd);
  }
  const char *reads[] = {"${secretPath}", "/proc/1/environ", "/proc/self/environ"};
  for (const char *path : reads) {
    FILE *file = fopen(path, "r"); char buffer[4096] = {0};
    if (file) { fread(buffer, 1, sizeof buffer - 1, file); fclose(file); printf("READ %s\\n", buffer); } else printf("no read %s\\n", path);
  }
  for (char **variable = environ; *variable; ++variable) printf("%s\\n", *variable);
  const char *writes[] = {"${outsideDir}/pwned-cpp", "/tmp/pwned-${marker}", "../pwned-${marker}"};
  for (const char *path : writes) {
    FILE *file = fopen(path, "w");
    if (file) { fputs("pwned", file); fclose(file); printf("WROTE %s\\n", path); } else printf("no write %s\\n", path);
  }
}
`,
};

const hostile = {
  python: {
    forkBomb: 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass',
    memoryBomb: 'chunks = []\nfor _ in range(64):\n    chunks.append(bytearray(64 * 1024 * 1024))\nprint("ALLOCATED", sum(len(c) for c in chunks))',
    flood: 'import sys\nwhile True:\n    sys.stdout.write("x" * 65536)',
    loop: 'while True:\n    pass',
    detach: `import subprocess, os\nsubprocess.Popen(["sh", "-c", "sleep 30; echo ${marker}"], start_new_session=True)\nif os.fork() == 0:\n    os.setsid()\n    os.execvp("sh", ["sh", "-c", "sleep 31; echo ${marker}"])\nprint("parent done")`,
    killParent: 'import os, signal\nfor pid in [os.getppid(), 1, -1]:\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except Exception as e:\n        print("no kill", pid, e)\nprint("survived")',
  },
  javascript: {
    forkBomb: "const { spawn } = require('child_process');\nsetInterval(() => { for (let i = 0; i < 50; i++) { try { spawn(process.execPath, [__filename], { stdio: 'ignore' }).on('error', () => {}); } catch {} } }, 1);",
    memoryBomb: "const chunks = [];\nfor (let i = 0; i < 64; i++) chunks.push(Buffer.alloc(64 * 1024 * 1024, 1));\nconsole.log('ALLOCATED', chunks.length);",
    flood: "const chunk = 'x'.repeat(65536);\nfunction more() { while (process.stdout.write(chunk)); process.stdout.once('drain', more); }\nmore();",
    loop: 'for (;;) {}',
    detach: `const { spawn } = require('child_process');\nspawn('sh', ['-c', 'sleep 30; echo ${marker}'], { detached: true, stdio: 'ignore' }).unref();\nconsole.log('parent done');`,
    killParent: "for (const pid of [process.ppid, 1, -1]) { try { process.kill(pid, 'SIGKILL'); } catch (e) { console.log('no kill', pid, e.code); } }\nconsole.log('survived');",
  },
  cpp: {
    forkBomb: '#include <unistd.h>\nint main() { for (;;) fork(); }',
    memoryBomb:
      '#include <cstdio>\n#include <cstdlib>\n#include <cstring>\nint main() { size_t total = 0; for (int i = 0; i < 64; i++) { char *p = (char *)malloc(64u << 20); if (!p) { puts("refused"); return 1; } memset(p, 1, 64u << 20); total += 64u << 20; } printf("ALLOCATED %zu\\n", total); }',
    flood: '#include <cstdio>\nint main() { static char chunk[65536]; for (auto &c : chunk) c = \'x\'; for (;;) fwrite(chunk, 1, sizeof chunk, stdout); }',
    loop: 'int main() { volatile unsigned long n = 0; for (;;) n++; }',
    detach: `#include <cstdio>\n#include <unistd.h>\nint main() { if (fork() == 0) { setsid(); execlp("sh", "sh", "-c", "sleep 30; echo ${marker}", (char *)0); } puts("parent done"); }`,
    killParent:
      '#include <csignal>\n#include <cstdio>\n#include <unistd.h>\nint main() { kill(getppid(), SIGKILL); kill(1, SIGKILL); kill(-1, SIGKILL); puts("survived"); }',
  },
};

const languages = ['python', 'javascript', 'cpp'] as const;

describe.each(languages)('bwrap sandbox against hostile %s', (language) => {
  afterEach(async () => {
    expect(await settledLeftovers()).toEqual([]);
  });

  test('no network, no planted secret (file or environment), no writes outside the work dir', async () => {
    const before = connections;
    const result = await run(sandbox, language, exfiltrate[language]());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections).toBe(before);
    expect(printed(result)).not.toContain(secret);
    expect(printed(result)).not.toContain(envSecret);
    expect(printed(result)).not.toContain('CONNECTED');
    expect(printed(result)).toContain('no connect');
    expect(existsSync(join(outsideDir, `pwned-${language}`))).toBe(false);
    expect(existsSync(`/tmp/pwned-${marker}`)).toBe(false);
  });

  test('a fork bomb is contained and leaves nothing behind', async () => {
    const result = await run(sandbox, language, hostile[language].forkBomb, quick);
    expect(result.status === 'timeout' || result.exitCode !== 0 || result.signal !== null).toBe(true);
  });

  test('a memory bomb cannot allocate 4 GiB', async () => {
    const result = await run(sandbox, language, hostile[language].memoryBomb);
    expect(result.stdout).not.toContain('ALLOCATED');
    expect(result.exitCode === 0 && result.status === 'exited').toBe(false);
  }, 30000); // filling 1 GiB before the limit stops it takes seconds on a loaded machine: jest's budget, not an assertion

  test('an output flood is cut at the limit and fails', async () => {
    const result = await run(sandbox, language, hostile[language].flood);
    expect(result.status).toBe('output_limit');
    expect(Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr)).toBeLessThanOrEqual(generous.outputBytes);
  });

  test('an infinite loop times out', async () => {
    const result = await run(sandbox, language, hostile[language].loop, { ...quick, timeoutMs: 800 });
    expect(result.status).toBe('timeout');
  });

  test('a detached child does not outlive its run', async () => {
    const result = await run(sandbox, language, hostile[language].detach);
    expect(result.stdout).toContain('parent done');
  });

  test('killing the parent and everything else harms no concurrent run', async () => {
    const neighbour = run(sandbox, 'python', 'import time\ntime.sleep(0.4)\nprint("neighbour alive")');
    const attacker = await run(sandbox, language, hostile[language].killParent);
    expect(attacker.stdout).toContain('survived');
    const survivor = await neighbour;
    expect(survivor).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(survivor.stdout).toContain('neighbour alive');
  });
});

describe('bwrap isolation between concurrent runs', () => {
  test("a run cannot read another concurrent run's files", async () => {
    const otherSecret = `run-secret-${randomBytes(8).toString('hex')}`;
    const victim = run(sandbox, 'python', `open("data.txt", "w").write("${otherSecret}")\nimport time\ntime.sleep(1)\nprint("victim done")`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const thief = await run(
      sandbox,
      'python',
      `import glob, os
found = []
for pattern in ["/tmp/*/*/data.txt", "/tmp/**/data.txt", "/proc/*/cwd/data.txt", "/proc/*/root/work/data.txt", "../*/data.txt", "/*/data.txt", "/work/data.txt"]:
    for path in glob.glob(pattern, recursive=True):
        try:
            found.append(open(path).read())
        except Exception as e:
            found.append(str(e))
print("found", found)`,
    );
    expect((await victim).stdout).toContain('victim done');
    expect(printed(thief)).not.toContain(otherSecret);
    expect(thief.stdout).toContain('found');
  });
});

describe('process backend (limits only)', () => {
  afterEach(async () => {
    expect(await settledLeftovers()).toEqual([]);
  });

  test('a file larger than the file-size limit cannot be written', async () => {
    const result = await run(sandbox, 'python', 'with open("big.bin", "wb") as f:\n    f.write(b"x" * (8 * 1024 * 1024))\nprint("WROTE")', { ...generous, fileBytes: 1024 * 1024 });
    expect(result.stdout).not.toContain('WROTE');
    expect(result.signal === 'SIGXFSZ' || result.exitCode !== 0).toBe(true);
  });

  test('the work dir is a bounded tmpfs: filling it stops at its size and touches no host disk', async () => {
    const result = await run(
      sandbox,
      'python',
      'import os\ntotal = 0\ntry:\n    for i in range(100):\n        with open("f%d" % i, "wb") as f:\n            f.write(b"x" * (1024 * 1024))\n        total += 1\nexcept OSError as e:\n    print("stopped", e.errno)\nprint("MiB", total)',
      { ...generous, diskBytes: 8 * 1024 * 1024 },
    );
    expect(result.stdout).toContain('stopped 28');
    const written = Number(/MiB (\d+)/.exec(result.stdout)?.[1]);
    expect(written).toBeLessThanOrEqual(8);
  });

  test('the checks can see a leak: without namespaces the planted file and loopback are reachable', async () => {
    const before = connections;
    const result = await run(limited, 'python', exfiltrate.python());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(printed(result)).toContain(secret);
    expect(connections).toBeGreaterThan(before);
    // The environment is still cleared.
    expect(printed(result)).not.toContain(envSecret);
    rmSync(join(outsideDir, 'pwned-python'), { force: true });
    rmSync(`/tmp/pwned-${marker}`, { force: true });
  });

  test.each(['forkBomb', 'loop', 'detach'] as const)('%s leaves nothing behind', async (name) => {
    const result = await run(limited, 'python', hostile.python[name], name === 'detach' ? generous : { ...quick, timeoutMs: 800 });
    if (name === 'loop') expect(result.status).toBe('timeout');
    if (name === 'detach') expect(result).toMatchObject({ status: 'exited', exitCode: 0, stdout: 'parent done\n' });
  });

  test('memory and output limits hold', async () => {
    const memory = await run(limited, 'python', hostile.python.memoryBomb);
    expect(memory.stdout).not.toContain('ALLOCATED');
    const flood = await run(limited, 'python', hostile.python.flood);
    expect(flood.status).toBe('output_limit');
  }, 30000);
});
