import { defineConfig } from 'vitest/config';
import { methodKindsPlugin } from './scripts/method-kinds-plugin';

// Unit and integration tests: the core under Node, the CLI as a user runs it, provider clients
// against local servers, React components in jsdom. Keychain and browser tests have their own
// configs (they need a Secret Service and Chromium): see scripts/test.mjs.
export default defineConfig({
  plugins: [methodKindsPlugin()], // the renderer's METHOD_KIND, read from the contract
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/unit/renderer/dom-setup.ts'],
  },
});
