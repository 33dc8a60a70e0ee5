import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/ledger/migrate';
import { openMemoryLedger } from '../../../src/ledger/db';

describe('migration 019 (the names models were answered as, kept for the proxy\'s next start)', () => {
  it('keeps one answered name per provider and model asked for, on a ledger that had none', () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 18);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'proxy_answered_models'").get()).toBeUndefined();
    migrate(db, 19);
    const insert = db.prepare("INSERT INTO proxy_answered_models (provider, asked, answered, seen_at) VALUES (?, ?, ?, '2026-12-03T00:00:00Z')");
    insert.run('anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929');
    insert.run('openrouter', 'claude-sonnet-4-5', 'anthropic/claude-sonnet-4.5');
    expect(() => insert.run('anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20260101')).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO proxy_answered_models (provider, asked, answered) VALUES ('a', 'b', 'c')").run()).toThrow(/NOT NULL/);
    expect(db.prepare('SELECT provider, answered FROM proxy_answered_models ORDER BY provider').all()).toEqual([
      { provider: 'anthropic', answered: 'claude-sonnet-4-5-20250929' },
      { provider: 'openrouter', answered: 'anthropic/claude-sonnet-4.5' },
    ]);
  });
});
