import type { Database } from 'better-sqlite3';
import { currentFigures, zeroed, type Figure } from './collect';
import type { TeamConfig } from './config';

/**
 * The local outbox (ledger migration 009). `queueChanges` compares what the ledger holds now with
 * what was last queued (team_sent) and queues only the differences, in one transaction: a push
 * that dies half-way leaves either nothing queued or everything queued. The queue drains in seq
 * order; seq is the revision the store compares, so the newest figure for a key always wins.
 */

export interface Queued {
  seq: number;
  figure: Figure;
  queuedAt: string;
}

export function queueChanges(db: Database, config: Pick<TeamConfig, 'orgs'>, now: Date): number {
  const run = db.transaction(() => {
    const current = currentFigures(db, config);
    const sent = new Map((db.prepare('SELECT key, figure FROM team_sent').all() as { key: string; figure: string }[]).map((r) => [r.key, r.figure]));
    const queue = db.prepare('INSERT INTO team_outbox (kind, payload, queued_at) VALUES (?, ?, ?)');
    const remember = db.prepare('INSERT INTO team_sent (key, figure) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET figure = excluded.figure');
    const forget = db.prepare('DELETE FROM team_sent WHERE key = ?');
    const at = now.toISOString();
    let queued = 0;
    for (const [key, figure] of current) {
      const json = JSON.stringify(figure.row);
      if (sent.get(key) === json) continue;
      queue.run(figure.kind, json, at);
      remember.run(key, json);
      queued++;
    }
    for (const [key, json] of sent) {
      if (current.has(key)) continue;
      const gone = zeroed({ kind: key.startsWith('billed') ? 'billed' : 'member', row: JSON.parse(json) } as Figure);
      queue.run(gone.kind, JSON.stringify(gone.row), at);
      forget.run(key);
      queued++;
    }
    return queued;
  });
  return run.immediate();
}

export function pendingCount(db: Database): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM team_outbox').get() as { n: number }).n;
}

/** The oldest `limit` queued figures, in order. */
export function peekOutbox(db: Database, limit: number): Queued[] {
  const rows = db.prepare('SELECT seq, kind, payload, queued_at FROM team_outbox ORDER BY seq LIMIT ?').all(limit) as {
    seq: number;
    kind: Figure['kind'];
    payload: string;
    queued_at: string;
  }[];
  return rows.map((r) => ({ seq: r.seq, figure: { kind: r.kind, row: JSON.parse(r.payload) } as Figure, queuedAt: r.queued_at }));
}

/** Drop what the store has committed (up to and including `seq`). */
export function acknowledge(db: Database, seq: number): void {
  db.prepare('DELETE FROM team_outbox WHERE seq <= ?').run(seq);
}

/** Forget everything about the team (leave): a later join pushes the whole ledger again. */
export function clearOutbox(db: Database): void {
  db.transaction(() => {
    db.prepare('DELETE FROM team_outbox').run();
    db.prepare('DELETE FROM team_sent').run();
  })();
}
