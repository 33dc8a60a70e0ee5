/**
 * 003: alerts, notification channels and the durable delivery outbox.
 *
 * An alert and its outbox rows are written in one transaction, so a notification can never be
 * lost between "the alert exists" and "someone will deliver it" (docs/budget.md).
 */
export const migration003 = {
  version: 3,
  name: 'alerts',
  sql: `
CREATE TABLE alerts (
  id              INTEGER PRIMARY KEY,
  rule            TEXT NOT NULL,                 -- e.g. day_50, month_reserve, cap_100, forecast_over
  period          TEXT NOT NULL,                 -- YYYY-MM-DD (a local day) or YYYY-MM (a local month)
  provider        TEXT NOT NULL DEFAULT '',      -- '' except for provider caps
  level           TEXT NOT NULL CHECK (level IN ('info','warning','critical')),
  message         TEXT NOT NULL,
  data            TEXT NOT NULL DEFAULT '{}',    -- JSON: the figures at the moment it fired
  created_at      TEXT NOT NULL,
  acknowledged_at TEXT,
  superseded_by   INTEGER REFERENCES alerts(id), -- a higher threshold of the same budget and period
  UNIQUE (rule, period, provider)                -- once per threshold per period, across restarts
);
CREATE INDEX alerts_open ON alerts (acknowledged_at, superseded_by, created_at);

CREATE TABLE notification_channels (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('slack','discord','ntfy','webhook')),
  url        TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (kind, url)
);

CREATE TABLE notification_outbox (
  id              INTEGER PRIMARY KEY,
  alert_id        INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  channel_id      INTEGER NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,                 -- also the lease of a sender that claimed the row
  last_attempt_at TEXT,
  delivered_at    TEXT,
  last_error      TEXT,
  UNIQUE (alert_id, channel_id)
);
CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);
`,
} as const;
