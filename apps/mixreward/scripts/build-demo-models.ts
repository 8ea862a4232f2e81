// Builds the tiny demo models the configs in configs/ point at (configs/*.yaml name
// `../out/models/<kind>`), with the repository's own model builder: nothing is downloaded.
// Usage: node --import tsx scripts/build-demo-models.ts [out-folder]   (default: out/models)
// The models are deterministic toys (a seeded ~150-word vocabulary): they show the plumbing, not a
// judgement; swap in a real export (same manifest kinds) for training.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '@mixreward/model-builder';

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The model kinds the configs use, each built into `<dir>/<kind>`. */
export const demoModelKinds = ['embedding', 'sequence-score', 'step-score'] as const;

/** Default folder of the demo models: `apps/mixreward/out/models`. */
export const demoModelDir = join(appRoot, 'out', 'models');

/** Build every demo model into `dir` unless a previous build finished there (a `.complete` stamp). */
export async function buildDemoModels(dir: string = demoModelDir): Promise<string> {
  const stamp = join(dir, '.complete');
  if (existsSync(stamp)) return dir;
  mkdirSync(dir, { recursive: true });
  for (const kind of demoModelKinds) await buildModel(kind, { dir: join(dir, kind) });
  writeFileSync(stamp, `${demoModelKinds.join('\n')}\n`);
  return dir;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = await buildDemoModels(resolve(process.argv[2] ?? demoModelDir));
  process.stdout.write(`demo models in ${dir}\n`);
}
