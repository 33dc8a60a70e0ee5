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
  error_kind   TEXT,                             -- auth, permission, rate_limited, transient, malformed, config
  message      TEXT,
  rows         INTEGER NOT NULL DEFAULT 0,
  duration_ms  INTEGER
);
CREATE INDEX sync_runs_provider ON sync_runs (provider, started_at);

-- Never the key itself: only what keys list shows.
CREATE TABLE key_metadata (
  provider   TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,                      -- admin, management, normal
  last4      TEXT NOT NULL,
  stored_in  TEXT NOT NULL,                      -- keychain, env
  updated_at TEXT NOT NULL
);
`,
} as const;
