import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupName, listBackups } from '../../../src/ledger/backupFiles';

let home: string;
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe('backup files', () => {
  it('lists daily and on-demand backups oldest first, an on-demand one with the instant of its name, no unfinished file', () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-backups-'));
    const dir = path.join(home, 'backups');
    fs.mkdirSync(dir);
    const onDemand = backupName(new Date('2026-11-20T13:45:01.250Z'), false);
    for (const name of [onDemand, backupName(new Date('2026-11-19T02:00:00Z'), true), `${onDemand}.tmp`, 'notes.txt']) fs.writeFileSync(path.join(dir, name), '');
    expect(listBackups(home).map((b) => [b.name, b.day, b.takenAt])).toEqual([
      ['ledger-2026-11-19.sqlite', '2026-11-19', null],
      ['ledger-2026-11-20T134501Z.sqlite', '2026-11-20', '2026-11-20T13:45:01.000Z'],
    ]);
  });
});
