import fs from 'node:fs';
import type { Database } from 'better-sqlite3';

/**
 * Notices commits that OTHER processes make to the shared ledger (the CLI, `burnrate mcp`, a second
 * app) so the long-running ones (the tray app, `burnrate serve`) can tell their windows and SSE
 * clients. In-process writes already emit `statusChanged`; this closes the gap for the rest.
 *
 * How: SQLite's `PRAGMA data_version` returns a number that changes whenever another connection
 * has committed since this connection last asked, and never for this connection's own commits, so
 * there is no echo of our own writes. Reading it touches no page of the database (it is kept in
 * the pager, refreshed from the WAL index), so polling it is cheap: see docs/architecture.md for
 * the measured idle cost. A poll every 250 ms keeps the delay from a commit to the event well
 * under a second; a burst of commits within one poll becomes one event.
 *
 * A commit in WAL mode writes the ledger's -wal file, so the watcher also watches that file (inotify,
 * FSEvents…) and checks a few milliseconds after it changes: the event then follows the commit
 * without waiting for the next poll, which leaves the rest of the second to a busy machine. The
 * watch costs nothing while idle; where it cannot be set up (no -wal file, a file system without
 * notifications) the poll alone keeps the promise.
 */

export const DEFAULT_WATCH_INTERVAL_MS = 250;

export interface ChangeWatcher {
  /** Poll once now; true when another connection committed since the last poll. */
  check(): boolean;
  /** Stop polling (idempotent). */
  stop(): void;
}

export interface WatchOptions {
  intervalMs?: number;
  /**
   * A poll failed (say, a file gone away); the watcher keeps polling. Told once per run of
   * failures, not every 250 ms. Default: ignored.
   */
  onError?: (error: unknown) => void;
}

export function watchLedgerCommits(db: Database, onCommit: () => void, options: WatchOptions = {}): ChangeWatcher {
  const version = db.prepare('PRAGMA data_version').pluck();
  let last = version.get() as number;
  let stopped = false;
  let failing = false;

  const check = (): boolean => {
    if (stopped || !db.open) return false;
    const now = version.get() as number;
    if (now === last) return false;
    last = now;
    return true;
  };

  const poll = () => {
    try {
      const changed = check();
      failing = false;
      if (changed) onCommit();
    } catch (error) {
      if (!failing) options.onError?.(error);
      failing = true;
    }
  };
  const timer = setInterval(poll, options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS);
  timer.unref(); // never what keeps a process alive

  // The -wal file changes with every commit (and with our own, which check() tells apart). A commit
  // writes it several times: one check WAL_SETTLE_MS after the first change covers them all.
  let soon: ReturnType<typeof setTimeout> | undefined;
  const walWatch = watchFile(`${db.name}-wal`, db, () => {
    soon ??= setTimeout(() => {
      soon = undefined;
      poll();
    }, WAL_SETTLE_MS);
  });

  return {
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      walWatch?.close();
    },
  };
}

/** How long after a change of the -wal file the watcher checks: a commit's writes come together. */
export const WAL_SETTLE_MS = 5;

/** Watch `file` for changes, or undefined where that is not possible (memory ledger, no file, no notifications). */
function watchFile(file: string, db: Database, onChange: () => void): fs.FSWatcher | undefined {
  if (db.memory) return undefined;
  try {
    const watcher = fs.watch(file, { persistent: false }, onChange);
    watcher.on('error', () => watcher.close()); // the file went away: the poll still runs
    return watcher;
  } catch {
    return undefined;
  }
}

/** The part of the core the watcher needs: its ledger handle and its event emitter. */
export interface WatchedCore {
  readonly db: Database;
  readonly events: { emit(name: 'statusChanged', payload: { reason: string }): void };
}

/** The reason carried by `statusChanged` when the change came from another process. */
export const EXTERNAL_CHANGE_REASON = 'external';

/**
 * Emit the same `statusChanged` an in-process write emits whenever another process commits, so
 * every listener (tray, IPC pushes, SSE hub) updates without knowing where the write came from.
 */
export function watchExternalChanges(core: WatchedCore, options: WatchOptions = {}): ChangeWatcher {
  return watchLedgerCommits(core.db, () => core.events.emit('statusChanged', { reason: EXTERNAL_CHANGE_REASON }), options);
}
