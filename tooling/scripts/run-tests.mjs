#!/usr/bin/env node
// `pnpm test`: one jest run over every workspace project, then the totals alone on the last line
// (`N passed, N failed`), summed from jest's --json report. Extra arguments go to jest
// (e.g. `pnpm test packages/math`). Skipped tests are counted on the line before the totals, with
// the system parts they need (`3 skipped (needs bwrap: 2, other: 1)`); under CI=true every skipped
// test counts as failed, since CI installs every part (tooling/jest-preset/system.js).
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
let skipped = 0;
const needs = new Map();
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  // A suite that fails to load counts as one failed test so it cannot hide.
  for (const suite of results.testResults) {
    if (suite.status === 'failed' && suite.assertionResults.length === 0) failed += 1;
    for (const test of suite.assertionResults) {
      if (test.status !== 'pending' && test.status !== 'todo' && test.status !== 'skipped') continue;
      skipped += 1;
      const names = [...(test.ancestorTitles ?? []), test.title].join(' ');
      const reason = /skipped: needs ([^\]]+)\]/.exec(names)?.[1] ?? 'other';
      needs.set(reason, (needs.get(reason) ?? 0) + 1);
    }
  }
} catch {
  failed += 1;
}
rmSync(dir, { recursive: true, force: true });
const ci = process.env.CI === 'true' || process.env.CI === '1';
if (skipped > 0) {
  const detail = [...needs].map(([reason, count]) => (reason === 'other' ? `other: ${count}` : `needs ${reason}: ${count}`)).join(', ');
  process.stdout.write(`\n${skipped} skipped (${detail})${ci ? ': CI=true runs every test, so each skipped test counts as failed' : ''}\n`);
  if (ci) failed += skipped;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
