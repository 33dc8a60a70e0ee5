/**
 * 001: the core ledger. Settings, provider accounts, usage events, provider-billed daily costs,
 * and the daily rollup read model that status and charts read instead of raw events.
 *
 * Key columns never hold NULL: SQLite treats NULLs as distinct in a unique index, so a NULL in a
 * key would let the same import land twice. Ungrouped dimensions are stored as ''.
 */
export const migration001 = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,              -- JSON
  updated_at TEXT NOT NULL
);

CREATE TABLE provider_accounts (
  provider        TEXT NOT NULL,
  account         TEXT NOT NULL DEFAULT 'default',
  mode            TEXT NOT NULL CHECK (mode IN ('api','odometer','balance','subscription','manual')),
  billing_tz      TEXT NOT NULL DEFAULT 'UTC',   -- the zone of the provider's billing month
  sync_minutes    INTEGER,                       -- NULL: the default schedule
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (provider, account)
);

-- The hot table of bulk imports. Its enums (source, cost_origin) are checked by the one write path
-- (src/ledger/usage.ts validateEvent) rather than by CHECK constraints, which measured ~35 % of
-- the insert cost. One narrow secondary index only: local_day serves export, history (ordered
-- by local_day, then time) and day-range reads; a second column measured ~4 % slower imports.
CREATE TABLE usage_events (
  id                  INTEGER PRIMARY KEY,
  source              TEXT NOT NULL,
  provider            TEXT NOT NULL,
  account             TEXT NOT NULL DEFAULT 'default',
  external_id         TEXT NOT NULL,
  model               TEXT NOT NULL DEFAULT '',
  project             TEXT NOT NULL DEFAULT '',
  input_tokens        INTEGER NOT NULL DEFAULT 0,
  output_tokens       INTEGER NOT NULL DEFAULT 0,
  cached_input_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens  INTEGER NOT NULL DEFAULT 0,
  total_tokens        INTEGER NOT NULL DEFAULT 0,
  -- unit prices in nano-USD per million tokens; NULL when the cost was given or the model is unpriced
  input_price         INTEGER,
  output_price        INTEGER,
  cached_input_price  INTEGER,
  cache_write_price   INTEGER,
  cost_input_nano     INTEGER,
  cost_output_nano    INTEGER,
  cost_total_nano     INTEGER,                   -- NULL only when unpriced
  cost_origin         TEXT NOT NULL,             -- catalogue | given | unpriced
  occurred_at         TEXT NOT NULL,             -- ISO UTC
  local_day           TEXT NOT NULL,             -- YYYY-MM-DD in the zone of settings.rollup_tz
  metadata            TEXT NOT NULL DEFAULT '{}',
  recorded_at         TEXT NOT NULL,
  UNIQUE (source, provider, external_id)
);
CREATE INDEX usage_events_day ON usage_events (local_day);

-- What a provider's billing API says it charged, per bucket (a day for every provider we sync).
CREATE TABLE billed_costs (
  id            INTEGER PRIMARY KEY,
  provider      TEXT NOT NULL,
  account       TEXT NOT NULL DEFAULT 'default',
  external_id   TEXT NOT NULL,                   -- deterministic: bucket start + grouping dimensions
  bucket_start  TEXT NOT NULL,                   -- ISO UTC
  bucket_end    TEXT NOT NULL,
  local_day     TEXT NOT NULL,                   -- local day holding the bucket's midpoint
  model         TEXT NOT NULL DEFAULT '',
  line_item     TEXT NOT NULL DEFAULT '',
  project       TEXT NOT NULL DEFAULT '',
  amount_nano   INTEGER NOT NULL,
  currency      TEXT NOT NULL DEFAULT 'USD',
  metadata      TEXT NOT NULL DEFAULT '{}',
  fetched_at    TEXT NOT NULL,
  UNIQUE (provider, account, external_id)
);
CREATE INDEX billed_costs_day ON billed_costs (local_day, provider);

-- Read model, kept current on every write: one row per local day x provider x model x source.
CREATE TABLE daily_rollups (
  local_day           TEXT NOT NULL,
  provider            TEXT NOT NULL,
  model               TEXT NOT NULL,
  source              TEXT NOT NULL,
  events              INTEGER NOT NULL DEFAULT 0,
  input_tokens        INTEGER NOT NULL DEFAULT 0,
  output_tokens       INTEGER NOT NULL DEFAULT 0,
  cached_input_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens  INTEGER NOT NULL DEFAULT 0,
  cost_nano           INTEGER NOT NULL DEFAULT 0,
  unpriced_events     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (local_day, provider, model, source)
) WITHOUT ROWID;

-- When each provider's figures last changed, kept on write so status never scans raw rows.
CREATE TABLE provider_activity (
  provider      TEXT PRIMARY KEY,
  last_write_at TEXT NOT NULL
);

CREATE TABLE price_overrides (
  model              TEXT PRIMARY KEY,
  provider           TEXT NOT NULL,
  input_price        INTEGER NOT NULL,           -- nano-USD per million tokens
  output_price       INTEGER NOT NULL,
  cached_input_price INTEGER,
  cache_write_price  INTEGER,
  updated_at         TEXT NOT NULL
);

CREATE TABLE budgets (
  scope       TEXT NOT NULL CHECK (scope IN ('daily','monthly','provider_monthly')),
  provider    TEXT NOT NULL DEFAULT '',          -- '' except for provider caps
  amount_nano INTEGER NOT NULL CHECK (amount_nano >= 0),
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (scope, provider)
);
`,
} as const;
