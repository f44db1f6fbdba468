import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Test files share a worker's module cache: cdktf and the provider bindings load once per worker,
    // not once per file (seconds each). Tests keep no module-level state that could leak.
    isolate: false,
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { CHECKPOINT_DISABLE: '1' },
  },
});
