import fs from 'node:fs';
import { backupDir, backupNow, listBackups } from '../../ledger';
import type { backupMethods } from '../contract/backup';
import type { HandlersFor } from '../handler';

/** When a backup was taken: the instant in an on-demand backup's name, else (daily) the file's last write. */
function stampAndSize(name: string, file: string): { at: string; bytes: number } {
  const stat = fs.statSync(file);
  const m = /^ledger-(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z\.sqlite$/.exec(name);
  return { at: m ? `${m[1]}T${m[2]}:${m[3]}:${m[4]}.000Z` : stat.mtime.toISOString(), bytes: stat.size };
}

export const backupHandlers: HandlersFor<typeof backupMethods> = {
  backupCreate: (core) => backupNow(core.db, core.home, core.clock.now()),
  backupList: (core) => ({
    folder: backupDir(core.home),
    backups: listBackups(core.home).map((b) => ({ file: b.file, day: b.day, ...stampAndSize(b.name, b.file) })),
  }),
};
