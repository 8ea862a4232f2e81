#!/usr/bin/env node
// `pnpm check:packages`: publint --strict and @arethetypeswrong/cli --pack on every published package
// (packages/* and apps/* that are not private), after building them. Ends with
// `check:packages: N passed, N failed`. First: sync-package-metadata --check. The app is a CLI with an ESM-only library entry: attw runs
// with --profile esm-only everywhere (every package is "type": "module", no CommonJS build).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const dirs = ['packages', 'apps'].flatMap((folder) => readdirSync(join(root, folder)).map((name) => join(root, folder, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')) && JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true);

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(bin('turbo'), ['run', 'build', '--filter=mixreward...', '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}
let passed = 0;
let failed = 0;
// The shared metadata (engines, repository, files, LICENSE, workspace:^, zod peer) is in sync.
const sync = spawnSync(process.execPath, [join(root, 'tooling', 'scripts', 'sync-package-metadata.mjs'), '--check'], { cwd: root, encoding: 'utf8' });
if (sync.status === 0) passed += 1;
else failed += 1;
process.stdout.write(`${sync.status === 0 ? 'PASS' : 'FAIL'}  ${sync.stdout.trim()}\n`);
for (const dir of dirs) {
  for (const [tool, argv] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    const result = spawnSync(bin(tool), argv, { cwd: dir, encoding: 'utf8' });
    const ok = result.status === 0;
    if (ok) passed += 1;
    else failed += 1;
    process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  ${tool} ${dir.slice(root.length + 1)}\n`);
    if (!ok) process.stdout.write(`${result.stdout}${result.stderr}`.trim().split('\n').map((line) => `      ${line}`).join('\n') + '\n');
  }
}
process.stdout.write(`\ncheck:packages: ${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
