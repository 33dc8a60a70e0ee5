import { defineConfig } from 'vitest/config';

// Runs against the real OS keychain (on Linux: gnome-keyring under dbus-run-session).
export default defineConfig({
  test: { include: ['test/keychain/**/*.test.ts'], environment: 'node', testTimeout: 30_000, fileParallelism: false },
});
