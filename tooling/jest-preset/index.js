// The shared jest preset. Each package's jest.config.js is two lines:
//   import { jestConfig } from '@mixreward/jest-preset';
//   export default jestConfig(import.meta.url, { displayName: 'core' });
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

/**
 * Build a jest project config for the package whose jest.config.js has the given URL.
 * @param {string} configUrl import.meta.url of the package's jest.config.js
 * @param {Record<string, unknown>} [overrides] extra jest options
 */
export function jestConfig(configUrl, overrides = {}) {
  const rootDir = dirname(fileURLToPath(configUrl));
  return {
    rootDir,
    testEnvironment: join(here, 'environment.cjs'),
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      // Workspace packages resolve to their TypeScript sources: no build before tests.
      // Heavy-test helpers (describeWith('bwrap', …)): see ./system.js.
      '^@mixreward/jest-preset/system$': join(here, 'system.js'),
      '^@mixreward/model-builder$': join(repoRoot, 'tooling', 'model-builder', 'src', 'index.ts'),
      '^@mixreward/([a-z-]+)$': join(repoRoot, 'packages', '$1', 'src', 'index.ts'),
      // Light subpath entries (`@mixreward/core/worker`, for worker-thread task modules).
      '^@mixreward/core/worker$': join(repoRoot, 'packages', 'core', 'src', 'worker.ts'),
      // NodeNext-style relative imports name the emitted .js file.
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...overrides,
  };
}
