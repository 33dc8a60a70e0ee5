import { BACKUP_FILE_NAME } from '../../model/input-patterns';
import { z } from '../../model/zod';
import { method } from '../define';
import { noFields } from '../schemas';

export interface BackupView {
  /** Absolute path of the backup file. */
  file: string;
  bytes: number;
  /** When it was taken (ISO, UTC). */
  at: string;
}

export interface BackupListView {
  /** The folder daily backups go to: <data folder>/backups. */
  folder: string;
  /** Oldest first. `day` is the UTC day in the name; `at` when it was taken (ISO, UTC: the time in
   *  the name of one taken on demand, the file's last write for a daily one, whose name has no time). */
  backups: { file: string; day: string; at: string; bytes: number }[];
}

export interface RestoreView {
  /** The backup whose content the ledger now holds (absolute path). */
  restored: string;
  /** The backup taken of what the ledger held just before, listed with the others: restoring it undoes this. */
  setAside: string;
}

/**
 * Backups of the ledger. A restore refills the open ledger in one transaction (src/ledger/
 * restore-live.ts), so it is safe while the app, serve or a proxy has it open; over HTTP and IPC
 * it names one of the listed backups, and `burnrate restore FILE` takes any file.
 */
export const backupMethods = {
  backupCreate: method<BackupView>()({
    kind: 'write',
    description: "Take a backup of the ledger now, into the data folder's backups/ (the daily backups live there too).",
    input: noFields,
  }),
  backupRestore: method<RestoreView>()({
    kind: 'write',
    description: "Replace what the ledger holds by one of the backups in the data folder's backups/ (by its name, as backupList shows it). What it held is backed up first.",
    input: () => z
      .object({ name: z.string().regex(BACKUP_FILE_NAME, 'must be the name of a backup as the list shows it, such as ledger-2026-12-01.sqlite') })
      .strict(),
  }),
  backupList: method<BackupListView>()({
    kind: 'read',
    description: 'The backups in the data folder, oldest first: the last 7 days and the last 4 weeks are kept.',
    input: noFields,
  }),
};
