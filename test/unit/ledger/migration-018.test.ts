import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/ledger/migrate';
import { openMemoryLedger } from '../../../src/ledger/db';
import { EVENT_ROW_BY_KEY } from '../../../src/api/handlers/usage-events';

describe('migration 018 (an event\'s row is found by its key alone)', () => {
  it('indexes the keys of usage events only, and finds an event whatever provider it was filed under', () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 17);
    const insert = db.prepare(
      `INSERT INTO usage_events (source, provider, external_id, model, cost_origin, occurred_at, local_day, metadata, recorded_at)
       VALUES (?, ?, ?, 'm', 'unpriced', '2026-11-01T00:00:00Z', '2026-11-01', '{}', '2026-11-01T00:00:00Z')`,
    );
    insert.run('proxy', 'openai', 'event:app#1');
    insert.run('proxy', 'groq', 'event~:a%23b#2');
    insert.run('proxy', 'openai', 'chatcmpl-1');
    insert.run('agent_log', 'anthropic', 'msg_1');

    migrate(db, 18);

    const indexed = (db.prepare(`SELECT COUNT(*) AS n FROM usage_events INDEXED BY usage_events_event_key WHERE external_id GLOB 'event*'`).get() as { n: number }).n;
    expect(indexed).toBe(2);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${EVENT_ROW_BY_KEY}`).all('event:app#1') as { detail: string }[];
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH usage_events USING INDEX usage_events_event_key (external_id=?)']);
    expect(db.prepare(EVENT_ROW_BY_KEY).get('event~:a%23b#2')).toEqual({ provider: 'groq', occurred_at: '2026-11-01T00:00:00Z' });
    expect(db.prepare(EVENT_ROW_BY_KEY).get('chatcmpl-1')).toBeUndefined();
  });
});
