export { default } from '@mixreward/eslint-config';
