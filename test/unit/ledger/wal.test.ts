import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../../src/ledger';

/** Issue 14, "Footprint": the WAL grew to 41 MB under load; it is checkpointed and cut back sooner now. */
describe('the write-ahead log', () => {
  it('stays small while 40 MB are written in many transactions', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-wal-'));
    const db = openLedger(home);
    const insert = db.prepare(`INSERT INTO usage_events (source, provider, external_id, cost_origin, occurred_at, local_day, metadata, recorded_at)
      VALUES ('import', 'filler', ?, 'unpriced', '2026-10-01T00:00:00Z', '2026-10-01', ?, '2026-10-01T00:00:00Z')`);
    const pad = JSON.stringify({ pad: 'x'.repeat(2000) });
    let largestWal = 0;
    for (let batch = 0; batch < 40; batch++) {
      db.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run(`f-${batch}-${i}`, pad);
      })();
      largestWal = Math.max(largestWal, fs.statSync(path.join(home, 'ledger.sqlite-wal')).size);
    }
    db.close();
    expect(largestWal).toBeLessThan(8 * 1024 * 1024);
  });
});
