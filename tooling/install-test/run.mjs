#!/usr/bin/env node
// The install test: what a user gets from npm. Packs every published package (pnpm pack rewrites
// workspace:^ to a version range), installs each one ALONE with npm into a temporary folder outside
// the workspace (npm adds its declared peers; the sibling tarballs stand in for the internal
// dependencies, which are not on the registry yet), then
//   1. imports it from a plain ESM script and runs its README's first example,
//   2. type-checks the same example with the workspace's TypeScript (`tsc --noEmit`, skipLibCheck
//      off, so the published .d.ts files must resolve and check),
//   3. reports the installed size (du of node_modules),
// and installs the packed `mixreward` CLI globally (`npm i -g` into a temporary prefix) to run
// `mixreward list` and `mixreward score` through npm's bin symlink.
// Ends with `install-test: N passed, N failed` (exit 1 when any failed). Needs the npm registry.
// Options: --only core,math (a subset), --keep (leave the temporary folder), --no-build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const keep = args.includes('--keep');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Published packages: packages/* and apps/* that are not private. */
const packages = ['packages', 'apps'].flatMap((folder) =>
  readdirSync(join(root, folder))
    .map((name) => join(root, folder, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ json }) => json.private !== true),
);
const byName = new Map(packages.map((pkg) => [pkg.json.name, pkg]));

function sh(command, argv, options = {}) {
  const result = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`.slice(0, 6000));
  return result.stdout;
}

function run(command, argv, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, argv, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, out });
    });
  });
}

/** Internal (@mixreward/*, mixreward) dependencies, transitively. */
function internalClosure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(byName.get(name).json.dependencies ?? {})) if (byName.has(dep)) internalClosure(dep, seen);
  return seen;
}

/** The README's first ```ts/js block (the example every package README opens with). */
function firstExample(dir) {
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) return undefined;
  // Line-based: a closing fence is a line of its own (a string inside the example may hold ```).
  const match = /^```(?:ts|typescript|js|javascript)[ \t]*\n([\s\S]*?)^```[ \t]*$/m.exec(readFileSync(readme, 'utf8'));
  return match?.[1];
}

// README examples that need something an empty machine does not have: import only.
const importOnly = {
  '@mixreward/inference': 'the example loads models/reward, an ONNX model folder the user brings',
};

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'mixreward-install-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
if (!args.includes('--no-build')) sh('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=mixreward...', '--output-logs=errors-only'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
const tarballOf = new Map();
for (const { dir, json } of packages) {
  const before = new Set(readdirSync(tarballs));
  sh('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
  const added = readdirSync(tarballs).filter((file) => !before.has(file));
  tarballOf.set(json.name, join(tarballs, added[0]));
}

const results = [];
const sizes = [];
async function check(name) {
  const pkg = byName.get(name);
  const folder = join(work, name.replace('@', '').replace('/', '-'));
  mkdirSync(folder);
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'install-test', private: true, type: 'module' }, null, 2));
  const installs = [...internalClosure(name)].map((dep) => tarballOf.get(dep));
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...installs, '@types/node@^22'], { cwd: folder });
  if (install.code !== 0) return results.push({ name, step: 'npm install', ok: false, out: install.out });
  // The package alone: @types/node (installed for the type check) is not counted.
  const kb = (path) => Number(sh('du', ['-sk', path], { cwd: folder }).split('\t')[0]);
  sizes.push({ name, kb: kb('node_modules') - kb('node_modules/@types/node') });
  const example = firstExample(pkg.dir);
  // A CLI package's README example is shell: the global install below runs it.
  if (example === undefined && pkg.json.bin) return undefined;
  if (example === undefined) return results.push({ name, step: 'README example', ok: false, out: 'no ```ts block in the README' });
  const runnable = importOnly[name] ? `import * as pkg from '${name}';\nif (Object.keys(pkg).length === 0) throw new Error('empty module');\nconsole.log('imported ${name} (${importOnly[name]})');\n` : example;
  writeFileSync(join(folder, 'example.mjs'), runnable);
  const executed = await run(process.execPath, ['example.mjs'], { cwd: folder, timeoutMs: 60_000 });
  results.push({ name, step: 'run README example (ESM)', ok: executed.code === 0, out: executed.out });
  writeFileSync(join(folder, 'example.ts'), `${example}\nexport {};\n`);
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'es2023', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] }, files: ['example.ts'] }, null, 2),
  );
  const typed = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: folder });
  // skipLibCheck is off so our .d.ts files are checked; errors inside third-party declaration files
  // (e.g. @huggingface/tokenizers' extensionless imports under nodenext) are not ours to fix.
  const ours = typed.out.split('\n').filter((line) => /error TS/.test(line) && (!line.startsWith('node_modules/') || /^node_modules\/(@mixreward\/|mixreward\/)/.test(line)));
  results.push({ name, step: 'tsc --noEmit on the README example', ok: ours.length === 0 && (typed.code === 0 || typed.out.includes('error TS')), out: ours.join('\n') || typed.out });
}

async function checkGlobalCli() {
  const prefix = join(work, 'global');
  const all = [...internalClosure('mixreward')].map((dep) => tarballOf.get(dep));
  const install = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', ...all], { cwd: work });
  if (install.code !== 0) return results.push({ name: 'mixreward (npm i -g)', step: 'npm install -g', ok: false, out: install.out });
  const bin = join(prefix, 'bin', 'mixreward');
  const list = await run(bin, ['list'], { cwd: work });
  results.push({ name: 'mixreward (npm i -g)', step: 'mixreward list', ok: list.code === 0 && /math\.verify/.test(list.out), out: list.out.slice(0, 2000) });
  const score = await run(bin, ['score', '--reward', 'match.exact'], { cwd: work, input: '{"completion": "<think>2+2</think><answer>4</answer>", "reference": "4"}\n' });
  results.push({ name: 'mixreward (npm i -g)', step: 'mixreward score --reward match.exact', ok: score.code === 0 && /"reward":\s*1/.test(score.out), out: score.out.slice(0, 2000) });
}

const names = packages.map(({ json }) => json.name).filter((name) => !only || only.some((o) => name.endsWith(o)));
const queue = [...names];
const workers = Array.from({ length: 3 }, async () => {
  while (queue.length > 0) await check(queue.shift());
});
await Promise.all([...workers, !only || only.includes('cli') ? checkGlobalCli() : undefined]);

for (const result of results) {
  process.stdout.write(`${result.ok ? 'PASS' : 'FAIL'}  ${result.name}: ${result.step}\n`);
  if (!result.ok) process.stdout.write(`${result.out.trim().split('\n').slice(-30).map((line) => `      ${line}`).join('\n')}\n`);
}
process.stdout.write('\ninstalled size alone (du -sk node_modules: the package, its dependencies and npm-installed peers):\n');
for (const { name, kb } of sizes.sort((a, b) => a.name.localeCompare(b.name))) process.stdout.write(`  ${name.padEnd(24)} ${(kb / 1024).toFixed(1)} MB\n`);
if (!keep) rmSync(work, { recursive: true, force: true });
else process.stdout.write(`kept ${work}\n`);
const failed = results.filter((result) => !result.ok).length;
process.stdout.write(`\ninstall-test: ${results.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
process.exit(failed === 0 ? 0 : 1);
