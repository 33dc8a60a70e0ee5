import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { ensureBackupDir, fsyncPath, verifyLedgerFile } from './backup';
import { backupDir, freeBackupName } from './backupFiles';
import { openLedgerFile } from './db';
import { LedgerError } from './errors';
import { ensureRollupZone } from './rollups';
import { openSqlite } from './sqlite';
import { APPLICATION_ID } from './stamp';
import { translateSqliteError } from './trouble';

/**
 * Restoring a backup into the ledger while it stays open: in the app, `burnrate serve`, a proxy and
 * any CLI command. Swapping the file (restore.ts) would leave every process that has it open
 * writing into the file set aside; here the ledger's tables are refilled from the backup instead.
 *
 * ONE write transaction does all of it: with the write lock held, what the ledger holds is copied
 * into a new backup (the undo, listed with the others), then every table is emptied and refilled
 * from the backup. So no commit of another process can fall between the undo and the refill, every
 * connection sees either the ledger as it was or the backup, and prepared statements stay valid
 * (the schema does not change: an older backup is brought forward first, in a scratch copy).
 */

export interface RestoredLive {
  /** The backup whose content the ledger now holds. */
  readonly restored: string;
  /** The backup of what the ledger held before (in backups/, named …-before-restore). */
  readonly setAside: string;
  /** The backup's schema version before it was brought forward. */
  readonly schemaVersion: number;
  /** The backup's days were filed in another time zone and were filed again in the ledger's. */
  readonly zoneChanged: boolean;
}

const SOURCE = 'restore_source';
const UNDO = 'restore_undo';
const SCRATCH_PREFIX = 'restore-';
/**
 * Tables that record the world outside the ledger as it is now, not the ledger's history: the
 * budget reserved for requests in flight, and what the team store was last sent and is still to
 * be sent. A backup's would be stale (the team store would keep figures the restore took back);
 * the live ones stay, and the next push sends the restored figures where they differ.
 */
const PROCESS_STATE = new Set(['proxy_reservations', 'team_sent', 'team_outbox']);

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The ledger's tables in creation order (parents first), without SQLite's own. */
function tablesOf(db: Database, schema: string): string[] {
  return db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid`).pluck().all() as string[];
}

function columnsOf(db: Database, schema: string, table: string): string {
  return (db.prepare('SELECT name FROM pragma_table_info(?, ?)').pluck().all(table, schema) as string[]).map(quoted).join(', ');
}

/**
 * A copy of the backup, as it was checked (its WAL included), at the schema of this build: in the
 * data folder, so it is on the ledger's disk and as private. Removed by the caller.
 */
function currentSchemaCopy(home: string, backup: string): string {
  const scratch = path.join(home, `${SCRATCH_PREFIX}${process.pid}-${crypto.randomBytes(4).toString('hex')}.sqlite`);
  const source = openSqlite(backup, { readonly: true, fileMustExist: true });
  try {
    source.prepare('VACUUM INTO ?').run(scratch);
  } finally {
    source.close();
  }
  fs.chmodSync(scratch, 0o600);
  openLedgerFile(scratch).close(); // migrates an older backup forward; WAL folded back in at close
  return scratch;
}

function removeFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/** Scratch copies of restores that died (kill -9, power cut) more than an hour ago. */
function removeStaleScratch(home: string, now: Date): void {
  for (const name of fs.readdirSync(home)) {
    if (!name.startsWith(SCRATCH_PREFIX) || !name.endsWith('.sqlite')) continue;
    const file = path.join(home, name);
    if (now.getTime() - fs.statSync(file).mtimeMs > 3_600_000) removeFiles(file);
  }
}

/** The CREATE statement of a table or index, aimed at the attached schema `into`. */
function createIn(sql: string, into: string): string {
  const m = /^(CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+)/i.exec(sql);
  if (!m) throw new Error(`Cannot copy the schema statement "${sql.slice(0, 60)}".`);
  return `${m[1]}${into}.${sql.slice(m[1]!.length)}`;
}

/** Copy everything the ledger holds (schema, rows, stamp) into the empty attached UNDO. */
function copyLedgerInto(db: Database, version: number): void {
  const objects = db
    .prepare("SELECT type, name, sql FROM main.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
    .all() as { type: string; name: string; sql: string }[];
  for (const o of objects) if (o.type === 'table') db.exec(createIn(o.sql, UNDO));
  for (const table of tablesOf(db, 'main')) {
    const columns = columnsOf(db, 'main', table);
    db.prepare(`INSERT INTO ${UNDO}.${quoted(table)} (${columns}) SELECT ${columns} FROM main.${quoted(table)}`).run();
  }
  // Indexes after the rows: built from sorted keys, several times faster than row by row.
  for (const o of objects) if (o.type === 'index') db.exec(createIn(o.sql, UNDO));
  if (hasSequence(db, 'main')) db.prepare(`INSERT INTO ${UNDO}.sqlite_sequence (name, seq) SELECT name, seq FROM main.sqlite_sequence`).run();
  db.pragma(`${UNDO}.user_version = ${version}`);
}

function hasSequence(db: Database, schema: string): boolean {
  return db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE name = 'sqlite_sequence'`).get() !== undefined;
}

