import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { backupDir, backupName } from './backupFiles';
import { backupNow, verifyLedgerFile } from './backup';
import { openLedgerFile } from './db';
import { LedgerError } from './errors';
import { isCorruption, translateSqliteError } from './trouble';

/**
 * Restoring a backup into the ledger while it stays open: in the app, `burnrate serve`, a proxy and
 * any CLI command. Swapping the file (restore.ts) would leave every process that has it open
 * writing into the file set aside; here the ledger's tables are refilled from the backup in ONE
 * write transaction on the open connection instead. Every connection of every process then sees
 * either the ledger as it was or the backup, waits for the lock like any other write, and keeps its
 * prepared statements (the schema does not change: an older backup is brought forward first, in a
 * scratch copy).
 *
 * What the ledger held is backed up first into backups/, where it is listed beside the others, so
 * restoring that one undoes the restore.
 */

export interface RestoredLive {
  /** The backup whose content the ledger now holds. */
  readonly restored: string;
  /** The backup of what the ledger held before (in backups/; a damaged ledger's files beside it). */
  readonly setAside: string;
  /** The backup's schema version before it was brought forward. */
  readonly schemaVersion: number;
}

const SOURCE = 'restore_source';

/** The ledger's own tables, in creation order (`internal`: SQLite's own, such as sqlite_sequence). */
function tablesOf(db: Database, schema: string, internal = false): string[] {
  return db
    .prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name ${internal ? '' : 'NOT '}LIKE 'sqlite_%' ORDER BY rowid`)
    .pluck()
    .all() as string[];
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

function columnsOf(db: Database, schema: string, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).pluck().all(table, schema) as string[]).map(quoted);
}

/**
 * The backup of what the ledger holds now, under a name no backup has yet. A
 * damaged ledger cannot be read page by page: its files are copied as they are instead, beside it,
 * as the file swap of restore.ts keeps them.
 */
async function setAside(db: Database, home: string, now: Date): Promise<string> {
  // Names carry the second: one restore right after another (or after "back up now") must not
  // write over the backup it restores, nor over any other.
  let at = now;
  while (fs.existsSync(path.join(backupDir(home), backupName(at, false)))) at = new Date(at.getTime() + 1000);
  try {
    return (await backupNow(db, home, at)).file;
  } catch (error) {
    if (!(error instanceof LedgerError && error.code === 'corrupt') && !isCorruption(error)) throw error;
    const aside = path.join(home, `ledger-before-restore-${now.toISOString().replace(/[:.]/g, '')}.sqlite`);
    for (const suffix of ['', '-wal']) if (fs.existsSync(db.name + suffix)) fs.copyFileSync(db.name + suffix, aside + suffix);
    return aside;
  }
}

/**
 * A copy of the backup at the schema of this build, in the data folder (so it is on the same disk
 * and as private as the ledger); removed by the caller.
 */
function currentSchemaCopy(home: string, backup: string): string {
  const scratch = path.join(home, `restore-${process.pid}-${crypto.randomBytes(4).toString('hex')}.sqlite`);
  fs.copyFileSync(backup, scratch);
  fs.chmodSync(scratch, 0o600);
  openLedgerFile(scratch).close(); // migrates an older backup forward; WAL folded back in at close
  return scratch;
}

function removeScratch(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/** Replace every table's rows by the scratch copy's, in one write transaction. */
function refill(db: Database, scratch: string): void {
  db.prepare(`ATTACH DATABASE ? AS ${SOURCE}`).run(scratch);
  try {
    const mine = tablesOf(db, 'main');
    const theirs = new Set(tablesOf(db, SOURCE));
    const missing = mine.filter((t) => !theirs.has(t));
    if (missing.length > 0) {
      // Cannot happen after the scratch copy's migration; refuse rather than empty those tables.
      throw new LedgerError('invalid', `The backup lacks the tables ${missing.join(', ')} after its upgrade, so it was not restored; name another backup.`);
    }
    db.transaction(() => {
      // Rows refer to each other (alerts to budgets…): checked once, at the commit.
      db.pragma('defer_foreign_keys = ON');
      for (const table of mine) {
        const columns = columnsOf(db, 'main', table).join(', ');
        db.prepare(`DELETE FROM main.${quoted(table)}`).run();
        db.prepare(`INSERT INTO main.${quoted(table)} (${columns}) SELECT ${columns} FROM ${SOURCE}.${quoted(table)}`).run();
      }
      // AUTOINCREMENT counters go with their tables.
      if (tablesOf(db, 'main', true).includes('sqlite_sequence') && tablesOf(db, SOURCE, true).includes('sqlite_sequence')) {
        db.prepare('DELETE FROM main.sqlite_sequence').run();
        db.prepare(`INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM ${SOURCE}.sqlite_sequence`).run();
      }
    })();
  } finally {
    db.prepare(`DETACH DATABASE ${SOURCE}`).run();
  }
}

/**
 * Put the backup `file` in the open ledger behind `db` (in `home`). The backup is checked first
 * (stamp, integrity, a schema this build knows); nothing changes when it, the backup of the current
 * ledger or the copy fails.
 */
export async function restoreIntoOpenLedger(db: Database, home: string, file: string, now: Date): Promise<RestoredLive> {
  const checked = verifyLedgerFile(file);
  if (path.resolve(db.name) === checked.file) {
    throw new LedgerError('invalid', `${checked.file} is the ledger itself, not a backup of it; name a backup file.`);
  }
  const scratch = currentSchemaCopy(home, checked.file);
  try {
    const aside = await setAside(db, home, now);
    try {
      refill(db, scratch);
    } catch (error) {
      throw translateSqliteError(error, db.name);
    }
    return { restored: checked.file, setAside: aside, schemaVersion: checked.schemaVersion };
  } finally {
    removeScratch(scratch);
  }
}
