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

/**
 * Backups of the ledger. Restoring is CLI-only (`burnrate restore FILE`): it replaces the file
 * under every running process, so it runs while the app and serve are stopped.
 */
export const backupMethods = {
  backupCreate: method<BackupView>()({
    kind: 'write',
    description: "Take a backup of the ledger now, into the data folder's backups/ (the daily backups live there too).",
    input: noFields,
  }),
  backupList: method<BackupListView>()({
    kind: 'read',
    description: 'The backups in the data folder, oldest first: the last 7 days and the last 4 weeks are kept.',
    input: noFields,
  }),
};
