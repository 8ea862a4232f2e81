import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jestConfig } from '@mixreward/jest-preset';

const config = jestConfig(import.meta.url, { displayName: 'app' });
// The model builder lives in tooling/, not packages/: map it before the preset's packages mapping.
const builder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tooling', 'model-builder', 'src', 'index.ts');
config.moduleNameMapper = { '^@mixreward/model-builder$': builder, ...config.moduleNameMapper };
export default config;
