import { describe, expect, it } from 'vitest';
import { openMemoryLedger } from '../../../src/ledger/db';
import { migrate } from '../../../src/ledger/migrate';

describe('migration 005 (reconcile)', () => {
  it('adds the run and day tables to a version-4 ledger without touching its rows, and deleting a run deletes its days', () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 4);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('drift_threshold_bp', '300', '2026-03-01T00:00:00Z')").run();
    migrate(db, 5);
    expect(db.prepare('SELECT value FROM settings').all()).toEqual([{ value: '300' }]);
    const run = db
      .prepare("INSERT INTO reconciliation_runs (ran_at, checked_at, from_day, to_day, timezone, fingerprint, days) VALUES ('a', 'a', '2026-03-01', '2026-03-02', 'UTC', 'f', 1)")
      .run().lastInsertRowid;
    db.prepare("INSERT INTO reconciliation_days (run_id, provider, local_day, billed_nano) VALUES (?, 'openai', '2026-03-01', 5)").run(run);
    expect(() => db.prepare("INSERT INTO reconciliation_days (run_id, provider, local_day, billed_nano) VALUES (?, 'openai', '2026-03-01', 6)").run(run)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO reconciliation_days (run_id, provider, local_day, billed_nano, estimate_tier) VALUES (?, 'x', '2026-03-01', 6, 'billed')").run(run)).toThrow(/CHECK/);
    // Every ranked tier below billed can be the estimate compared (billed > readings > reported > estimates).
    for (const [i, tier] of ['readings', 'reported', 'estimates'].entries()) {
      db.prepare(`INSERT INTO reconciliation_days (run_id, provider, local_day, billed_nano, estimate_tier) VALUES (?, 'p${i}', '2026-03-01', 6, ?)`).run(run, tier);
    }
    expect(db.prepare("SELECT estimate_tier FROM reconciliation_days WHERE provider LIKE 'p%' ORDER BY provider").all()).toEqual([
      { estimate_tier: 'readings' },
      { estimate_tier: 'reported' },
      { estimate_tier: 'estimates' },
    ]);
    db.prepare('DELETE FROM reconciliation_runs WHERE id = ?').run(run);
    expect(db.prepare('SELECT COUNT(*) AS n FROM reconciliation_days').get()).toEqual({ n: 0 });
    db.close();
  });
});
