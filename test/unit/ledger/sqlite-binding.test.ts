import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { backupNow, verifyLedgerFile } from '../../../src/ledger/backup';
import { restoreIntoOpenLedger } from '../../../src/ledger/restore-live';
import { useSqliteBinding } from '../../../src/ledger/sqlite';

/**
 * The desktop app loads an Electron-ABI build of better-sqlite3 (main/lib/native-binding.ts); a
 * connection opened without it loads node_modules' Node build, which Electron refuses. Here the
 * binding is pointed at a file that does not exist: every connection a backup, a check or a
 * restore opens must then fail on it, which shows each one takes the process's binding.
 */

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-binding-'));
afterEach(() => useSqliteBinding(undefined));

describe('the native binding of every connection', () => {
  it('backups, backup checks and restores open their connections through the binding openCore was given', async () => {
    const home = tmp();
    const core = openCore({ home, env: { BURNRATE_NOW: '2026-11-28T18:00:00Z' }, timeZone: 'UTC' });
    try {
      const taken = await backupNow(core.db, home, new Date('2026-11-28T18:00:00Z'));
      expect(verifyLedgerFile(taken.file).schemaVersion).toBeGreaterThan(0);

      const bogus = path.join(tmp(), 'electron-abi', 'better_sqlite3.node');
      useSqliteBinding(bogus);
      await expect(backupNow(core.db, home, new Date('2026-11-28T18:00:01Z'))).rejects.toThrow(bogus);
      expect(() => verifyLedgerFile(taken.file)).toThrow(bogus);
      await expect(restoreIntoOpenLedger(core.db, home, taken.file, new Date('2026-11-28T18:00:02Z'), { timeZone: 'UTC' })).rejects.toThrow(bogus);
      // Nothing was left behind by the refused ones.
      expect(fs.readdirSync(path.join(home, 'backups'))).toEqual([path.basename(taken.file)]);
    } finally {
      core.close();
    }
  });

  it('openCore sets the binding it is given for the connections opened after it', async () => {
    const home = tmp();
    const core = openCore({ home, env: {}, timeZone: 'UTC' });
    const taken = await backupNow(core.db, home, new Date('2026-11-28T18:00:00Z'));
    core.close();
    const bogus = path.join(tmp(), 'electron-abi', 'better_sqlite3.node');
    expect(() => openCore({ home: tmp(), env: {}, timeZone: 'UTC', nativeBinding: bogus })).toThrow(bogus);
    expect(() => verifyLedgerFile(taken.file)).toThrow(bogus);
  });
});
