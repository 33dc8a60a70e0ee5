import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/ledger/migrate';
import { openMemoryLedger } from '../../../src/ledger/db';

describe('migration 010 (month close, email channels, message outbox)', () => {
  it('rebuilds the channels with foreign keys on, keeping every channel and every outbox row', () => {
    const db = openMemoryLedger({ migrate: false });
    db.pragma('foreign_keys = ON');
    migrate(db, 6);
    db.prepare("INSERT INTO alerts (rule, period, level, message, created_at) VALUES ('day_80', '2026-03-01', 'warning', 'm', '2026-03-01T00:00:00Z')").run();
    db.prepare("INSERT INTO notification_channels (id, kind, url, created_at) VALUES (4, 'slack', 'https://hooks.slack.com/x', '2026-03-01T00:00:00Z')").run();
    db.prepare("INSERT INTO notification_channels (id, kind, url, created_at) VALUES (7, 'ntfy', 'https://ntfy.sh/t', '2026-03-01T00:00:00Z')").run();
    db.prepare("INSERT INTO notification_outbox (alert_id, channel_id, status, attempts, created_at, next_attempt_at, last_error) VALUES (1, 4, 'pending', 2, 'c', 'n', 'HTTP 500')").run();
    db.prepare("INSERT INTO notification_outbox (alert_id, channel_id, status, created_at, next_attempt_at, delivered_at) VALUES (1, 7, 'delivered', 'c', 'n', 'd')").run();

    migrate(db, 10);

    expect(db.prepare('SELECT id, kind, url, alert_level, reminders, reports FROM notification_channels ORDER BY id').all()).toEqual([
      { id: 4, kind: 'slack', url: 'https://hooks.slack.com/x', alert_level: 'info', reminders: 0, reports: 1 },
      { id: 7, kind: 'ntfy', url: 'https://ntfy.sh/t', alert_level: 'info', reminders: 0, reports: 1 },
    ]);
    expect(db.prepare('SELECT alert_id, channel_id, status, attempts, last_error FROM notification_outbox ORDER BY channel_id').all()).toEqual([
      { alert_id: 1, channel_id: 4, status: 'pending', attempts: 2, last_error: 'HTTP 500' },
      { alert_id: 1, channel_id: 7, status: 'delivered', attempts: 0, last_error: null },
    ]);
    // Email is a kind now; the outbox still goes with its channel, and so do channel messages.
    db.prepare("INSERT INTO notification_channels (kind, url, email_to, created_at) VALUES ('email', 'smtp://mail.example.com:587', 'a@example.com', 'now')").run();
    db.prepare("INSERT INTO channel_messages (channel_id, kind, idem_key, month, subject, body, created_at, next_attempt_at) VALUES (4, 'report', 'report:2026-02:4', '2026-02', 's', 'b', 'c', 'n')").run();
    expect(() => db.prepare("INSERT INTO channel_messages (channel_id, kind, idem_key, subject, body, created_at, next_attempt_at) VALUES (4, 'report', 'report:2026-02:4', 's', 'b', 'c', 'n')").run()).toThrow(/UNIQUE/);
    db.prepare('DELETE FROM notification_channels WHERE id = 4').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM notification_outbox').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM channel_messages').get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['month_closes', 'month_close_steps', 'month_frozen', 'month_adjustments', 'month_reports', 'channel_messages']));
    expect(tables).not.toContain('notification_outbox_parked');
    db.close();
  });
});
