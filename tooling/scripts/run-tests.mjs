#!/usr/bin/env node
// `pnpm test`: one jest run over every workspace project, then the totals alone on the last line
// (`N passed, N failed`), summed from jest's --json report. Extra arguments go to jest
// (e.g. `pnpm test packages/math`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const jestBin = join(require.resolve('jest/package.json'), '..', 'bin', 'jest.js');
const dir = mkdtempSync(join(tmpdir(), 'mixreward-jest-'));
const report = join(dir, 'report.json');
const nodeOptions = [process.env.NODE_OPTIONS ?? '', '--experimental-vm-modules', '--no-warnings=ExperimentalWarning']
  .join(' ')
  .trim();
const workers = process.env.JEST_WORKERS ?? '2';
const run = spawnSync(
  process.execPath,
  [jestBin, '--json', `--outputFile=${report}`, `--maxWorkers=${workers}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: nodeOptions } },
);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  // A suite that fails to load counts as one failed test so it cannot hide.
  for (const suite of results.testResults) {
    if (suite.status === 'failed' && suite.assertionResults.length === 0) failed += 1;
  }
} catch {
  failed += 1;
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
