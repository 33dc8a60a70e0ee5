import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/ledger/migrate';
import { openMemoryLedger } from '../../../src/ledger/db';

describe('migration 016 (a failed close step as data)', () => {
  it('splits the failures stored as one line into step, provider and error, and leaves waits, closed months and odd lines alone', () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 15);
    const insert = db.prepare(
      `INSERT INTO month_closes (month, step, state, attempts, last_error, finals_deadline, started_at, updated_at, timezone)
       VALUES (?, ?, ?, 1, ?, 'd', 's', 'u', 'UTC')`,
    );
    insert.run('2026-01', 'send', 'retrying', 'send: the report is still waiting for email channel #1 (SMTP: connect ECONNREFUSED 127.0.0.1:9)');
    insert.run('2026-02', 'sync', 'retrying', 'sync: openai: OpenAI refused the key (401): check it.');
    insert.run('2026-03', 'finals', 'waiting', 'Waiting for the final March 2026 figure of Groq until 2026-04-04 00:00 (UTC).');
    insert.run('2026-04', 'done', 'closed', null);
    // A sync failure without a provider in front (it failed before reaching one): nothing to split off.
    insert.run('2026-05', 'sync', 'running', 'sync: the ledger is busy: try later');
    // A line that does not start with its own step's code is not one this code wrote: kept as it is.
    insert.run('2026-06', 'freeze', 'retrying', 'report: something else');

    migrate(db, 16);

    expect(db.prepare('SELECT month, step, last_error, error_step, error_provider FROM month_closes ORDER BY month').all()).toEqual([
      { month: '2026-01', step: 'send', last_error: 'the report is still waiting for email channel #1 (SMTP: connect ECONNREFUSED 127.0.0.1:9)', error_step: 'send', error_provider: null },
      { month: '2026-02', step: 'sync', last_error: 'OpenAI refused the key (401): check it.', error_step: 'sync', error_provider: 'openai' },
      { month: '2026-03', step: 'finals', last_error: 'Waiting for the final March 2026 figure of Groq until 2026-04-04 00:00 (UTC).', error_step: null, error_provider: null },
      { month: '2026-04', step: 'done', last_error: null, error_step: null, error_provider: null },
      { month: '2026-05', step: 'sync', last_error: 'the ledger is busy: try later', error_step: 'sync', error_provider: null },
      { month: '2026-06', step: 'freeze', last_error: 'report: something else', error_step: null, error_provider: null },
    ]);
    db.close();
  });
});
