import type { Database } from 'better-sqlite3';
import { statement } from './statements';

/**
 * Waiting for another process's write lock blocks the waiting thread. Processes that serve others
 * from one event loop (the tray app, serve, proxy, MCP) wait at most 5 s, then say so; a one-shot
 * CLI command has nobody else to serve and waits longer rather than fail while a busy machine's
 * other processes (a sync, an import, the proxy's commits) hold the ledger.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
export const ONE_SHOT_BUSY_TIMEOUT_MS = 30_000;

/** SQLite's "another connection holds the lock" (SQLITE_BUSY and its extended codes, SQLITE_LOCKED). */
export function isLedgerBusy(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED';
}

/** An error SQLite raised (busy, full, read-only, corrupt…), not a fault of the code that called it. */
export function isSqliteError(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_');
}

/**
 * Run `fn` with the connection's busy timeout set to `ms`, then put it back (one event loop, no
 * await). The pragmas are prepared once per connection (statements.ts): db.pragma() compiles its
 * statement on every call, and the proxy runs this on each admission while a budget is enforced.
 */
export function withBusyTimeout<T>(db: Database, ms: number, fn: () => T): T {
  const before = statement(db, 'PRAGMA busy_timeout').pluck().get() as number;
  statement(db, `PRAGMA busy_timeout = ${ms}`).run();
  try {
    return fn();
  } finally {
    if (db.open) statement(db, `PRAGMA busy_timeout = ${before}`).run();
  }
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Switch a connection to WAL, waiting like any other write for up to `busyTimeoutMs`.
 *
 * On a file still in rollback-journal mode (a fresh ledger), the switch reads the header and then
 * takes the exclusive lock from within that read, and SQLite never calls its busy handler for a
 * lock taken from within a read (it could deadlock). So while another process merely read the
 * fresh file, the switch failed at once with SQLITE_BUSY: one of twelve processes starting on a
 * new data folder said "stayed busy" after no wait at all. It is retried here instead, with short
 * pauses. On a file already in WAL the switch changes nothing and takes no lock.
 */
export function switchToWal(db: Database, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, 50)) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isLedgerBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(pauseCell, 0, 0, pauseMs); // a synchronous pause: opening a ledger is synchronous
    }
  }
}
