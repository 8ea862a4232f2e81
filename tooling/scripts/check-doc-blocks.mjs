#!/usr/bin/env node
// `pnpm test:docs`: every code block of the guides (docs/guides/*.md) and the READMEs is tested.
//  - ```ts blocks are extracted, one module each, into .tmp/doc-blocks/ and type-checked together
//    by the workspace's TypeScript (strict, @mixreward/* mapped to the packages' sources). A block
//    that is a fragment, not a program, opts out with `<!-- doc-blocks: skip -->` on the line above.
//  - ```sh blocks: every line that runs the CLI (`pnpm -s mixreward list|score|validate …`, piped
//    input included) runs against the bundled samples and must exit 0 (guides from the repository
//    root, a package README from its package folder).
// Ends with `doc-blocks: N passed, N failed`. Options: --no-shell, --no-ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const docs = [
  ...readdirSync(join(root, 'docs', 'guides')).filter((name) => name.endsWith('.md')).map((name) => join(root, 'docs', 'guides', name)),
  join(root, 'README.md'),
  ...['packages', 'apps'].flatMap((folder) => readdirSync(join(root, folder)).map((name) => join(root, folder, name, 'README.md'))),
].filter((file) => existsSync(file));

/** Fenced blocks with their language, first line number, and whether the line above opts out. */
function blocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^```(\w*)\s*$/.exec(lines[index]);
    if (!open) continue;
    const end = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line));
    if (end === -1) break;
    found.push({ lang: open[1], line: index + 1, body: lines.slice(index + 1, end).join('\n'), skip: /doc-blocks:\s*skip/.test(lines[index - 1] ?? '') });
    index = end;
  }
  return found;
}

let passed = 0;
let failed = 0;
const report = (ok, what, detail = '') => {
  if (ok) passed += 1;
  else failed += 1;
  process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  ${what}\n${!ok && detail ? `${detail.trim().split('\n').slice(0, 30).map((line) => `      ${line}`).join('\n')}\n` : ''}`);
};

if (!args.includes('--no-ts')) {
  const out = join(root, '.tmp', 'doc-blocks');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const files = [];
  for (const doc of docs) {
    for (const block of blocks(doc)) {
      if (!['ts', 'typescript'].includes(block.lang) || block.skip) continue;
      const name = `${relative(root, doc).replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}.ts`;
      writeFileSync(join(out, name), `// ${relative(root, doc)}:${block.line}\n${block.body}\nexport {};\n`);
      files.push({ name, where: `${relative(root, doc)}:${block.line}` });
    }
  }
  const paths = { '@mixreward/model-builder': ['../../tooling/model-builder/src/index.ts'] };
  for (const folder of readdirSync(join(root, 'packages'))) paths[`@mixreward/${folder}`] = [`../../packages/${folder}/src/index.ts`];
  paths.mixreward = ['../../apps/mixreward/src/index.ts'];
  // zod is every package's peer: the blocks import the workspace's copy.
  paths.zod = ['../../packages/core/node_modules/zod/index.d.ts'];
  // A user's settings (strict), not the repository's stricter ones.
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'es2023', module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: true, noEmit: true, rootDir: '../..', paths, types: ['node'], typeRoots: ['../../node_modules/@types'] },
    files: files.map((file) => file.name),
  }, null, 2));
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(out, 'tsconfig.json')], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const output = `${tsc.stdout}${tsc.stderr}`;
  for (const file of files) {
    const errors = output.split('\n').filter((line) => line.includes(file.name));
    report(errors.length === 0, `tsc ${file.where}`, errors.join('\n'));
  }
  const elsewhere = output.split('\n').filter((line) => /error TS/.test(line) && !files.some((file) => line.includes(file.name)));
  if (elsewhere.length > 0) report(false, 'tsc (errors outside the blocks)', elsewhere.join('\n'));
}

if (!args.includes('--no-shell')) {
  for (const doc of docs) {
    const cwd = dirname(doc).startsWith(join(root, 'docs')) ? root : dirname(doc);
    for (const block of blocks(doc)) {
      if (!['sh', 'bash', 'shell'].includes(block.lang) || block.skip) continue;
      const commands = block.body.replace(/\\\n\s*/g, ' ').split('\n').map((line) => line.replace(/\s+#.*$/, '').trim())
        .filter((line) => /pnpm -s mixreward (list|score|validate)\b/.test(line));
      for (const command of commands) {
        const run = spawnSync('bash', ['-o', 'pipefail', '-c', command], { cwd, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 << 20 });
        report(run.status === 0, `sh ${relative(root, doc)}:${block.line}: ${command.slice(0, 100)}`, `exit ${run.status}\n${run.stdout.slice(-1500)}${run.stderr.slice(-1500)}`);
      }
    }
  }
}
process.stdout.write(`\ndoc-blocks: ${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
