/**
 * 005: reconciliation runs and their per-provider, per-day results (src/reconcile, docs/ledger.md).
 *
 * A run stores the figures of every (provider, local day) that has billed data in its range. Re-running
 * on unchanged data stores nothing new: it only moves `checked_at` of the latest run (the figures'
 * fingerprint is compared), so the daily job knows the figures were confirmed.
 */
export const migration005 = {
  version: 5,
  name: 'reconcile',
  sql: `
CREATE TABLE reconciliation_runs (
  id          INTEGER PRIMARY KEY,
  ran_at      TEXT NOT NULL,                    -- ISO UTC: when these figures were computed
  checked_at  TEXT NOT NULL,                    -- ISO UTC: the last run that found the same figures
  from_day    TEXT NOT NULL,                    -- YYYY-MM-DD, local days of timezone
  to_day      TEXT NOT NULL,
  timezone    TEXT NOT NULL,                    -- the zone whose local days these are
  fingerprint TEXT NOT NULL,                    -- hash of range, zone and every day's figures
  days        INTEGER NOT NULL                  -- number of reconciliation_days rows
);
CREATE INDEX reconciliation_runs_range ON reconciliation_runs (timezone, from_day, to_day);

CREATE TABLE reconciliation_days (
  run_id          INTEGER NOT NULL REFERENCES reconciliation_runs(id) ON DELETE CASCADE,
  provider        TEXT NOT NULL,
  local_day       TEXT NOT NULL,
  billed_nano     INTEGER NOT NULL,
  estimated_nano  INTEGER,                      -- the estimate that would have counted without the bill; NULL: none
  estimate_tier   TEXT CHECK (estimate_tier IN ('readings','reported','estimates')),
  drift_nano      INTEGER,                      -- estimated - billed; NULL without an estimate
  drift_bp        INTEGER,                      -- drift / billed in basis points; NULL when billed is 0 or no estimate
  coverage_bp     INTEGER,                      -- share of billed spend that had an estimate; NULL when billed is 0
  unpriced_events INTEGER NOT NULL DEFAULT 0,   -- estimate events without a price (their cost is missing)
  by_source       TEXT NOT NULL DEFAULT '{}',   -- JSON: every non-billed rollup source -> nano
  PRIMARY KEY (run_id, provider, local_day)
) WITHOUT ROWID;
CREATE INDEX reconciliation_days_day ON reconciliation_days (local_day, provider);
`,
} as const;
