import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchExternalChanges, watchLedgerCommits, type ChangeWatcher } from '../../../src/app/change-watcher';
import { openCore, type Core } from '../../../src/app/open';
import { setSetting } from '../../../src/ledger/settings';

/** Two cores on one ledger file stand for two processes (the app and the CLI): two connections. */
describe('the change watcher (PRAGMA data_version)', () => {
  const opened: { core: Core; watcher?: ChangeWatcher }[] = [];
  const open = (home: string) => {
    const core = openCore({ home, env: { TZ: 'UTC', BURNRATE_NOW: '2026-03-10T12:00:00Z' }, timeZone: 'UTC' });
    opened.push({ core });
    return core;
  };
  afterEach(() => {
    for (const { core } of opened.splice(0)) core.close();
  });
  const home = () => fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-watch-'));

  it("sees another connection's commit, once, and never its own", () => {
    const dir = home();
    const app = open(dir);
    const cli = open(dir);
    const watcher = watchLedgerCommits(app.db, () => undefined, { intervalMs: 60_000 });
    try {
      expect(watcher.check()).toBe(false);
      setSetting(cli.db, 'probe', 1);
      expect(watcher.check()).toBe(true);
      expect(watcher.check()).toBe(false); // reported once
      setSetting(app.db, 'own', 1);
      expect(watcher.check()).toBe(false); // no echo of our own writes
    } finally {
      watcher.stop();
    }
  });

  it('emits statusChanged with reason "external" on its own timer, and stops', async () => {
    const dir = home();
    const app = open(dir);
    const cli = open(dir);
    const watcher = watchExternalChanges(app, { intervalMs: 10 });
    const seen = new Promise<{ reason: string }>((resolve) => app.events.on('statusChanged', resolve));
    setSetting(cli.db, 'probe', 1);
    await expect(seen).resolves.toEqual({ reason: 'external' });
    watcher.stop();
    setSetting(cli.db, 'probe', 2);
    expect(watcher.check()).toBe(false); // stopped: polls nothing
  });

  it("hears another connection's commit through the -wal file, without waiting for the poll", async () => {
    const dir = home();
    const app = open(dir);
    const cli = open(dir);
    // A poll an hour away: only the watch on the -wal file can bring the event (or the test times out).
    const watcher = watchExternalChanges(app, { intervalMs: 3_600_000 });
    try {
      const seen = new Promise<{ reason: string }>((resolve) => app.events.on('statusChanged', resolve));
      setSetting(cli.db, 'probe', 1);
      await expect(seen).resolves.toEqual({ reason: 'external' });
      // And the next one: the watch goes on after the first event.
      const later = new Promise<{ reason: string }>((resolve) => app.events.on('statusChanged', resolve));
      setSetting(cli.db, 'probe', 2);
      await expect(later).resolves.toEqual({ reason: 'external' });
    } finally {
      watcher.stop();
    }
  });

  it('a closed ledger is not an error', () => {
    const app = open(home());
    const watcher = watchLedgerCommits(app.db, () => undefined, { intervalMs: 60_000 });
    app.close();
    expect(watcher.check()).toBe(false);
    watcher.stop();
  });
});
