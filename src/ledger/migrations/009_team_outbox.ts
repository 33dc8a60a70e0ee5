/**
 * 009: the team outbox. What this machine has to tell the shared PostgreSQL store (src/team), kept
 * in the ledger so a push survives a closed laptop, an unreachable server and a kill -9.
 *
 * - team_sent: the last figure queued for each shared key, so a push queues only what changed
 *   (and a zero for a key that disappeared locally, e.g. a bill the provider withdrew).
 * - team_outbox: queued figures in order. `seq` is also the revision the store keeps per machine:
 *   a row goes out with revision = seq, and the store takes it only when newer than what it holds,
 *   so re-sending after a crash changes nothing. Rows are deleted once the store has committed them.
 */
export const migration009 = {
  version: 9,
  name: 'team_outbox',
  sql: `
CREATE TABLE team_sent (
  key    TEXT PRIMARY KEY,       -- kind + shared key, e.g. member|2026-03-07|openai|gpt-4o|proj|agent_log
  figure TEXT NOT NULL           -- JSON of the figures last queued
) WITHOUT ROWID;

CREATE TABLE team_outbox (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL CHECK (kind IN ('member','billed')),
  payload     TEXT NOT NULL,     -- JSON: the shared key and its figures
  queued_at   TEXT NOT NULL      -- ISO UTC; for billed rows the time this figure was observed
);
`,
} as const;
