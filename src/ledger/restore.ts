import fs from 'node:fs';
import path from 'node:path';
import { verifyLedgerFile } from './backup';
import { LEDGER_FILE, openLedgerFile } from './db';
import { DEFAULT_BUSY_TIMEOUT_MS } from './busy';
import { openSqlite } from './sqlite';
import { translateSqliteError } from './trouble';

export interface Restored {
  readonly restored: string;
  /** Where the ledger that was replaced now lies (null: there was none). */
  readonly setAside: string | null;
  readonly schemaVersion: number;
}

/** Fold the WAL into the file so the ledger can be moved as one file; a damaged one is moved as is. */
function checkpointQuietly(file: string): void {
  try {
    const db = openSqlite(file, { fileMustExist: true, timeout: DEFAULT_BUSY_TIMEOUT_MS });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // A damaged ledger cannot checkpoint; its -wal is moved aside with it below.
  }
}

function moveWithCompanions(from: string, to: string): void {
  fs.renameSync(from, to);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(from + suffix)) fs.renameSync(from + suffix, to + suffix);
  }
}

/**
 * Replace the ledger in `home` by the backup `file`: the backup is checked first (stamp, integrity,
 * schema) and the current ledger is kept aside as ledger-before-restore-<time>.sqlite, never deleted.
 * Processes that have the ledger open (the app, serve) must be stopped first: they would keep
 * writing into the file set aside.
 */
export function restoreLedger(home: string, file: string, now: Date): Restored {
  const checked = verifyLedgerFile(file);
  const ledger = path.join(home, LEDGER_FILE);
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  let setAside: string | null = null;
  const incoming = `${ledger}.restoring-${process.pid}`;
  try {
    fs.copyFileSync(checked.file, incoming);
    if (fs.existsSync(ledger)) {
      checkpointQuietly(ledger);
      setAside = path.join(home, `ledger-before-restore-${now.toISOString().replace(/[:.]/g, '')}.sqlite`);
      moveWithCompanions(ledger, setAside);
    }
    fs.renameSync(incoming, ledger);
  } catch (error) {
    fs.rmSync(incoming, { force: true });
    if (setAside && !fs.existsSync(ledger)) moveWithCompanions(setAside, ledger); // put it back as it was
    throw translateSqliteError(error, ledger);
  }
  // Bring an older backup's schema forward and stamp it, as any start would.
  openLedgerFile(ledger).close();
  return { restored: checked.file, setAside, schemaVersion: checked.schemaVersion };
}
