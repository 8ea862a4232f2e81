#!/usr/bin/env node
// `pnpm test:docs-browser`: opens the built documentation site (docs/site, from `pnpm run docs`) in a
// real browser (Debian's chromium driven by playwright-core; no browser download), served by a
// local static server; checks that the search finds `math.verify` and saves a screenshot to
// .tmp/docs-site.png. Ends with `docs-browser: N passed, N failed`.
// CHROMIUM=/path overrides the browser (default: chromium or chromium-browser on PATH).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const site = join(root, 'docs', 'site');
if (!existsSync(join(site, 'index.html'))) {
  process.stdout.write('docs/site is missing: run `pnpm run docs` first\n\ndocs-browser: 0 passed, 1 failed\n');
  process.exit(1);
}
const browserPath = process.env.CHROMIUM ?? ['chromium', 'chromium-browser'].map((name) => {
  try {
    return execFileSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}).find(Boolean);
if (!browserPath) {
  process.stdout.write('no chromium on PATH (apt-get install chromium)\n\ndocs-browser: 0 passed, 1 failed\n');
  process.exit(1);
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png' };
const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  let file = join(site, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!file.startsWith(site) || !existsSync(file)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

let passed = 0;
let failed = 0;
const check = (ok, what) => {
  if (ok) passed += 1;
  else failed += 1;
  process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  ${what}\n`);
};
const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url, { waitUntil: 'load' });
  check((await page.title()).includes('mixreward'), `the site opens (${url})`);
  check((await page.locator('a', { hasText: 'Writing a Mixed-Reward config' }).count()) > 0, 'the guides are in the navigation');
  // TypeDoc 0.28's search: a trigger opens a dialog with #tsd-search-input; results are links.
  const trigger = page.locator('#tsd-search-trigger');
  if ((await trigger.count()) > 0) await trigger.click();
  await page.locator('#tsd-search-input').fill('math.verify');
  const results = page.locator('#tsd-search-results li');
  await results.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  const texts = await results.allInnerTexts();
  check(texts.some((text) => /mathVerifyPlugin|math\.createVerifyReward|\bmath\.verify\b/.test(text)), `search "math.verify" finds it (${texts.length} results: ${texts.slice(0, 4).join(' | ').replace(/\s+/g, ' ')})`);
  mkdirSync(join(root, '.tmp'), { recursive: true });
  await page.screenshot({ path: join(root, '.tmp', 'docs-site.png') });
  check(existsSync(join(root, '.tmp', 'docs-site.png')), 'screenshot saved to .tmp/docs-site.png');
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(`\ndocs-browser: ${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
