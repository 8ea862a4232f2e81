// Tests of the repository scripts (the bench report).
import { jestConfig } from '../jest-preset/index.js';

export default jestConfig(import.meta.url, { displayName: 'scripts' });
