import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { AGENT_NAMES, AGENT_PROVIDER, AGENT_SOURCE, agentBilling, type AgentName, type BillingMode } from '../ledger/agent-billing';
import type { NanoTotal } from '../money';
import { defaultRoots } from './roots';

/** What `burnrate agents` and the window show per agent. A read: it never writes. */
export interface AgentOverview {
  agent: AgentName;
  provider: string;
  roots: { path: string; exists: boolean }[];
  files: number;
  rows: number;
  skipped: number;
  lastImport: string | null;
  billing: BillingMode | null;
  apiValueNano: NanoTotal;
  unpricedRows: number;
}

export function agentOverview(db: Database, env: NodeJS.ProcessEnv): AgentOverview[] {
  const billing = agentBilling(db);
  const files = db.prepare('SELECT COUNT(*) AS files, COALESCE(SUM(skipped), 0) AS skipped, MAX(imported_at) AS last FROM agent_log_files WHERE agent = ?');
  // The rollups hold every agent row (source agent_log, per provider): no scan of raw rows.
  const value = db.prepare(
    "SELECT COALESCE(SUM(events), 0) AS rows, COALESCE(SUM(cost_nano), 0) AS nano, COALESCE(SUM(unpriced_events), 0) AS unpriced FROM daily_rollups WHERE source = ? AND provider = ?",
  ).safeIntegers(true); // an all-time sum: a 64-bit integer (docs/money.md)
  return AGENT_NAMES.map((agent) => {
    const f = files.get(agent) as { files: number; skipped: number; last: string | null };
    const v = value.get(AGENT_SOURCE, AGENT_PROVIDER[agent]) as { rows: bigint; nano: bigint; unpriced: bigint };
    return {
      agent,
      provider: AGENT_PROVIDER[agent],
      roots: defaultRoots(agent, env).map((r) => ({ path: r.path, exists: fs.existsSync(r.path) })),
      files: f.files,
      rows: Number(v.rows),
      skipped: f.skipped,
      lastImport: f.last,
      billing: billing[agent] ?? null,
      apiValueNano: v.nano,
      unpricedRows: Number(v.unpriced),
    };
  });
}
