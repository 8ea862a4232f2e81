// Write every test model into a folder: `pnpm --filter @mixreward/model-builder build-models <out>`.
import { join, resolve } from 'node:path';
import { buildModel, type BuildKind } from './models.js';

const out = resolve(process.argv[2] ?? 'models');
const kinds: BuildKind[] = ['embedding', 'sequence-score', 'step-score', 'clip'];
for (const kind of kinds) {
  const built = await buildModel(kind, { dir: join(out, kind) });
  process.stdout.write(`${kind}: ${built.dir}\n`);
}
