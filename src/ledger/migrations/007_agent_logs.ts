/**
 * 007: how far each coding-agent log was imported (issue 16, docs/agents.md).
 *
 * One row per log file. It is written in the same transaction as the usage rows it produced, so a
 * crash (even kill -9) leaves either both or neither: a re-import resumes exactly where the last
 * commit stopped and neither loses nor duplicates a response.
 *
 * - size, mtime_ms: the file's stat at the last read; equal stat = nothing to read (no content read).
 * - offset: the byte just after the last complete line read (a partial last line waits).
 * - fingerprint: a hash of the first fp_len bytes; a file whose first bytes changed was rewritten
 *   (or truncated and refilled) and is read again from the start.
 * - carry: what a parser must remember between reads (Codex: the last cumulative totals and model).
 * - rows, skipped: responses imported and lines that could not be read, shown by `burnrate agents`.
 */
export const migration007 = {
  version: 7,
  name: 'agent_logs',
  sql: `
CREATE TABLE agent_log_files (
  path        TEXT PRIMARY KEY,
  agent       TEXT NOT NULL,
  size        INTEGER NOT NULL,
  mtime_ms    INTEGER NOT NULL,
  offset      INTEGER NOT NULL,
  fp_len      INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  carry       TEXT NOT NULL DEFAULT '{}',
  rows        INTEGER NOT NULL DEFAULT 0,
  skipped     INTEGER NOT NULL DEFAULT 0,
  imported_at TEXT NOT NULL
);
CREATE INDEX agent_log_files_agent ON agent_log_files (agent);
`,
};
