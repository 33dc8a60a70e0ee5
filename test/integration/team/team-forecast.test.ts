import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { HAVE_PG, useTeamDatabase } from '../../helpers/team-pg';

/**
 * The team's month-end forecast is the personal forecast's rule over the team's counted days:
 * with no organisation bill, the team of two members forecasts exactly what ONE ledger holding
 * both members' spend forecasts for itself (same windows, weekday shares, trend, runs-out day).
 */
const NOW = '2026-03-20T15:00:00Z';

/** Seven weeks of uneven daily spend (weekdays heavier, a ramp), from Feb 1 to today. */
function weeks(core: Core, seed: number): void {
  const events = [];
  for (let day = 0; day < 48; day++) {
    const at = new Date(Date.UTC(2026, 1, 1 + day, 10 + (seed % 5)));
    if (at.getTime() > Date.parse(NOW)) break;
    const weekday = at.getUTCDay();
    const base = (weekday === 0 || weekday === 6 ? 150_000_000 : 900_000_000) + day * 13_000_007 + seed * 77_000_003;
    events.push({ source: 'agent_log' as const, provider: seed % 2 ? 'openai' : 'anthropic', externalId: `f${seed}-${day}`, model: 'm', costNano: base, occurredAt: at });
  }
  core.usage.write(events);
}

describe.skipIf(!HAVE_PG)("the team's month-end forecast", () => {
  const bed = useTeamDatabase(NOW);

  it('equals the personal forecast of one ledger holding every member’s spend, and says when the team budget runs out', async () => {
    const [a, b, together] = [bed.member(), bed.member(), bed.member()];
    weeks(a, 1);
    weeks(b, 2);
    weeks(together, 1);
    weeks(together, 2);
    await dispatch(a, 'teamJoin', { url: bed.url(), team: 'fc', member: 'ann' });
    await dispatch(b, 'teamJoin', { url: bed.url(), team: 'fc', member: 'bob' });

    const own = await dispatch(together, 'budgetSet', { monthly: '70' });
    expect(own).toBeTruthy();
    const personal = (await dispatch(together, 'status', {})).month;
    const team = await dispatch(a, 'teamBudgetSet', { monthly: '70' });

    expect(team.month.spentUsd).toBe(personal.spentUsd);
    expect(team.month.forecastUsd).toBe(personal.forecastUsd);
    expect(team.month.runsOutOn).toBe(personal.runsOutOn);
    expect(team.month.runsOutOn).not.toBeNull();
    expect(team.month.forecastBasisDays).toBeGreaterThanOrEqual(28);
    // More than spent so far: eleven days are left to burn.
    expect(Number(team.month.forecastUsd)).toBeGreaterThan(Number(team.month.spentUsd));

    // The forecast alert fires for the team once, like the personal one.
    const alerts = (await dispatch(b, 'teamStatus', {})).alerts.filter((x) => x.rule === 'forecast_over');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.message).toContain(`on ${personal.runsOutOn}`);
  });

  it('refuses a team reserve or enforcement while the team has no daily or monthly budget, instead of dropping it', async () => {
    const a = bed.member();
    await dispatch(a, 'teamJoin', { url: bed.url(), team: 'reserve', member: 'ann' });
    await expect(dispatch(a, 'teamBudgetSet', { reservePct: 30 })).rejects.toMatchObject({ reason: 'team_budget_missing' });
    await expect(dispatch(a, 'teamBudgetSet', { enforce: true })).rejects.toMatchObject({ reason: 'team_budget_missing' });
    // With a budget in the same change, both are kept.
    const set = await dispatch(a, 'teamBudgetSet', { monthly: '300', reservePct: 30, enforce: true });
    expect(set.budgets).toMatchObject({ monthlyUsd: '300.00', reservePct: 30, enforce: true });
  });
});
