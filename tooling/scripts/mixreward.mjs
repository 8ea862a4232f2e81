#!/usr/bin/env node
// `pnpm -s mixreward …`: runs the CLI from apps/mixreward/dist, building the workspace first when a
// source is newer than its build (turbo builds only what changed), so a user never has to know.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const projects = ['packages', 'apps'].flatMap((folder) =>
  readdirSync(join(root, folder)).map((name) => join(root, folder, name)).filter((dir) => existsSync(join(dir, 'tsconfig.build.json'))),
);

function newest(path) {
  let latest = 0;
  const stack = [path];
  while (stack.length > 0) {
    const current = stack.pop();
    let stats;
    try {
      stats = statSync(current);
    } catch {
      continue;
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(current)) if (entry !== 'node_modules' && entry !== '__fixtures__') stack.push(join(current, entry));
    } else if (!current.endsWith('.test.ts')) latest = Math.max(latest, stats.mtimeMs);
  }
  return latest;
}

function stale(dir) {
  const stamp = join(dir, 'dist', 'index.js');
  if (!existsSync(stamp) && !existsSync(join(dir, 'dist', 'cli.js'))) return true;
  const built = statSync(existsSync(stamp) ? stamp : join(dir, 'dist', 'cli.js')).mtimeMs;
  return Math.max(newest(join(dir, 'src')), newest(join(dir, 'package.json')), newest(join(dir, 'tsconfig.build.json'))) > built;
}

if (projects.some(stale)) {
  process.stderr.write('mixreward: building the workspace (first run or sources changed)…\n');
  const turbo = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');
  const build = spawnSync(turbo, ['run', 'build', '--filter=mixreward...', '--output-logs=errors-only', '--log-prefix=none'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    process.stderr.write('mixreward: the build failed (see above). Run `pnpm install` first if dependencies are missing.\n');
    process.exit(build.status ?? 1);
  }
}

const { main } = await import(pathToFileURL(join(root, 'apps', 'mixreward', 'dist', 'cli.js')).href);
process.exitCode = await main(process.argv.slice(2));
