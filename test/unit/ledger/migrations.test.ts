import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { currentVersion, latestVersion, LedgerError, migrate, openLedger, openMemoryLedger } from '../../../src/ledger';

/** One test per migration: migrate to N-1, seed, migrate to N, assert the seeded rows survive and N's tables work. */
function at(version: number) {
  const db = openMemoryLedger({ migrate: false });
  migrate(db, version);
  expect(currentVersion(db)).toBe(version);
  return db;
}
const NOW = '2026-11-21T10:00:00.000Z';

describe('migrations', () => {
  it('001 core: creates the ledger tables, and the unique key makes imports idempotent', () => {
    const db = at(0);
    migrate(db, 1);
    db.prepare(`INSERT INTO usage_events (source, provider, external_id, model, cost_total_nano, cost_origin, occurred_at, local_day, recorded_at)
                VALUES ('manual','openai','a','gpt-4o',1,'given',?, '2026-11-21', ?)`).run(NOW, NOW);
    expect(() =>
      db.prepare(`INSERT INTO usage_events (source, provider, external_id, model, cost_total_nano, cost_origin, occurred_at, local_day, recorded_at)
                  VALUES ('manual','openai','a','gpt-4o',1,'given',?, '2026-11-21', ?)`).run(NOW, NOW),
    ).toThrow(/UNIQUE/);
    // Key columns refuse NULL, so SQLite's "NULLs are distinct" rule can never let a duplicate in.
    expect(() =>
      db.prepare(`INSERT INTO billed_costs (provider, account, external_id, bucket_start, bucket_end, local_day, model, amount_nano, fetched_at)
                  VALUES ('openai', NULL, 'x', ?, ?, '2026-11-21', '', 1, ?)`).run(NOW, NOW, NOW),
    ).toThrow(/NOT NULL/);
    expect(() => db.prepare("INSERT INTO budgets (scope, amount_nano, updated_at) VALUES ('daily', -1, ?)").run(NOW)).toThrow(/CHECK/);
  });

  it('002 readings: keeps 001 rows and adds readings, months, subscriptions, reminders', () => {
    const db = at(1);
    db.prepare("INSERT INTO budgets (scope, amount_nano, updated_at) VALUES ('daily', 2000000000, ?)").run(NOW);
    migrate(db, 2);
    expect(db.prepare('SELECT amount_nano FROM budgets').get()).toEqual({ amount_nano: 2_000_000_000 });
    db.prepare("INSERT INTO readings (provider, kind, amount_nano, taken_at, billing_month, created_at) VALUES ('groq','odometer',1,?, '2026-11', ?)").run(NOW, NOW);
    expect(() => db.prepare("INSERT INTO readings (provider, kind, amount_nano, taken_at, billing_month, created_at) VALUES ('groq','odometer',-1,?, '2026-11', ?)").run(NOW, NOW)).toThrow(/CHECK/);
  });

  it('003 alerts: adds alerts and the outbox; one alert per rule, period and provider', () => {
    const db = at(2);
    db.prepare("INSERT INTO readings (provider, kind, amount_nano, taken_at, billing_month, created_at) VALUES ('groq','odometer',5,?, '2026-11', ?)").run(NOW, NOW);
    migrate(db, 3);
    expect(db.prepare('SELECT COUNT(*) AS n FROM readings').get()).toEqual({ n: 1 });
    const add = db.prepare("INSERT INTO alerts (rule, period, level, message, created_at) VALUES ('day_50', '2026-11-21', 'info', 'm', ?)");
    add.run(NOW);
    expect(() => add.run(NOW)).toThrow(/UNIQUE/);
  });

  it('004 sync: adds sync runs and key metadata (never the key itself)', () => {
    const db = at(3);
    db.prepare("INSERT INTO alerts (rule, period, level, message, created_at) VALUES ('day_50', '2026-11-21', 'info', 'm', ?)").run(NOW);
    migrate(db, 4);
    expect(db.prepare('SELECT COUNT(*) AS n FROM alerts').get()).toEqual({ n: 1 });
    const columns = (db.prepare('PRAGMA table_info(key_metadata)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('key');
    expect(columns).toContain('last4');
  });

  it('005 reconcile: adds reconciliation runs and days', () => {
    const db = at(4);
    db.prepare("INSERT INTO sync_runs (provider, started_at, outcome) VALUES ('openai', ?, 'ok')").run(NOW);
    migrate(db, 5);
    expect(db.prepare('SELECT provider, started_at, outcome FROM sync_runs').all()).toEqual([{ provider: 'openai', started_at: NOW, outcome: 'ok' }]);
    // A run and a day as src/reconcile/store.ts writes them (every NOT NULL column of 005).
    const run = db
      .prepare(
        `INSERT INTO reconciliation_runs (ran_at, checked_at, from_day, to_day, timezone, fingerprint, days)
         VALUES (?, ?, '2026-11-01', '2026-11-21', 'UTC', 'f', 1)`,
      )
      .run(NOW, NOW).lastInsertRowid;
    db.prepare(
      `INSERT INTO reconciliation_days (run_id, provider, local_day, billed_nano, estimated_nano, estimate_tier, drift_nano, drift_bp, coverage_bp, by_source)
       VALUES (?, 'openai', '2026-11-01', 100, 90, 'reported', -10, -1000, 10000, '{"api_usage":90}')`,
    ).run(run);
    expect(db.prepare('SELECT run_id, estimate_tier, drift_bp, unpriced_events FROM reconciliation_days').all()).toEqual([
      { run_id: run, estimate_tier: 'reported', drift_bp: -1000, unpriced_events: 0 },
    ]);
    // The tier is one of the ranked tiers below billed; one row per run, provider and day.
    expect(() => db.prepare("INSERT INTO reconciliation_days (run_id, provider, local_day, billed_nano, estimate_tier) VALUES (?, 'x', '2026-11-01', 1, 'billed')").run(run)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO reconciliation_days (run_id, provider, local_day, billed_nano) VALUES (?, 'openai', '2026-11-01', 1)").run(run)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO reconciliation_runs (ran_at, from_day, to_day) VALUES (?, '2026-11-01', '2026-11-21')").run(NOW)).toThrow(/NOT NULL/);
  });

  it('every migration has its own test above', () => {
    expect(latestVersion).toBe(19); // 007, 009, 010, 011, 015, 016, 017, 018 and 019 have their own tests (migration-0NN.test.ts); 008 is unused
  });
});

describe('opening a ledger', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-ledger-'));

  it('uses WAL, foreign keys and a busy timeout', () => {
    const db = openLedger(tmp());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('refuses a ledger from a newer Burnrate and leaves it untouched', () => {
    const home = tmp();
    openLedger(home).close();
    const file = path.join(home, 'ledger.sqlite');
    const raw = new BetterSqlite3(file);
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x', ?)").run(NOW);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openLedger(home)).toThrow(LedgerError);
    expect(() => openLedger(home)).toThrow(/newer Burnrate/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses an edited migration', () => {
    const home = tmp();
    openLedger(home).close();
    const raw = new BetterSqlite3(path.join(home, 'ledger.sqlite'));
    raw.prepare("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2").run();
    raw.close();
    expect(() => openLedger(home)).toThrow(/does not match this build/);
  });

  it('says a corrupt file is damaged and does not overwrite it', () => {
    const home = tmp();
    const file = path.join(home, 'ledger.sqlite');
    fs.writeFileSync(file, 'this is not a database, it is a grocery list '.repeat(200));
    const before = fs.readFileSync(file);
    expect(() => openLedger(home)).toThrow(/damaged or is not a Burnrate database/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
