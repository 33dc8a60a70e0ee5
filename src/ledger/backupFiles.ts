import fs from 'node:fs';
import path from 'node:path';
import { BACKUP_FILE_NAME } from '../model/input-patterns';

/**
 * Where backups live and what they are called: `<home>/backups/ledger-YYYY-MM-DD.sqlite` (daily)
 * and `ledger-YYYY-MM-DDTHHMMSSZ.sqlite` (on demand). Names sort by time; only fs here, so the
 * error translator can name the newest backup without opening any database.
 */
export const BACKUP_DIR = 'backups';
const NAME = BACKUP_FILE_NAME;

export interface BackupFile {
  readonly file: string;
  /** UTC day the backup was taken. */
  readonly day: string;
  readonly name: string;
  /** The instant an on-demand backup was taken, from its name (ISO); null for a daily one (its day only). */
  readonly takenAt: string | null;
  /** What the ledger held just before a restore (the restore's undo). */
  readonly beforeRestore: boolean;
}

export function backupDir(home: string): string {
  return path.join(home, BACKUP_DIR);
}

/** The name of a backup taken at `at`: daily ones carry the day only, so one a day is kept. */
export function backupName(at: Date, daily: boolean, beforeRestore = false): string {
  const iso = at.toISOString();
  const day = iso.slice(0, 10);
  return daily ? `ledger-${day}.sqlite` : `ledger-${day}T${iso.slice(11, 19).replaceAll(':', '')}Z${beforeRestore ? '-before-restore' : ''}.sqlite`;
}

/**
 * The name for an on-demand backup taken at `at` that no backup in `home` has yet: names carry the
 * second, and a backup is never written over another (one of them may be a restore's undo). Two
 * taken within one second: the second is named a second later.
 */
export function freeBackupName(home: string, at: Date, beforeRestore = false): string {
  let when = at;
  while (fs.existsSync(path.join(backupDir(home), backupName(when, false, beforeRestore)))) when = new Date(when.getTime() + 1000);
  return backupName(when, false, beforeRestore);
}

/** Backups in `home`, oldest first. Temporary files of an unfinished backup are not listed. */
export function listBackups(home: string): BackupFile[] {
  const dir = backupDir(home);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const m = NAME.exec(name);
      const time = m?.[2]; // "T134501Z"
      const takenAt = time ? `${m![1]}T${time.slice(1, 3)}:${time.slice(3, 5)}:${time.slice(5, 7)}.000Z` : null;
      return m ? [{ file: path.join(dir, name), day: m[1]!, name, takenAt, beforeRestore: m[3] !== undefined }] : [];
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The backup called `name` in `home`'s backups/ (a name as listBackups gives it), if there is one. */
export function backupNamed(home: string, name: string): BackupFile | undefined {
  return BACKUP_FILE_NAME.test(name) ? listBackups(home).find((b) => b.name === name) : undefined;
}

/** Monday-based week key of a UTC day, to keep one backup per week. */
function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - weekday * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Which backups to delete: keep the newest of each of the last `days` days that have one and the
 * newest of each of the last `weeks` weeks that have one; everything older goes.
 */
export function backupsToPrune(backups: readonly BackupFile[], days = 7, weeks = 4): BackupFile[] {
  const keep = new Set<string>();
  // A restore's undo counts in neither pick (it would push a daily backup out): it stays as long as
  // the weekly ones reach back, measured from the newest backup.
  const regular = backups.filter((b) => !b.beforeRestore);
  const newestDay = backups.reduce((d, b) => (b.day > d ? b.day : d), '');
  const horizon = newestDay ? new Date(Date.parse(`${newestDay}T00:00:00Z`) - weeks * 7 * 86_400_000).toISOString().slice(0, 10) : '';
  for (const b of backups) if (b.beforeRestore && b.day >= horizon) keep.add(b.file);
  const newestFirst = [...regular].reverse();
  const pick = (key: (b: BackupFile) => string, count: number) => {
    const seen = new Set<string>();
    for (const b of newestFirst) {
      const k = key(b);
      if (seen.has(k)) continue;
      if (seen.size >= count) break;
      seen.add(k);
      keep.add(b.file);
    }
  };
  pick((b) => b.day, days);
  pick((b) => weekOf(b.day), weeks);
  return backups.filter((b) => !keep.has(b.file));
}
