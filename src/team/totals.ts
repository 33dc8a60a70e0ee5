import { TIER_RANK, SOURCES, tierOf } from '../ledger/sources';
import type { NanoTotal } from '../money';
import { DEFAULT_ORG } from './config';

/**
 * THE RULE FOR TOTALS (docs/ledger.md), applied across machines (docs/team.md):
 *
 * For each provider and local day,
 *  - an organisation's bill counts once, whoever pushed it (billed rows are keyed by org id);
 *  - a machine whose organisation for that provider has a bill that day adds nothing more: its
 *    estimates (agent logs, proxy, records, usage API, readings) feed drift, not the total;
 *  - every other machine counts what it would count on its own: its strongest tier present;
 *  - subscriptions always count, per member.
 * With no shared bill, the team's total is exactly the sum of the machines' own totals.
 *
 * The rule runs inside PostgreSQL (TEAM_COUNTED_SQL), so a read returns one row per day and
 * provider instead of every machine's rows (docs/team.md, "Scale"). Its tiers come from the
 * ledger's own ranking (src/ledger/sources.ts), passed as parameters, never restated here.
 */

/** A BIGINT/NUMERIC from PostgreSQL (text) as exact nano-USD: a team's sums are 64-bit (docs/money.md). */
export function exactNano(text: string | number): NanoTotal {
  return BigInt(text);
}

/** Rank of a tier in SQL: subscriptions -1 (always count), bills 0 (never an estimate), then readings, reported, estimates. */
function sqlRank(source: string): number {
  const tier = tierOf(source);
  return tier === 'subscription' ? -1 : TIER_RANK[tier];
}

/** Every rollup source the ledger knows (usage-API tokens roll up as api_usage), with its rank. Unknown ones are estimates. */
const RANKED_SOURCES = [...SOURCES, 'api_usage'];
export const TIER_PARAMS = { sources: RANKED_SOURCES, ranks: RANKED_SOURCES.map(sqlRank), estimates: TIER_RANK.estimates, defaultOrg: DEFAULT_ORG };

/**
 * CTEs that apply the rule to [$2, $3] of team $1 ($4 sources, $5 their ranks, $6 the unknown
 * source's rank, $7 the default organisation). `counted` has one row per machine, day, provider,
 * member and source: what it counts, what a bill covers instead (drift), whether it is a fee.
 * Both tables are read through their team-and-day indexes only; member_rollups' index is in the
 * order of the grouping and of the window (day, provider, machine, source, member), so neither
 * needs a sort (shared migration 2).
 */
export const TEAM_COUNTED_SQL = `
r AS (
  SELECT local_day, provider, machine_id, source, member, SUM(cost_nano) AS cost, SUM(unpriced_events) AS unpriced,
    COALESCE(($5::int[])[array_position($4::text[], source)], $6::int) AS tier_rank
  FROM member_rollups WHERE team_id = $1 AND local_day BETWEEN $2::date AND $3::date
  GROUP BY local_day, provider, machine_id, source, member
),
b AS (
  SELECT local_day, provider, org_id, SUM(amount_nano) AS amount
  FROM billed_days WHERE team_id = $1 AND local_day BETWEEN $2::date AND $3::date
  GROUP BY local_day, provider, org_id
),
ranked AS (
  SELECT r.*, MIN(tier_rank) FILTER (WHERE tier_rank > 0) OVER (PARTITION BY local_day, provider, machine_id) AS best FROM r
),
judged AS (
  SELECT ranked.*, cover.org_id IS NOT NULL AS covered
  FROM ranked
  LEFT JOIN machine_orgs o ON o.machine_id = ranked.machine_id AND o.provider = ranked.provider
  LEFT JOIN b cover ON cover.local_day = ranked.local_day AND cover.provider = ranked.provider AND cover.org_id = COALESCE(o.org_id, $7::text)
),
counted AS (
  SELECT local_day, provider, member, tier_rank < 0 AS fee,
    (tier_rank < 0 OR (NOT covered AND tier_rank = best)) AS counts,
    cost, unpriced, (covered AND tier_rank >= 0) AS drift
  FROM judged
),
days AS (
  SELECT local_day, provider,
    COALESCE(SUM(cost) FILTER (WHERE counts), 0) AS counted,
    COALESCE(SUM(cost) FILTER (WHERE counts AND fee), 0) AS fees,
    COALESCE(SUM(cost) FILTER (WHERE drift), 0) AS covered,
    COALESCE(SUM(unpriced) FILTER (WHERE counts), 0) AS unpriced
  FROM counted GROUP BY local_day, provider
),
billed AS (SELECT local_day, provider, SUM(amount) AS billed FROM b GROUP BY local_day, provider),
team_days AS (
  SELECT local_day, provider,
    COALESCE(d.counted, 0) + COALESCE(x.billed, 0) AS counted, COALESCE(d.fees, 0) AS fees,
    COALESCE(x.billed, 0) AS billed, COALESCE(d.covered, 0) AS covered, COALESCE(d.unpriced, 0) AS unpriced
  FROM days d FULL JOIN billed x USING (local_day, provider)
)`;

export const tierArgs = (): unknown[] => [TIER_PARAMS.sources, TIER_PARAMS.ranks, TIER_PARAMS.estimates, TIER_PARAMS.defaultOrg];
