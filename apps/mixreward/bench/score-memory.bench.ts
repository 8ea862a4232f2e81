// Memory of `mixreward score` on a large JSONL file: generates a format + math input of BENCH_BYTES
// (default 1 GB) and one of a tenth of that (the baseline, 100 MB by default) in a temporary folder,
// scores each with the CLI as a child process writing to /dev/null, samples the child's resident set
// (VmRSS, and the kernel's high-water mark VmHWM) every 50 ms, and prints one JSON line with both
// peaks and their ratio. Goal: flat (ratio near 1) and under 500 MB.
// Usage: BENCH_BYTES=100000000 node --conditions=source --import tsx bench/score-memory.bench.ts
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const bytes = Number(process.env.BENCH_BYTES ?? 1_000_000_000);
const dir = mkdtempSync(join(tmpdir(), 'mixreward-score-memory-'));
const config = join(dir, 'config.yaml');
writeFileSync(config, [
  'rewards:',
  '  format:   { use: format.tags, with: { tags: [think, answer] } }',
  '  accuracy: { use: math.verify }',
  'mix: "0.1*format + 0.9*accuracy"',
  '',
].join('\n'));

/** Write about `size` bytes of math rollouts (~8 KiB each: a long reasoning, a boxed answer). */
async function generate(path: string, size: number): Promise<number> {
  const out = createWriteStream(path);
  const filler = Array.from({ length: 120 }, (_, step) => `Step ${step + 1}: we carry the partial sum forward and check it against the previous line.`).join(' ');
  let written = 0;
  let lines = 0;
  while (written < size) {
    const a = lines % 997;
    const b = (lines * 7) % 991;
    const right = lines % 3 !== 0;
    const line = `${JSON.stringify({
      id: `r${lines}`,
      prompt: `What is ${a} + ${b}?`,
      completion: `<think>${filler} So ${a} + ${b} = ${a + b}.</think><answer>\\boxed{${right ? a + b : a + b + 1}}</answer>`,
      reference: String(a + b),
    })}\n`;
    written += Buffer.byteLength(line);
    lines++;
    if (!out.write(line)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return lines;
}

function statusKiB(pid: number, field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Run `score` on a file; the peak resident set of the child in MiB and the wall time in s. */
async function measure(input: string): Promise<{ peakRssMiB: number; seconds: number; code: number | null; stderr: string }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(appRoot, 'src', 'cli.ts'), 'score', '--config', config, '--input', input, '--output', '/dev/null', '--no-progress'], {
    cwd: appRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  let peak = 0;
  const sample = () => {
    const pid = child.pid as number;
    peak = Math.max(peak, statusKiB(pid, 'VmHWM') ?? 0, statusKiB(pid, 'VmRSS') ?? 0);
  };
  const timer = setInterval(sample, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  clearInterval(timer);
  return { peakRssMiB: peak / 1024, seconds: (Date.now() - started) / 1000, code, stderr };
}

try {
  const small = join(dir, 'small.jsonl');
  const large = join(dir, 'large.jsonl');
  const smallLines = await generate(small, bytes / 10);
  const baseline = await measure(small);
  rmSync(small);
  const largeLines = await generate(large, bytes);
  const run = await measure(large);
  rmSync(large);
  if (baseline.code !== 0 || run.code !== 0) throw new Error(`score failed (${baseline.code}, ${run.code}): ${run.stderr || baseline.stderr}`);
  process.stdout.write(`${JSON.stringify({
    bench: 'score-memory',
    config: 'format.tags + math.verify',
    baseline: { bytes: bytes / 10, lines: smallLines, peak_rss_mib: Number(baseline.peakRssMiB.toFixed(1)), seconds: Number(baseline.seconds.toFixed(1)) },
    run: { bytes, lines: largeLines, peak_rss_mib: Number(run.peakRssMiB.toFixed(1)), seconds: Number(run.seconds.toFixed(1)) },
    ratio: Number((run.peakRssMiB / baseline.peakRssMiB).toFixed(3)),
    goal: 'ratio near 1 and peak under 500 MiB',
  })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
