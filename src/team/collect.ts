import type { Database } from 'better-sqlite3';
import { agentSpendRule } from '../ledger/agent-billing';
import type { RollupContribution } from '../ledger/rollups';
import { DEFAULT_ORG, effectiveOrgs, type TeamConfig } from './config';

/**
 * What this machine tells the team: its daily rollups, keyed like the shared tables. Read from the
 * ledger's own rows, so every bucket is the local day of the event's own time (or of a bill's
 * midpoint, docs/ledger.md), never the time of the push: a skewed clock at push time moves nothing.
 */

/** A local rollup row with the project it belongs to (the shared key includes it). */
export interface MemberFigure extends RollupContribution {
  project: string;
}

export interface BilledFigure {
  localDay: string;
  provider: string;
  orgId: string;
  model: string;
  lineItem: string;
  project: string;
  amountNano: number;
}

export type Figure = { kind: 'member'; row: MemberFigure } | { kind: 'billed'; row: BilledFigure };

export function memberKey(r: Pick<MemberFigure, 'localDay' | 'provider' | 'model' | 'project' | 'source'>): string {
  return ['member', r.localDay, r.provider, r.model, r.project, r.source].join('\u0001');
}

export function billedKey(r: Pick<BilledFigure, 'localDay' | 'provider' | 'orgId' | 'model' | 'lineItem' | 'project'>): string {
  return ['billed', r.localDay, r.provider, r.orgId, r.model, r.lineItem, r.project].join('\u0001');
}

/**
 * Every figure the team should hold for this machine now, by shared key. Usage-API token rows roll
 * up as 'api_usage' exactly as in the local read model (src/ledger/rollups.ts), so the member's
 * rows in the store sum to the member's own totals.
 */
export function currentFigures(db: Database, config: Pick<TeamConfig, 'orgs'>): Map<string, Figure> {
  const out = new Map<string, Figure>();
  const usage = db
    .prepare(
      `SELECT local_day AS localDay, provider, model, project,
              CASE source WHEN 'billing_api' THEN 'api_usage' ELSE source END AS source,
              COUNT(*) AS events, SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
              SUM(cached_input_tokens) AS cachedInputTokens, SUM(cache_write_tokens) AS cacheWriteTokens,
              COALESCE(SUM(cost_total_nano), 0) AS costNano,
              SUM(CASE WHEN cost_origin = 'unpriced' THEN 1 ELSE 0 END) AS unpricedEvents
       FROM usage_events GROUP BY 1, 2, 3, 4, 5`,
    )
    .all() as MemberFigure[];
  // A subscription-billed agent's (or model family's) rows are value, not spend, here as on this
  // machine (agent-billing.ts): left out, so a mode changed to subscription zeroes the keys already pushed.
  const agents = agentSpendRule(db);
  for (const row of usage) {
    if (!agents.counts(row.source, row.provider, row.model)) continue;
    out.set(memberKey(row), { kind: 'member', row });
  }
  const billed = db
    .prepare(
      `SELECT local_day AS localDay, provider, model, line_item AS lineItem, project, SUM(amount_nano) AS amountNano
       FROM billed_costs GROUP BY local_day, provider, model, line_item, project`,
    )
    .all() as Omit<BilledFigure, 'orgId'>[];
  const orgs = effectiveOrgs(db, config);
  for (const b of billed) {
    const row: BilledFigure = { ...b, orgId: orgs[b.provider] ?? DEFAULT_ORG };
    out.set(billedKey(row), { kind: 'billed', row });
  }
  return out;
}

/** The same key with nothing in it: what a figure that disappeared locally is replaced by. */
export function zeroed(figure: Figure): Figure {
  if (figure.kind === 'billed') return { kind: 'billed', row: { ...figure.row, amountNano: 0 } };
  const r = figure.row;
  return {
    kind: 'member',
    row: { ...r, events: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, costNano: 0, unpricedEvents: 0 },
  };
}
