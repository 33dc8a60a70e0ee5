/**
 * Waiting for another process's write lock blocks the waiting thread. Processes that serve others
 * from one event loop (the tray app, serve, proxy, MCP) wait at most 5 s, then say so; a one-shot
 * CLI command has nobody else to serve and waits longer rather than fail when a dozen processes
 * start on one ledger at once on a loaded machine (test/integration/ledger/first-use.test.ts).
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
export const ONE_SHOT_BUSY_TIMEOUT_MS = 30_000;
