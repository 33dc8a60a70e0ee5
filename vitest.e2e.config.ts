import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: a real `burnrate serve` driven by Playwright in Debian's Chromium.
export default defineConfig({
  test: { include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
});
