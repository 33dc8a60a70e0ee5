/** 004: sync runs (one row per provider sync attempt) and the credential metadata we may keep. */
export const migration004 = {
  version: 4,
  name: 'sync',
  sql: `
CREATE TABLE sync_runs (
  id           INTEGER PRIMARY KEY,
  provider     TEXT NOT NULL,
  account      TEXT NOT NULL DEFAULT 'default',
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  window_start TEXT,
  window_end   TEXT,
  outcome      TEXT NOT NULL CHECK (outcome IN ('running','ok','error')),
  error_kind   TEXT,                             -- auth, permission, rate_limited, transient, malformed, config, interrupted
  message      TEXT,
  rows         INTEGER NOT NULL DEFAULT 0,       -- rows received and upserted
  rows_changed INTEGER NOT NULL DEFAULT 0,       -- of which inserted or updated
  duration_ms  INTEGER,
  owner        TEXT NOT NULL DEFAULT '',         -- host:pid of the process running it (stale-lock detection)
  trigger      TEXT NOT NULL DEFAULT 'manual'    -- manual, schedule
);
CREATE INDEX sync_runs_provider ON sync_runs (provider, started_at);
-- At most one running sync per provider account across every process sharing the ledger.
CREATE UNIQUE INDEX sync_runs_one_running ON sync_runs (provider, account) WHERE outcome = 'running';

-- Never the key itself: only what keys list shows.
CREATE TABLE key_metadata (
  provider   TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,                      -- admin, management, normal, unknown
  last4      TEXT NOT NULL,
  stored_in  TEXT NOT NULL,                      -- keychain
  updated_at TEXT NOT NULL
);

-- Prepaid balances a provider's API reported (DeepSeek, OpenRouter credits, xAI prepaid), kept
-- until the odometer area turns them into balance readings (origin 'api').
CREATE TABLE sync_balances (
  id          INTEGER PRIMARY KEY,
  provider    TEXT NOT NULL,
  account     TEXT NOT NULL DEFAULT 'default',
  observed_at TEXT NOT NULL,
  amount_nano INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  run_id      INTEGER,
  UNIQUE (provider, account, observed_at)
);
`,
} as const;
