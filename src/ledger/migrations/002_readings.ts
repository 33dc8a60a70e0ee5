/**
 * 002: odometer and balance readings, month summaries, subscriptions, reminders.
 * docs/odometer.md describes how these tables turn into ledger rows.
 */
export const migration002 = {
  version: 2,
  name: 'readings',
  sql: `
CREATE TABLE readings (
  id            INTEGER PRIMARY KEY,
  provider      TEXT NOT NULL,
  account       TEXT NOT NULL DEFAULT 'default',
  kind          TEXT NOT NULL CHECK (kind IN ('odometer','balance','topup')),
  amount_nano   INTEGER NOT NULL CHECK (amount_nano >= 0),
  taken_at      TEXT NOT NULL,                   -- ISO UTC
  billing_month TEXT NOT NULL,                   -- YYYY-MM of the provider's billing month
  is_final      INTEGER NOT NULL DEFAULT 0,      -- a month's final figure entered afterwards
  origin        TEXT NOT NULL DEFAULT 'user' CHECK (origin IN ('user','api')),
  note          TEXT NOT NULL DEFAULT '',
  replaces_id   INTEGER REFERENCES readings(id), -- the reading this one corrected (--replace)
  external_ref  TEXT,                            -- origin 'api': the observation it came from, e.g. sync_balances:12
  created_at    TEXT NOT NULL,
  deleted_at    TEXT                             -- soft delete keeps the history
);
CREATE INDEX readings_provider ON readings (provider, account, billing_month, taken_at);
-- An API observation becomes a reading once, even after that reading is deleted.
CREATE UNIQUE INDEX readings_external ON readings (provider, account, external_ref) WHERE external_ref IS NOT NULL;

CREATE TABLE month_summaries (
  provider        TEXT NOT NULL,
  account         TEXT NOT NULL DEFAULT 'default',
  month           TEXT NOT NULL,                 -- YYYY-MM
  total_nano      INTEGER NOT NULL CHECK (total_nano >= 0),
  status          TEXT NOT NULL CHECK (status IN ('open','final','estimated')),
  last_reading_at TEXT,                          -- the last reading inside the month (not the final figure)
  updated_at      TEXT NOT NULL,
  PRIMARY KEY (provider, account, month)
);

CREATE TABLE subscriptions (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  provider      TEXT NOT NULL,                   -- slug used in the ledger, e.g. chatgpt-plus
  monthly_nano  INTEGER NOT NULL CHECK (monthly_nano >= 0),
  day_of_month  INTEGER NOT NULL CHECK (day_of_month BETWEEN 1 AND 31),
  started_on    TEXT NOT NULL,                   -- YYYY-MM-DD
  ended_on      TEXT,
  created_at    TEXT NOT NULL
);

CREATE TABLE reminders (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  provider      TEXT NOT NULL DEFAULT '',
  period        TEXT NOT NULL,                   -- what it is about, e.g. 2026-11
  message       TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT,                            -- no longer relevant after this (a month-end check once the month is over)
  snoozed_until TEXT,
  dismissed_at  TEXT,
  answered_at   TEXT,
  UNIQUE (kind, provider, period)
);
`,
} as const;
