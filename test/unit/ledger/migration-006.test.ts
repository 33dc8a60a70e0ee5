import { describe, expect, it } from 'vitest';
import { currentVersion, migrate, openMemoryLedger } from '../../../src/ledger';

const NOW = '2026-11-21T10:00:00.000Z';

describe('migration 006 (unreadable provider rows, figures shown apart)', () => {
  it('keeps what was there and adds sync_unreadable and sync_figures', () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 5);
    expect(currentVersion(db)).toBe(5);
    db.prepare("INSERT INTO sync_balances (provider, observed_at, amount_nano, currency) VALUES ('deepseek', ?, 41270000000, 'USD')").run(NOW);
    migrate(db, 6);
    expect(currentVersion(db)).toBe(6);
    expect(db.prepare('SELECT provider, amount_nano FROM sync_balances').all()).toEqual([{ provider: 'deepseek', amount_nano: 41_270_000_000 }]);

    const aside = db.prepare(
      "INSERT INTO sync_unreadable (provider, scope, position, raw, reason, run_id, seen_at) VALUES ('openai', ?, ?, ?, 'The amount is missing.', 1, ?)",
    );
    aside.run('costs|2026-11-03T00:00:00.000Z', 0, '{"line_item":"x"}', NOW);
    aside.run('costs|2026-11-03T00:00:00.000Z', 1, '{"line_item":"y"}', NOW);
    // One kept-aside row per place in a bucket: a re-sync replaces, never duplicates.
    expect(() => aside.run('costs|2026-11-03T00:00:00.000Z', 0, '{}', NOW)).toThrow(/UNIQUE/);
    expect(db.prepare("SELECT account, COUNT(*) AS n FROM sync_unreadable GROUP BY account").all()).toEqual([{ account: 'default', n: 2 }]);

    const figure = db.prepare(
      "INSERT INTO sync_figures (provider, name, period, amount_nano, observed_at) VALUES ('openrouter', 'byok_month', '2026-11', ?, ?)",
    );
    figure.run(1_500_000_000, NOW);
    expect(() => figure.run(2_000_000_000, NOW)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.prepare("INSERT INTO sync_unreadable (provider, scope, position, raw, seen_at) VALUES ('x', 's', 0, '{}', ?)").run(NOW)).toThrow(/NOT NULL/);
    db.close();
  });
});
