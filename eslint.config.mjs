// Lint: typescript-eslint recommended, plus the project's rules:
// - provider packages are imported by sub-path only (the root barrel loads every binding: ~7 s and
//   ~500 MB per synth);
// - the layers only point down: stacks -> constructs -> lib. lib never imports a construct or a stack,
//   constructs never import a stack, and the review tools (lib/review: diff, plan and lock rendering)
//   never import cdktf, so they run without the synth machinery.
import tseslint from 'typescript-eslint';

const providerRoots = ['@cdktf/provider-kubernetes', '@cdktf/provider-vault', '@cdktf/provider-cloudflare'];
const providerPaths = providerRoots.map((name) => ({
  name,
  message: `Import a sub-path (e.g. ${name}/lib/<resource>): the package root loads every binding.`,
}));

/** A no-restricted-imports rule: provider roots plus the given import patterns. */
function restrict(patterns) {
  return ['error', { paths: providerPaths, patterns }];
}

const upToStacks = {
  group: ['**/stacks', '**/stacks/**'],
  message: 'Layers point down (stacks -> constructs -> lib): nothing below stacks/ imports a stack.',
};
const upToConstructs = {
  group: ['**/constructs/**'],
  message: 'Layers point down (stacks -> constructs -> lib): lib/ never imports a construct.',
};
const cdktfInReview = {
  group: ['cdktf', 'cdktf/**', 'constructs', '@cdktf/**'],
  message: 'lib/review is pure review tooling (diffs, plans, locks): it never imports cdktf or constructs.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'cdktf.out/**', 'cdktf.out.*/**', '.gen/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.ts'], ignores: ['test/**'], rules: { 'no-restricted-imports': restrict([]) } },
  { files: ['constructs/**/*.ts'], rules: { 'no-restricted-imports': restrict([upToStacks]) } },
  { files: ['lib/**/*.ts'], rules: { 'no-restricted-imports': restrict([upToStacks, upToConstructs]) } },
  {
    files: ['lib/review/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([upToStacks, upToConstructs, cdktfInReview]) },
  },
);
