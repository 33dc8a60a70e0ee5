import { describe, expect, it } from 'vitest';
import { teamProviderDays, type BilledDayRow, type MemberDayRow } from '../../../src/team/totals';

const row = (machineId: string, member: string, source: string, cost: number, provider = 'openai', localDay = '2026-03-10'): MemberDayRow => ({
  localDay, provider, machineId, member, source, costNano: BigInt(cost), unpricedEvents: 0,
});
const orgs = (map: Record<string, string>) => (machineId: string) => map[machineId] ?? 'default';

describe('the rule for totals across machines', () => {
  it('without a bill each machine counts its strongest tier, and the team is their sum', () => {
    const days = teamProviderDays(
      [row('m1', 'ann', 'api_usage', 500), row('m1', 'ann', 'agent_log', 450), row('m2', 'bob', 'agent_log', 70), row('m2', 'bob', 'manual', 30)],
      [],
      orgs({}),
    );
    expect(days).toHaveLength(1);
    // ann: reported (500) outranks her agent log; bob: both estimates (70 + 30).
    expect(days[0]).toMatchObject({ countedNano: 600n, billedNano: 0n, coveredEstimateNano: 0n });
    expect(Object.fromEntries(days[0]!.byMember)).toEqual({ ann: 500n, bob: 100n });
  });

  it("an organisation's bill counts once; its machines' estimates are drift; another org's machine and subscriptions still count", () => {
    const billed: BilledDayRow[] = [{ localDay: '2026-03-10', provider: 'openai', orgId: 'org-a', amountNano: 1000n }];
    const days = teamProviderDays(
      [row('m1', 'ann', 'agent_log', 300), row('m2', 'bob', 'api_usage', 600), row('m2', 'bob', 'subscription', 20), row('m3', 'cy', 'agent_log', 40)],
      billed,
      orgs({ m1: 'org-a', m2: 'org-a', m3: 'org-b' }),
    );
    expect(days[0]).toMatchObject({ countedNano: 1000n + 20n + 40n, billedNano: 1000n, coveredEstimateNano: 300n + 600n });
    expect(Object.fromEntries(days[0]!.byMember)).toEqual({ bob: 20n, cy: 40n });
  });

  it('a bill covers only its own day and provider', () => {
    const billed: BilledDayRow[] = [{ localDay: '2026-03-10', provider: 'openai', orgId: 'default', amountNano: 1000n }];
    const days = teamProviderDays([row('m1', 'ann', 'agent_log', 300, 'openai', '2026-03-11'), row('m1', 'ann', 'agent_log', 5, 'anthropic')], billed, orgs({}));
    expect(days.map((d) => [d.localDay, d.provider, d.countedNano])).toEqual([
      ['2026-03-10', 'anthropic', 5n],
      ['2026-03-10', 'openai', 1000n],
      ['2026-03-11', 'openai', 300n],
    ]);
  });
});
