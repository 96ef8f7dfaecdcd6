import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'tests/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/components/*', '@/components/*'],
              message: 'lib/ must not depend on components/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['components/**', 'entrypoints/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
