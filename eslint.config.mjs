// Lint: typescript-eslint recommended, plus one project rule: provider packages are imported by
// sub-path only (the root barrel loads every binding: ~7 s and ~500 MB per synth).
import tseslint from 'typescript-eslint';

const providerRoots = ['@cdktf/provider-kubernetes', '@cdktf/provider-vault', '@cdktf/provider-cloudflare'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'cdktf.out/**', 'cdktf.out.*/**', '.gen/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: providerRoots.map((name) => ({
            name,
            message: `Import a sub-path (e.g. ${name}/lib/<resource>): the package root loads every binding.`,
          })),
        },
      ],
    },
  },
);
