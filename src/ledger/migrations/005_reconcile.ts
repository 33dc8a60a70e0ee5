/** 005: reconciliation runs and their per-provider, per-day results. */
export const migration005 = {
  version: 5,
  name: 'reconcile',
  sql: `
CREATE TABLE reconciliation_runs (
  id        INTEGER PRIMARY KEY,
  ran_at    TEXT NOT NULL,
  from_day  TEXT NOT NULL,
  to_day    TEXT NOT NULL,
  summary   TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE reconciliation_days (
  run_id          INTEGER NOT NULL REFERENCES reconciliation_runs(id) ON DELETE CASCADE,
  provider        TEXT NOT NULL,
  local_day       TEXT NOT NULL,
  billed_nano     INTEGER NOT NULL,
  estimated_nano  INTEGER NOT NULL,
  drift_nano      INTEGER NOT NULL,             -- estimated - billed
  drift_bp        INTEGER,                      -- drift / billed in basis points; NULL when billed is 0
  coverage_bp     INTEGER,                      -- share of billed spend that had an estimate
  PRIMARY KEY (run_id, provider, local_day)
);
`,
} as const;
