import fs from 'node:fs';
import { backupDir, backupNamed, backupNow, listBackups, restoreIntoOpenLedger } from '../../ledger';
import { ApiError } from '../errors';
import type { backupMethods } from '../contract/backup';
import type { HandlersFor } from '../handler';

/** When a backup was taken: the instant in an on-demand backup's name, else (daily) the file's last write. */
function stampAndSize(takenAt: string | null, file: string): { at: string; bytes: number } {
  const stat = fs.statSync(file);
  return { at: takenAt ?? stat.mtime.toISOString(), bytes: stat.size };
}

export const noSuchBackup = (home: string, name: string) =>
  new ApiError('not_found', `There is no backup named ${name} in ${backupDir(home)}; name one of the backups listed there.`, { name }, 'backup_not_found');

export const backupHandlers: HandlersFor<typeof backupMethods> = {
  backupCreate: (core) => backupNow(core.db, core.home, core.clock.now()),
  backupRestore: async (core, { name }) => {
    const backup = backupNamed(core.home, name);
    if (!backup) throw noSuchBackup(core.home, name);
    const { restored, setAside } = await restoreIntoOpenLedger(core.db, core.home, backup.file, core.clock.now());
    core.events.emit('statusChanged', { reason: 'restore' });
    return { restored, setAside };
  },
  backupList: (core) => ({
    folder: backupDir(core.home),
    backups: listBackups(core.home).map((b) => ({ file: b.file, day: b.day, ...stampAndSize(b.takenAt, b.file) })),
  }),
};
