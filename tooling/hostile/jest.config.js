import { jestConfig } from '@mixreward/jest-preset';

// Hostile inputs are large (1 MB completions, 10^6 coordinates): each test sets its own jest
// timeout (a project-level testTimeout is not read in a multi-project run); the suite bounds each input's time itself.
export default jestConfig(import.meta.url, { displayName: 'hostile' });
