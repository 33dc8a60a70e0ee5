import fs from 'node:fs';
import { backupDir, backupNow, listBackups } from '../../ledger';
import type { backupMethods } from '../contract/backup';
import type { HandlersFor } from '../handler';

/** When a backup was taken: the instant in an on-demand backup's name, else (daily) the file's last write. */
function stampAndSize(takenAt: string | null, file: string): { at: string; bytes: number } {
  const stat = fs.statSync(file);
  return { at: takenAt ?? stat.mtime.toISOString(), bytes: stat.size };
}

export const backupHandlers: HandlersFor<typeof backupMethods> = {
  backupCreate: (core) => backupNow(core.db, core.home, core.clock.now()),
  backupList: (core) => ({
    folder: backupDir(core.home),
    backups: listBackups(core.home).map((b) => ({ file: b.file, day: b.day, ...stampAndSize(b.takenAt, b.file) })),
  }),
};
