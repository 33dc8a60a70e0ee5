import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupName, backupsToPrune, freeBackupName, listBackups } from '../../../src/ledger/backupFiles';

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

  it('names a new backup so that it never replaces one: a second taken within the same second is named a second later', () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-backups-'));
    fs.mkdirSync(path.join(home, 'backups'));
    const at = new Date('2026-11-20T13:45:01.250Z');
    const first = freeBackupName(home, at);
    expect(first).toBe('ledger-2026-11-20T134501Z.sqlite');
    fs.writeFileSync(path.join(home, 'backups', first), '');
    expect(freeBackupName(home, at)).toBe('ledger-2026-11-20T134502Z.sqlite');
    // A restore's undo has a name of its own, listed as such.
    const undo = freeBackupName(home, at, true);
    expect(undo).toBe('ledger-2026-11-20T134501Z-before-restore.sqlite');
    fs.writeFileSync(path.join(home, 'backups', undo), '');
    expect(listBackups(home).map((b) => [b.name, b.beforeRestore])).toEqual([
      ['ledger-2026-11-20T134501Z-before-restore.sqlite', true],
      ['ledger-2026-11-20T134501Z.sqlite', false],
    ]);
  });

  it("keeps a restore's undo for four weeks without letting it push out a daily backup", () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-backups-'));
    const dir = path.join(home, 'backups');
    fs.mkdirSync(dir);
    const names: string[] = [];
    for (let d = 1; d <= 10; d++) names.push(backupName(new Date(Date.UTC(2026, 10, 10 + d, 2)), true)); // Nov 11–20, daily
    names.push('ledger-2026-11-20T101500Z-before-restore.sqlite', 'ledger-2026-11-20T111500Z-before-restore.sqlite'); // two restores today
    names.push('ledger-2026-10-01T090000Z-before-restore.sqlite'); // an undo older than four weeks
    for (const name of names) fs.writeFileSync(path.join(dir, name), '');
    const pruned = backupsToPrune(listBackups(home)).map((b) => b.name);
    expect(pruned.sort()).toEqual(['ledger-2026-10-01T090000Z-before-restore.sqlite', 'ledger-2026-11-11.sqlite', 'ledger-2026-11-12.sqlite', 'ledger-2026-11-13.sqlite'].sort());
  });
});
