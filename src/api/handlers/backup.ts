import fs from 'node:fs';
import { backupDir, backupNamed, backupNow, listBackups, restoreIntoOpenLedger, type RestoredLive } from '../../ledger';
import { ApiError } from '../errors';
import { afterZoneChange } from '../../odometer/zone';
import type { Core } from '../../app/open';
import type { backupMethods } from '../contract/backup';
import type { HandlersFor } from '../handler';

/** When a backup was taken: the instant in an on-demand backup's name, else (daily) the file's last write. */
function stampAndSize(takenAt: string | null, file: string): { at: string; bytes: number } {
  const stat = fs.statSync(file);
  return { at: takenAt ?? stat.mtime.toISOString(), bytes: stat.size };
}

/**
 * Restore the backup `file` into the core's open ledger, then read again what the running core
 * holds of it (its own commit: the change watchers of other processes see it, this one does not).
 * The window, HTTP and `burnrate restore` all restore through here.
 */
export async function restoreIntoCore(core: Core, file: string): Promise<RestoredLive> {
  const result = await restoreIntoOpenLedger(core.db, core.home, file, core.clock.now(), { timeZone: core.timeZone });
  core.prices.reload();
  if (result.zoneChanged) afterZoneChange(core);
  core.spendChanged('restore'); // budget checks and every client (statusChanged)
  return result;
}

export const noSuchBackup = (home: string, name: string) =>
  new ApiError('not_found', `There is no backup named ${name} in ${backupDir(home)}; name one of the backups listed there.`, { name }, 'backup_not_found');

export const backupHandlers: HandlersFor<typeof backupMethods> = {
  backupCreate: (core) => backupNow(core.db, core.home, core.clock.now()),
  backupRestore: async (core, { name }) => {
    const backup = backupNamed(core.home, name);
    if (!backup) throw noSuchBackup(core.home, name);
    const { restored, setAside } = await restoreIntoCore(core, backup.file);
    return { restored, setAside };
  },
  backupList: (core) => ({
    folder: backupDir(core.home),
    backups: listBackups(core.home).map((b) => ({ file: b.file, day: b.day, ...stampAndSize(b.takenAt, b.file) })),
  }),
};
