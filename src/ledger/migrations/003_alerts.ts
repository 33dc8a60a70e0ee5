/** 003: alerts, notification channels and the durable delivery outbox. */
export const migration003 = {
  version: 3,
  name: 'alerts',
  sql: `
CREATE TABLE alerts (
  id              INTEGER PRIMARY KEY,
  rule            TEXT NOT NULL,                 -- e.g. day_50, month_reserve, cap_100, forecast_over
  period          TEXT NOT NULL,                 -- YYYY-MM-DD or YYYY-MM
  provider        TEXT NOT NULL DEFAULT '',
  level           TEXT NOT NULL CHECK (level IN ('info','warning','critical')),
  message         TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  acknowledged_at TEXT,
  UNIQUE (rule, period, provider)
);

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
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  delivered_at    TEXT,
  last_error      TEXT,
  UNIQUE (alert_id, channel_id)
);
`,
} as const;
