import { jestConfig } from '@mixreward/jest-preset';

export default jestConfig(import.meta.url, { displayName: 'judge' });
