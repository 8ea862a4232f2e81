#!/usr/bin/env node
// `pnpm sync:package-metadata` writes the publish metadata every published package shares
// (packages/* and apps/* that are not private): keywords, homepage, bugs, repository (with
// directory), engines, publishConfig, files (+ LICENSE, README.md), exports with the
// `@mixreward/source` condition first, internal dependencies as `workspace:^`, zod as a peer
// (option schemas cross package boundaries: one zod, the consumer's) — the app keeps zod as a
// dependency. It also copies the root LICENSE into each package. Idempotent.
// `--check` changes nothing and exits 1 listing the packages that drift (run by check:packages).
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
const repo = 'https://github.com/mixreward/mixreward';
const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines;
const common = ['reward', 'reinforcement-learning', 'rlhf', 'grpo', 'llm', 'mixreward'];
const order = ['name', 'version', 'private', 'description', 'keywords', 'homepage', 'bugs', 'repository', 'license', 'author', 'type', 'sideEffects', 'engines', 'bin', 'exports', 'main', 'types', 'files', 'scripts', 'dependencies', 'peerDependencies', 'peerDependenciesMeta', 'devDependencies', 'publishConfig'];
const drift = [];
for (const dir of ['packages', 'apps'].flatMap((folder) => readdirSync(join(root, folder)).map((name) => join(root, folder, name)))) {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) continue;
  const before = readFileSync(file, 'utf8');
  const pkg = JSON.parse(before);
  if (pkg.private === true) continue;
  const where = relative(root, dir);
  const isApp = where.startsWith('apps/');
  pkg.keywords = [...new Set([...common, ...(pkg.keywords ?? [])])];
  pkg.homepage = `${repo}/tree/main/${where}#readme`;
  pkg.bugs = { url: `${repo}/issues` };
  pkg.repository = { type: 'git', url: `git+${repo}.git`, directory: where };
  pkg.license ??= 'Apache-2.0';
  pkg.engines = { ...engines };
  pkg.publishConfig = { access: 'public', provenance: true };
  for (const entry of Object.values(pkg.exports ?? {})) {
    if (typeof entry !== 'object' || entry === null) continue;
    const source = entry['@mixreward/source'] ?? entry.source;
    if (source === undefined) continue;
    const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => key !== 'source' && key !== '@mixreward/source'));
    for (const key of Object.keys(entry)) delete entry[key];
    Object.assign(entry, { '@mixreward/source': source, ...rest });
  }
  if (pkg.exports && !pkg.exports['./package.json']) pkg.exports['./package.json'] = './package.json';
  pkg.files = [...new Set([...(pkg.files ?? ['dist']), 'README.md', 'LICENSE', ...(existsSync(join(dir, 'examples')) ? ['examples'] : [])])];
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, version] of Object.entries(pkg[field] ?? {})) if (version === 'workspace:*') pkg[field][name] = 'workspace:^';
  }
  if (!isApp && pkg.dependencies?.zod) {
    const range = pkg.dependencies.zod;
    delete pkg.dependencies.zod;
    pkg.peerDependencies = { zod: range, ...(pkg.peerDependencies ?? {}) };
    pkg.devDependencies = { ...(pkg.devDependencies ?? {}), zod: range };
  }
  const out = {};
  for (const key of order) if (key in pkg) out[key] = pkg[key];
  for (const key of Object.keys(pkg)) if (!(key in out)) out[key] = pkg[key];
  const after = `${JSON.stringify(out, null, 2)}\n`;
  const licenseMissing = !existsSync(join(dir, 'LICENSE')) || readFileSync(join(dir, 'LICENSE'), 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8');
  if (after !== before || licenseMissing) drift.push(where);
  if (!check) {
    writeFileSync(file, after);
    copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  }
}
if (check && drift.length > 0) {
  process.stdout.write(`package metadata drifts in: ${drift.join(', ')} (run pnpm sync:package-metadata)\n`);
  process.exit(1);
}
process.stdout.write(check ? 'package metadata: in sync\n' : `package metadata: ${drift.length} package(s) updated${drift.length ? `: ${drift.join(', ')}` : ''}\n`);
