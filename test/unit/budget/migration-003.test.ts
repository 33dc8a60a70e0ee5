import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/ledger/migrate';
import { openMemoryLedger } from '../../../src/ledger/db';

describe('migration 003 (alerts, channels, outbox)', () => {
  it('adds its tables to a ledger at version 2, keeping what was there', () => {
    const db = openMemoryLedger({ migrate: false });
    db.pragma('foreign_keys = ON');
    migrate(db, 2);
    db.prepare("INSERT INTO budgets (scope, provider, amount_nano, updated_at) VALUES ('daily', '', 5000000000, '2026-03-01T00:00:00Z')").run();
    migrate(db, 3);
    expect(db.prepare('SELECT amount_nano FROM budgets').get()).toEqual({ amount_nano: 5_000_000_000 });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['alerts', 'notification_channels', 'notification_outbox']));

    const insertAlert = db.prepare("INSERT INTO alerts (rule, period, level, message, created_at) VALUES (?, ?, 'warning', 'm', '2026-03-01T00:00:00Z')");
    insertAlert.run('day_80', '2026-03-01');
    // Once per rule, period and provider.
    expect(() => insertAlert.run('day_80', '2026-03-01')).toThrow(/UNIQUE/);
    insertAlert.run('day_80', '2026-03-02');
    expect(() => db.prepare("INSERT INTO alerts (rule, period, level, message, created_at) VALUES ('x', 'p', 'loud', 'm', 'now')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO notification_channels (kind, url, created_at) VALUES ('email', 'x', 'now')").run()).toThrow(/CHECK/);

    // Outbox rows go with their channel.
    db.prepare("INSERT INTO notification_channels (kind, url, created_at) VALUES ('slack', 'https://hooks.slack.com/x', 'now')").run();
    db.prepare("INSERT INTO notification_outbox (alert_id, channel_id, created_at, next_attempt_at) VALUES (1, 1, 'now', 'now')").run();
    expect(db.prepare('SELECT status, attempts FROM notification_outbox').get()).toEqual({ status: 'pending', attempts: 0 });
    db.prepare('DELETE FROM notification_channels WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM notification_outbox').get()).toEqual({ n: 0 });
    db.close();
  });
});
