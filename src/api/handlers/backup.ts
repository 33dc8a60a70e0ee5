import fs from 'node:fs';
import { backupDir, backupNow, listBackups } from '../../ledger';
import type { backupMethods } from '../contract/backup';
import type { HandlersFor } from '../handler';

export const backupHandlers: HandlersFor<typeof backupMethods> = {
  backupCreate: (core) => backupNow(core.db, core.home, core.clock.now()),
  backupList: (core) => ({
    folder: backupDir(core.home),
    backups: listBackups(core.home).map((b) => ({ file: b.file, day: b.day, bytes: fs.statSync(b.file).size })),
  }),
};
