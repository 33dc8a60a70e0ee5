import { describe, expect, it } from 'vitest';
import { currentVersion, migrate, openMemoryLedger } from '../../../src/ledger';

const NOW = '2026-11-21T10:00:00.000Z';

describe('migration 009 (team outbox)', () => {
  it('keeps what was there and adds team_sent and team_outbox, in order', () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 6);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('reserve_bp', '2000', ?)").run(NOW);
    migrate(db, 9);
    expect(currentVersion(db)).toBe(9);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'reserve_bp'").get()).toEqual({ value: '2000' });

    const queue = db.prepare('INSERT INTO team_outbox (kind, payload, queued_at) VALUES (?, ?, ?)');
    const first = Number(queue.run('member', '{}', NOW).lastInsertRowid);
    const second = Number(queue.run('billed', '{}', NOW).lastInsertRowid);
    expect(second).toBeGreaterThan(first);
    // AUTOINCREMENT: a sequence number is never reused after the queue empties, so revisions only grow.
    db.prepare('DELETE FROM team_outbox').run();
    expect(Number(queue.run('member', '{}', NOW).lastInsertRowid)).toBeGreaterThan(second);
    expect(() => queue.run('other', '{}', NOW)).toThrow(/CHECK/);
    db.prepare("INSERT INTO team_sent (key, figure) VALUES ('k', '{}')").run();
    expect(() => db.prepare("INSERT INTO team_sent (key, figure) VALUES ('k', '{}')").run()).toThrow(/UNIQUE|PRIMARY KEY/);
    db.close();
  });
});
