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

CREATE TABLE project_budgets (
  project     TEXT PRIMARY KEY,
  amount_nano INTEGER NOT NULL CHECK (amount_nano > 0),
  updated_at  TEXT NOT NULL
);
`,
} as const;
