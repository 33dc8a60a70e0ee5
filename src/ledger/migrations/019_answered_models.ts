/**
 * 019: the name each model asked through the proxy was last answered as, per provider (Anthropic
 * answers claude-sonnet-4-5 as claude-sonnet-4-5-20250929, a router's openrouter/auto as the model
 * it chose). The proxy reserves by the answer's name (its rows' sizes, its price); kept here so a
 * restarted proxy still knows it. A table of its own, not read from the proxy's rows: a row the
 * agent-log import wrote first replaces the proxy's, and a backfill of older rows buries them.
 */
export const migration019 = {
  version: 19,
  name: 'answered_models',
  sql: `
CREATE TABLE proxy_answered_models (
  provider TEXT NOT NULL,
  asked TEXT NOT NULL,
  answered TEXT NOT NULL,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (provider, asked)
) WITHOUT ROWID;
`,
} as const;
