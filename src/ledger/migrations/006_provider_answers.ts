/**
 * 006: what a provider's answer held besides ledger rows (issue 13, docs/providers.md).
 *
 * - sync_unreadable: rows of a provider's answer that Burnrate could not read (an amount missing,
 *   null or not a number, an unknown shape). They are kept aside with the provider's raw row, never
 *   counted as $0, and listed in "needs attention" until the provider answers for that bucket again.
 *   A bucket fetched again replaces its kept-aside rows (scope = which answer and which bucket).
 * - sync_figures: figures a provider reports that are shown but not counted as its spend, one per
 *   name and billing month, e.g. OpenRouter's BYOK usage (billed by the upstream provider).
 */
export const migration006 = {
  version: 6,
  name: 'provider_answers',
  sql: `
CREATE TABLE sync_unreadable (
  id        INTEGER PRIMARY KEY,
  provider  TEXT NOT NULL,
  account   TEXT NOT NULL DEFAULT 'default',
  scope     TEXT NOT NULL,                     -- which answer and bucket, e.g. costs|2026-11-03T00:00:00.000Z
  position  INTEGER NOT NULL,                  -- the row's place in that bucket
  raw       TEXT NOT NULL,                     -- the provider's row, JSON as received
  reason    TEXT NOT NULL,                     -- one sentence: what could not be read
  run_id    INTEGER,
  seen_at   TEXT NOT NULL,
  UNIQUE (provider, account, scope, position)
);

CREATE TABLE sync_figures (
  provider    TEXT NOT NULL,
  account     TEXT NOT NULL DEFAULT 'default',
  name        TEXT NOT NULL,                   -- e.g. byok_month
  period      TEXT NOT NULL,                   -- YYYY-MM of the provider's billing month
  amount_nano INTEGER NOT NULL,
  observed_at TEXT NOT NULL,
  run_id      INTEGER,
  PRIMARY KEY (provider, account, name, period)
);
`,
} as const;
