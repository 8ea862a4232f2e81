// Shared flat eslint config: recommended JS + TypeScript rules, and no deep imports into another
// package's src (tRPC's rule: packages talk through their exports only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@mixreward/*/src/*', '@mixreward/*/src'], message: 'Import a package through its exports.' }] },
      ],
    },
  },
);
