import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { AGENT_NAMES, AGENT_PROVIDER, AGENT_SOURCE, agentBilling, familyBilling, modelFamily, type AgentName, type BillingMode } from '../ledger/agent-billing';
import { addTotal, type NanoTotal } from '../money';
import { defaultRoots } from './roots';

/** One model family of an agent: what it imported and how it is billed. */
export interface FamilyOverview {
  family: string;
  /** The models of this family the agent's rows name (none yet: a family set ahead of its use). */
  models: string[];
  /** The family's own mode; null: it follows its agent. */
  billing: BillingMode | null;
  /** The mode that applies: its own, else its agent's (null: not answered yet, counted as spend). */
  effective: BillingMode | null;
  rows: number;
  apiValueNano: NanoTotal;
  unpricedRows: number;
}

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
  families: FamilyOverview[];
}

export function agentOverview(db: Database, env: NodeJS.ProcessEnv): AgentOverview[] {
  const billing = agentBilling(db);
  const ownModes = familyBilling(db);
  const files = db.prepare('SELECT COUNT(*) AS files, COALESCE(SUM(skipped), 0) AS skipped, MAX(imported_at) AS last FROM agent_log_files WHERE agent = ?');
  // The rollups hold every agent row (source agent_log, per provider and model): no scan of raw rows.
  const value = db
    .prepare(
      'SELECT model, COALESCE(SUM(events), 0) AS rows, COALESCE(SUM(cost_nano), 0) AS nano, COALESCE(SUM(unpriced_events), 0) AS unpriced FROM daily_rollups WHERE source = ? AND provider = ? GROUP BY model ORDER BY model',
    )
    .safeIntegers(true); // an all-time sum: a 64-bit integer (docs/money.md)
  return AGENT_NAMES.map((agent) => {
    const f = files.get(agent) as { files: number; skipped: number; last: string | null };
    const byModel = value.all(AGENT_SOURCE, AGENT_PROVIDER[agent]) as { model: string; rows: bigint; nano: bigint; unpriced: bigint }[];
    const own = ownModes[agent] ?? {};
    const families = new Map<string, FamilyOverview>();
    const familyOf = (family: string): FamilyOverview => {
      let fam = families.get(family);
      if (!fam) {
        const mode = own[family] ?? null;
        fam = { family, models: [], billing: mode, effective: mode ?? billing[agent] ?? null, rows: 0, apiValueNano: 0n, unpricedRows: 0 };
        families.set(family, fam);
      }
      return fam;
    };
    let rows = 0;
    let nano: NanoTotal = 0n;
    let unpriced = 0;
    for (const m of byModel) {
      const fam = familyOf(modelFamily(agent, m.model));
      fam.models.push(m.model);
      fam.rows += Number(m.rows);
      fam.apiValueNano = addTotal(fam.apiValueNano, m.nano);
      fam.unpricedRows += Number(m.unpriced);
      rows += Number(m.rows);
      nano = addTotal(nano, m.nano);
      unpriced += Number(m.unpriced);
    }
    for (const family of Object.keys(own)) familyOf(family); // set ahead of its first response
    return {
      agent,
      provider: AGENT_PROVIDER[agent],
      roots: defaultRoots(agent, env).map((r) => ({ path: r.path, exists: fs.existsSync(r.path) })),
      files: f.files,
      rows,
      skipped: f.skipped,
      lastImport: f.last,
      billing: billing[agent] ?? null,
      apiValueNano: nano,
      unpricedRows: unpriced,
      families: [...families.values()].sort((a, b) => a.family.localeCompare(b.family)),
    };
  });
}
