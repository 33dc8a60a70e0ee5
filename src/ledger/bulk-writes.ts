import type { Database } from 'better-sqlite3';

/**
 * A bulk write (a first import of months of agent logs: hundreds of thousands of rows in a few
 * dozen transactions) lets the WAL grow to about 40 MB between checkpoints instead of 4 MB. Every
 * transaction rewrites pages all over the unique-key index, and each checkpoint copies them into
 * the ledger and waits for the disk twice: measured on the 196k-row corpus, 10,000 pages checkpoint
 * about 30 MB less and 12,000 fewer reads and writes than 1,000. The WAL stays bounded (the pages
 * of one transaction at most above the limit), every other connection keeps its own setting, and a
 * crash recovers from the WAL as always.
 */
export const BULK_WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Start a bulk write on this connection; call the returned `end` on every way out (finally). It
 * puts back the setting the connection had (two overlapping imports: the first to end restores
 * it, the other only checkpoints more often) and, when the work committed rows, checkpoints once,
 * PASSIVE (never waiting for readers), so a long-lived connection (the app, `serve`) does not keep
 * a large WAL until its next write. The setting is the connection's: in the app and `serve` the
 * in-process proxy commits through the same connection, and checkpoints less often meanwhile too.
 * `end` never throws: a closed connection or a failed checkpoint must not hide the import's own
 * outcome (the next commit checkpoints as usual).
 */
export function beginBulkWrites(db: Database): (wrote: boolean) => void {
  const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${BULK_WAL_AUTOCHECKPOINT_PAGES}`);
  return (wrote) => {
    try {
      if (!db.open) return;
      db.pragma(`wal_autocheckpoint = ${before}`);
      if (wrote && !db.memory) db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Said above: nothing to add to the import's own result.
    }
  };
}
