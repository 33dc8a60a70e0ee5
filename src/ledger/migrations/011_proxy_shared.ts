/**
 * 011: the metering proxy's shared state (docs/proxy.md).
 *
 * - proxy_reservations: every reservation a proxy holds while an enforced budget is in play, written
 *   in the same IMMEDIATE transaction as the admission decision, so two proxies on one ledger see each
 *   other's requests in flight and together cannot pass a line that each alone would not. `owner`
 *   names one proxy (a random id per start), `owner_pid` its process (a dead process's rows are
 *   dropped at once); `expires_at` (ms since the epoch) is pushed forward by the living owner, so a
 *   proxy killed on another machine sharing the folder loses its rows within a minute too.
 *   `project` is '' when the request names none.
 * - usage_events_project: the month of one project, read at each admission under its cap.
 * - project_budgets: a monthly cap per project (the project of X-Burnrate-Project, /p/NAME/, or an
 *   agent log's project). Kept apart from `budgets`, whose CHECK on scope SQLite cannot alter.
 */
export const migration011 = {
  version: 11,
  name: 'proxy_shared',
  sql: `
CREATE TABLE proxy_reservations (
  id          INTEGER PRIMARY KEY,
  owner       TEXT NOT NULL,
  owner_pid   INTEGER NOT NULL,
  provider    TEXT NOT NULL,
  project     TEXT NOT NULL DEFAULT '',
  amount_nano INTEGER NOT NULL CHECK (amount_nano >= 0),
  expires_at  INTEGER NOT NULL
);
CREATE INDEX proxy_reservations_owner ON proxy_reservations (owner);

-- A project cap is checked at every admission of that project's requests: its month is read from
-- this covering index alone (measured: 6,700 rows of one project in 2.4 ms, against 19 ms through
-- the table). Partial: rows without a project (most billing and manual rows) cost imports nothing.
CREATE INDEX usage_events_project ON usage_events (project, local_day, provider, source, cost_origin, cost_total_nano, input_tokens, output_tokens)
  WHERE project <> '';

CREATE TABLE project_budgets (
  project     TEXT PRIMARY KEY,
  amount_nano INTEGER NOT NULL CHECK (amount_nano > 0),
  updated_at  TEXT NOT NULL
);
`,
} as const;
