import { describe, expect, it } from 'vitest';
import { currentVersion, migrate, openMemoryLedger } from '../../../src/ledger';

const NOW = '2026-11-21T10:00:00.000Z';

describe('migration 007 (agent log files)', () => {
  it('keeps what was there and adds agent_log_files, one row per path', () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 6);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('rollup_tz', '\"UTC\"', ?)").run(NOW);
    migrate(db, 7);
    expect(currentVersion(db)).toBe(7);
    expect(db.prepare('SELECT key FROM settings').pluck().all()).toEqual(['rollup_tz']);
    const put = db.prepare(
      "INSERT INTO agent_log_files (path, agent, size, mtime_ms, offset, fp_len, fingerprint, imported_at) VALUES (?, 'codex', 10, 1, 10, 10, 'ab', ?)",
    );
    put.run('/a.jsonl', NOW);
    expect(() => put.run('/a.jsonl', NOW)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(db.prepare('SELECT carry, rows, skipped FROM agent_log_files').get()).toEqual({ carry: '{}', rows: 0, skipped: 0 });
    expect(() => db.prepare("INSERT INTO agent_log_files (path, agent, size, mtime_ms, offset, fp_len, imported_at) VALUES ('/b', 'x', 1, 1, 1, 1, ?)").run(NOW)).toThrow(/NOT NULL/);
  });
});
