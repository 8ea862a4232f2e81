// The conformance test: every plugin of every package in the app's registry follows CONTRIBUTING.md.
import { jestConfig } from '../jest-preset/index.js';

export default jestConfig(import.meta.url, { displayName: 'conformance', testTimeout: 180_000 });
