import { addTotal, type NanoTotal } from '../money';
import { TIER_RANK, tierOf, type Tier } from '../ledger/sources';
import { DEFAULT_ORG } from './config';
import type { SharedQuery } from './pg';

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
 */

export interface MemberDayRow {
  localDay: string;
  provider: string;
  machineId: string;
  member: string;
  source: string;
  costNano: NanoTotal;
  unpricedEvents: number;
}

export interface BilledDayRow {
  localDay: string;
  provider: string;
  orgId: string;
  amountNano: NanoTotal;
}

export interface TeamProviderDay {
  localDay: string;
  provider: string;
  countedNano: NanoTotal;
  billedNano: NanoTotal;
  /** Estimates of machines covered by a bill that day: compared with the bill, never added. */
  coveredEstimateNano: NanoTotal;
  /** What each member's machines counted (bills belong to no member). */
  byMember: Map<string, NanoTotal>;
  unpricedEvents: number;
}

/** A BIGINT/NUMERIC from PostgreSQL (text) as exact nano-USD: a team's sums are 64-bit (docs/money.md). */
export function exactNano(text: string | number): NanoTotal {
  return BigInt(text);
}

type Ranked = Exclude<Tier, 'subscription'>;

export function teamProviderDays(
  members: readonly MemberDayRow[],
  billed: readonly BilledDayRow[],
  orgOfMachine: (machineId: string, provider: string) => string,
): TeamProviderDay[] {
  const days = new Map<string, TeamProviderDay>();
  const dayOf = (localDay: string, provider: string): TeamProviderDay => {
    const key = `${localDay}|${provider}`;
    let d = days.get(key);
    if (!d) {
      d = { localDay, provider, countedNano: 0n, billedNano: 0n, coveredEstimateNano: 0n, byMember: new Map(), unpricedEvents: 0 };
      days.set(key, d);
    }
    return d;
  };
  const billedOrgs = new Map<string, Set<string>>();
  for (const b of billed) {
    const d = dayOf(b.localDay, b.provider);
    d.billedNano = addTotal(d.billedNano, b.amountNano);
    d.countedNano = addTotal(d.countedNano, b.amountNano);
    const key = `${b.localDay}|${b.provider}`;
    if (!billedOrgs.has(key)) billedOrgs.set(key, new Set());
    billedOrgs.get(key)!.add(b.orgId);
  }
  // Each machine's strongest tier per provider and day.
  const best = new Map<string, Ranked>();
  for (const r of members) {
    const tier = tierOf(r.source);
    if (tier === 'subscription' || tier === 'billed') continue;
    const key = `${r.localDay}|${r.provider}|${r.machineId}`;
    const current = best.get(key);
    if (current === undefined || TIER_RANK[tier] < TIER_RANK[current]) best.set(key, tier);
  }
  for (const r of members) {
    const d = dayOf(r.localDay, r.provider);
    const tier = tierOf(r.source);
    const covered = billedOrgs.get(`${r.localDay}|${r.provider}`)?.has(orgOfMachine(r.machineId, r.provider)) ?? false;
    let counts: boolean;
    if (tier === 'subscription') counts = true;
    else if (covered) {
      counts = false;
      d.coveredEstimateNano = addTotal(d.coveredEstimateNano, r.costNano);
    } else counts = tier === best.get(`${r.localDay}|${r.provider}|${r.machineId}`);
    if (!counts) continue;
    d.countedNano = addTotal(d.countedNano, r.costNano);
    d.byMember.set(r.member, addTotal(d.byMember.get(r.member) ?? 0n, r.costNano));
    d.unpricedEvents += r.unpricedEvents;
  }
  return [...days.values()].sort((a, b) => (a.localDay === b.localDay ? a.provider.localeCompare(b.provider) : a.localDay.localeCompare(b.localDay)));
}

/**
 * Read a team's provider-days over [from, to] from the store: one grouped read of each indexed
 * table (member_rollups_team_day, billed_days_team_day), never the whole table.
 */
export async function readTeamDays(db: SharedQuery, teamId: string, from: string, to: string): Promise<TeamProviderDay[]> {
  const members = await db.query<{ d: string; provider: string; machine_id: string; member: string; source: string; cost: string; unpriced: string }>(
    `SELECT to_char(local_day, 'YYYY-MM-DD') AS d, provider, machine_id, member, source, SUM(cost_nano) AS cost, SUM(unpriced_events) AS unpriced
     FROM member_rollups WHERE team_id = $1 AND local_day BETWEEN $2 AND $3
     GROUP BY local_day, provider, machine_id, member, source`,
    [teamId, from, to],
  );
  const billed = await db.query<{ d: string; provider: string; org_id: string; amount: string }>(
    `SELECT to_char(local_day, 'YYYY-MM-DD') AS d, provider, org_id, SUM(amount_nano) AS amount
     FROM billed_days WHERE team_id = $1 AND local_day BETWEEN $2 AND $3
     GROUP BY local_day, provider, org_id`,
    [teamId, from, to],
  );
  const orgs = await db.query<{ machine_id: string; provider: string; org_id: string }>(
    'SELECT o.machine_id, o.provider, o.org_id FROM machine_orgs o JOIN machines m ON m.id = o.machine_id WHERE m.team_id = $1',
    [teamId],
  );
  const orgMap = new Map(orgs.rows.map((o) => [`${o.machine_id}|${o.provider}`, o.org_id]));
  return teamProviderDays(
    members.rows.map((r) => ({
      localDay: r.d,
      provider: r.provider,
      machineId: r.machine_id,
      member: r.member,
      source: r.source,
      costNano: exactNano(r.cost),
      unpricedEvents: Number(r.unpriced),
    })),
    billed.rows.map((b) => ({ localDay: b.d, provider: b.provider, orgId: b.org_id, amountNano: exactNano(b.amount) })),
    (machineId, provider) => orgMap.get(`${machineId}|${provider}`) ?? DEFAULT_ORG,
  );
}
