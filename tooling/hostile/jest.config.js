import { jestConfig } from '@mixreward/jest-preset';

// Hostile inputs are large (1 MB completions, 10^6 coordinates): give each test room; the suite
// measures and bounds each input's time itself.
export default jestConfig(import.meta.url, { displayName: 'hostile', testTimeout: 120_000 });
