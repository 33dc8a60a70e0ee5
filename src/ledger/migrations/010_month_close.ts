/**
 * 010: the month close (src/close, docs/month-close.md), email channels, what each channel receives,
 * and a second durable outbox for messages that are not alerts (monthly reports, reminders).
 *
 * - month_closes: one row per month being closed or closed; `step` is the step it stands at, so a
 *   close killed or put to sleep resumes there. A failed step keeps its error and the time of its
 *   next try (backoff). `owner` is host:pid of the process running it (a dead owner is taken over).
 * - month_close_steps: one row per finished step, with what it found (JSON), written in the same
 *   transaction that moves `step` on.
 * - month_frozen: the counted total per provider at the moment the month was frozen.
 * - month_adjustments: every later change to a closed month's counted total, with its reason.
 * - month_reports: the report as built at close time (HTML and CSV), kept like rollups.
 * - notification_channels is rebuilt to admit kind 'email' and to say what each channel receives:
 *   alerts from a level up (or none), reminders, monthly reports. SQLite cannot alter a CHECK, and
 *   dropping the old table with foreign keys on would cascade-delete the outbox, so the outbox rows
 *   are parked in a table without keys, both tables are dropped child first, and rebuilt.
 * - channel_messages: the outbox of reports and reminders; `idem_key` (e.g. report:2026-11:3) makes
 *   enqueueing the same message twice a no-op, so a month's report goes to a channel once.
 */
export const migration010 = {
  version: 10,
  name: 'month_close',
  sql: `
CREATE TABLE notification_channels_new (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('slack','discord','ntfy','webhook','email')),
  url         TEXT NOT NULL,                   -- email: smtp://[user@]host:port (never a password)
  email_to    TEXT NOT NULL DEFAULT '',
  email_from  TEXT NOT NULL DEFAULT '',
  alert_level TEXT NOT NULL DEFAULT 'info' CHECK (alert_level IN ('info','warning','critical','none')),
  reminders   INTEGER NOT NULL DEFAULT 0,
  reports     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  UNIQUE (kind, url, email_to)
);
INSERT INTO notification_channels_new (id, kind, url, created_at) SELECT id, kind, url, created_at FROM notification_channels;
CREATE TABLE notification_outbox_parked AS SELECT * FROM notification_outbox;
DROP TABLE notification_outbox;
DROP TABLE notification_channels;
ALTER TABLE notification_channels_new RENAME TO notification_channels;
CREATE TABLE notification_outbox (
  id              INTEGER PRIMARY KEY,
  alert_id        INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  channel_id      INTEGER NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_attempt_at TEXT,
  delivered_at    TEXT,
  last_error      TEXT,
  UNIQUE (alert_id, channel_id)
);
INSERT INTO notification_outbox SELECT * FROM notification_outbox_parked;
DROP TABLE notification_outbox_parked;
CREATE INDEX notification_outbox_due ON notification_outbox (status, next_attempt_at);

CREATE TABLE channel_messages (
  id              INTEGER PRIMARY KEY,
  channel_id      INTEGER NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('report','reminder','test')),
  idem_key        TEXT NOT NULL UNIQUE,          -- e.g. report:2026-11:3: the same message is enqueued once
  month           TEXT,                          -- the report's month
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,                 -- plain text (chat channels, the email's text part)
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,                 -- also the lease of a sender that claimed the row
  last_attempt_at TEXT,
  delivered_at    TEXT,
  last_error      TEXT
);
CREATE INDEX channel_messages_due ON channel_messages (status, next_attempt_at);

CREATE TABLE month_closes (
  month           TEXT PRIMARY KEY,              -- YYYY-MM, a local calendar month
  step            TEXT NOT NULL,                 -- finals | sync | reconcile | freeze | report | send | done
  state           TEXT NOT NULL CHECK (state IN ('running','waiting','retrying','closed')),
  attempts        INTEGER NOT NULL DEFAULT 0,    -- failed tries of the current step
  next_attempt_at TEXT,                          -- retrying/waiting: when to try again
  last_error      TEXT,
  finals_deadline TEXT NOT NULL,                 -- how long the close waits for odometer final figures
  owner           TEXT,                          -- host:pid running it now
  started_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  closed_at       TEXT,
  timezone        TEXT NOT NULL
);

CREATE TABLE month_close_steps (
  month       TEXT NOT NULL REFERENCES month_closes(month) ON DELETE CASCADE,
  step        TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (month, step)
);

CREATE TABLE month_frozen (
  month      TEXT NOT NULL,
  provider   TEXT NOT NULL,
  total_nano INTEGER NOT NULL,
  PRIMARY KEY (month, provider)
);

CREATE TABLE month_adjustments (
  id         INTEGER PRIMARY KEY,
  month      TEXT NOT NULL,
  provider   TEXT NOT NULL,
  delta_nano INTEGER NOT NULL,
  reason     TEXT NOT NULL,                      -- what wrote it: reading, record, sync, ...
  created_at TEXT NOT NULL
);
CREATE INDEX month_adjustments_month ON month_adjustments (month, provider);

CREATE TABLE month_reports (
  month    TEXT PRIMARY KEY,
  html     TEXT NOT NULL,
  csv      TEXT NOT NULL,
  built_at TEXT NOT NULL
);
`,
} as const;