/** Replace every table's rows by the attached SOURCE's (all deletes first: ON DELETE CASCADE cannot reach a refilled row). */
function refillFromSource(db: Database): void {
  const tables = tablesOf(db, 'main').filter((t) => !PROCESS_STATE.has(t));
  const theirs = new Set(tablesOf(db, SOURCE));
  const missing = tables.filter((t) => !theirs.has(t));
  if (missing.length > 0) {
    // Cannot happen after the scratch copy's migration; refuse rather than empty those tables.
    throw new LedgerError('invalid', `The backup lacks the tables ${missing.join(', ')} after its upgrade, so it was not restored; name another backup.`);
  }
  db.pragma('defer_foreign_keys = ON'); // rows refer to each other: checked once, at the commit
  for (const table of [...tables].reverse()) db.prepare(`DELETE FROM main.${quoted(table)}`).run();
  for (const table of tables) {
    const columns = columnsOf(db, 'main', table);
    db.prepare(`INSERT INTO main.${quoted(table)} (${columns}) SELECT ${columns} FROM ${SOURCE}.${quoted(table)}`).run();
  }
  // AUTOINCREMENT counters never go back: the team store takes a row's number as its revision, and
  // would ignore rows numbered below what it already holds.
  if (hasSequence(db, 'main') && hasSequence(db, SOURCE)) {
    db.prepare(
      `INSERT OR REPLACE INTO main.sqlite_sequence (rowid, name, seq)
       SELECT m.rowid, s.name, MAX(s.seq, COALESCE(m.seq, 0)) FROM ${SOURCE}.sqlite_sequence s LEFT JOIN main.sqlite_sequence m ON m.name = s.name`,
    ).run();
  }
}

export interface RestoreOptions {
  /** The zone the running core files days in: a backup filed in another is filed again, as opening does. */
  timeZone: string;
}

/**
 * Put the backup `file` in the open ledger behind `db` (in `home`). The backup is checked first
 * (stamp, integrity, a schema this build knows); nothing changes when it, the copy of the current
 * ledger or the refill fails.
 */
export async function restoreIntoOpenLedger(db: Database, home: string, file: string, now: Date, options: RestoreOptions): Promise<RestoredLive> {
  const checked = verifyLedgerFile(file);
  if (fs.realpathSync(db.name) === fs.realpathSync(checked.file)) {
    throw new LedgerError('invalid', `${checked.file} is the ledger itself, not a backup of it; name a backup file.`);
  }
  removeStaleScratch(home, now);
  const undoName = freeBackupName(home, now, true);
  const undo = path.join(ensureBackupDir(home), undoName);
  const undoPartial = `${undo}.partial-${process.pid}`;
  let scratch: string | undefined;
  let zoneChanged = false;
  try {
    scratch = currentSchemaCopy(home, checked.file);
    const version = db.pragma('user_version', { simple: true }) as number;
    db.prepare(`ATTACH DATABASE ? AS ${SOURCE}`).run(scratch);
    try {
      db.prepare(`ATTACH DATABASE ? AS ${UNDO}`).run(undoPartial);
      try {
        db.pragma(`${UNDO}.application_id = ${APPLICATION_ID}`);
        // A new file, deleted if anything fails and synced once whole: it needs no journal of its own.
        db.pragma(`${UNDO}.journal_mode = OFF`);
        db.pragma(`${UNDO}.synchronous = OFF`);
        db.pragma(`${UNDO}.cache_size = -65536`);
        db.transaction(() => {
          copyLedgerInto(db, version);
          refillFromSource(db);
          zoneChanged = ensureRollupZone(db, options.timeZone);
        })();
      } finally {
        db.prepare(`DETACH DATABASE ${UNDO}`).run();
      }
    } finally {
      db.prepare(`DETACH DATABASE ${SOURCE}`).run();
    }
    fsyncPath(undoPartial);
    fs.renameSync(undoPartial, undo);
  } catch (error) {
    removeFiles(undoPartial);
    throw translateSqliteError(error, db.name);
  } finally {
    if (scratch) removeFiles(scratch);
  }
  try {
    fsyncPath(backupDir(home)); // the rename itself survives a power cut
  } catch {
    // Some platforms cannot open a folder for fsync; the rename is still atomic.
  }
  return { restored: checked.file, setAside: undo, schemaVersion: checked.schemaVersion, zoneChanged };
}
