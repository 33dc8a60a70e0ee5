import { afterEach, describe, expect, it } from 'vitest';
import type { AlertView } from '../../../src/api/contract/core';
import { dispatch } from '../../../src/api/dispatch';
import { ApiError } from '../../../src/api/errors';
import { runBudgetChecks } from '../../../src/budget/checks';
import { openCore } from '../../../src/app/open';
import { spend, tempDir, testCore, type TestCore } from './helpers';

let t: TestCore;
afterEach(() => t?.core.close());

const open = async (core: TestCore['core']) => (await dispatch(core, 'alerts', {})).alerts;
const all = async (core: TestCore['core']) => (await dispatch(core, 'alerts', { all: true })).alerts;

describe('alerts', () => {
  it('a project cap\'s alert names its month and its project apart', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { project: 'web: front', monthly: '10' });
    await dispatch(t.core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '9.00', id: 'p-1', project: 'web: front' });
    await runBudgetChecks(t.core);
    const alert = (await open(t.core)).find((a) => a.rule === 'project_cap_80');
    expect(alert).toMatchObject({ period: '2026-03', project: 'web: front', provider: '' });
    expect((await all(t.core)).filter((a) => a.project === '').every((a) => !a.period.includes(':'))).toBe(true);
  });

  it('fires each threshold of the daily budget once, as spend crosses it', async () => {
    t = testCore();
    const fired: AlertView[] = [];
    t.core.events.on('alertFired', (a) => fired.push(a));
    await dispatch(t.core, 'budgetSet', { daily: '5', reservePct: '20' }); // $4.00 spendable
    await spend(t.core, '1.00'); // 25 %: nothing
    expect(fired).toEqual([]);
    await spend(t.core, '1.00'); // $2.00 = 50 %
    await spend(t.core, '1.20'); // $3.20 = 80 %
    await spend(t.core, '1.30'); // $4.50 into the reserve
    await spend(t.core, '0.60'); // $5.10 exceeded
    expect(fired.map((a) => a.rule)).toEqual(['day_50', 'day_80', 'day_reserve', 'day_exceeded']);
    expect(fired.map((a) => a.level)).toEqual(['info', 'warning', 'critical', 'critical']);
    expect(fired.every((a) => a.period === '2026-03-10')).toBe(true);
    expect(fired[1]!.message).toBe("Today's spend reached 80% of the spendable daily budget: $3.20 of $4.00.");
    expect(fired[3]!.message).toBe("Today's spend exceeded the daily budget: $5.10 of $5.00.");
    // The notifier heard about each, once.
    expect(t.notices.map((n) => n.body)).toEqual(fired.map((a) => a.message));
    expect(t.notices[0]).toMatchObject({ kind: 'alert', target: { view: 'alerts', alertId: fired[0]!.id } });
    // The open list keeps the highest of the day; the lower ones are superseded, not lost.
    expect((await open(t.core)).map((a) => a.rule)).toEqual(['day_exceeded']);
    const everything = await all(t.core);
    expect(everything.map((a) => a.rule).sort()).toEqual(['day_50', 'day_80', 'day_exceeded', 'day_reserve']);
    expect(everything.find((a) => a.rule === 'day_50')!.supersededBy).toBe(fired[1]!.id);
  });

  it('announces only the highest threshold when several are crossed at once', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { daily: '5' });
    const fired: AlertView[] = [];
    t.core.events.on('alertFired', (a) => fired.push(a));
    await spend(t.core, '4.50');
    expect(fired.map((a) => a.rule)).toEqual(['day_reserve']);
    expect(t.notices).toHaveLength(1);
    expect((await all(t.core)).map((a) => a.rule).sort()).toEqual(['day_50', 'day_80', 'day_reserve']);
  });

  it('does not fire again when checks re-run, a sync re-imports the day, or the app restarts', async () => {
    const home = tempDir();
    t = testCore({ home });
    await dispatch(t.core, 'budgetSet', { daily: '5' });
    await spend(t.core, '3.50', { id: 'same-row' });
    expect((await all(t.core)).length).toBe(2); // 50 % and 80 %
    runBudgetChecks(t.core);
    runBudgetChecks(t.core);
    // A re-import of the same row (same id) and a re-import of billed costs for the same day.
    await spend(t.core, '3.50', { id: 'same-row' });
    const bucket = { provider: 'openai', externalId: 'b1', bucketStart: new Date('2026-03-10T00:00:00Z'), bucketEnd: new Date('2026-03-11T00:00:00Z'), amountNano: 3_500_000_000, model: 'gpt-4o' };
    for (let i = 0; i < 2; i++) {
      const written = t.core.billed.write([bucket]);
      t.core.spendChanged('sync', written.touched);
    }
    expect((await all(t.core)).length).toBe(2);
    const countBefore = t.notices.length;
    t.core.close();

    const reopened = testCore({ home });
    t = reopened;
    runBudgetChecks(t.core);
    expect(reopened.notices).toEqual([]);
    expect((await all(t.core)).length).toBe(2);
    expect(countBefore).toBe(1); // 50 % and 80 % crossed at once: one notice
  });

  it('starts over on a new local day, and month alerts keep counting', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { daily: '5', monthly: '20' }); // month: $16 spendable
    await spend(t.core, '4.20'); // day: into reserve; month: 26 %
    t.clock.set('2026-03-11T09:00:00Z');
    runBudgetChecks(t.core);
    const status = await dispatch(t.core, 'status', {});
    expect(status.day).toMatchObject({ date: '2026-03-11', spentUsd: '0.00', health: 'good' });
    expect(status.month.spentUsd).toBe('4.20');
    await spend(t.core, '4.00'); // day 80 % of $4; month $8.20 = 51 %
    const rules = (await all(t.core)).map((a) => `${a.rule}@${a.period}`).sort();
    expect(rules).toEqual(['day_50@2026-03-10', 'day_50@2026-03-11', 'day_80@2026-03-10', 'day_80@2026-03-11', 'day_reserve@2026-03-10', 'month_50@2026-03']);
  });

  it('fires a provider cap at 80 % and 100 %', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { provider: 'anthropic', monthly: '10' });
    await spend(t.core, '7.99', { provider: 'anthropic' });
    expect(await open(t.core)).toEqual([]);
    await spend(t.core, '0.01', { provider: 'anthropic' });
    expect((await open(t.core)).map((a) => [a.rule, a.provider, a.level])).toEqual([['cap_80', 'anthropic', 'warning']]);
    await spend(t.core, '2.00', { provider: 'anthropic' });
    const alerts = await open(t.core);
    expect(alerts.map((a) => a.rule)).toEqual(['cap_100']);
    expect(alerts[0]!.message).toBe('Anthropic reached its monthly cap: $10.00 of $10.00.');
    await spend(t.core, '50', { provider: 'openai' }); // another provider's spend does not touch the cap
    expect((await all(t.core)).filter((a) => a.provider === 'openai')).toEqual([]);
  });

  it('fires when a lower budget puts today past a threshold at once', async () => {
    t = testCore();
    await spend(t.core, '3.00');
    expect(await all(t.core)).toEqual([]);
    await dispatch(t.core, 'budgetSet', { daily: '3.50' }); // $2.80 spendable: into the reserve
    expect((await open(t.core)).map((a) => a.rule)).toEqual(['day_reserve']);
  });

  it('can be acknowledged; an unknown id is a clear error', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { daily: '2' });
    await spend(t.core, '1.00');
    const [alert] = await open(t.core);
    const acked = await dispatch(t.core, 'alertAck', { id: alert!.id });
    expect(acked).toMatchObject({ id: alert!.id, acknowledged: true, acknowledgedAt: '2026-03-10T12:00:00.000Z' });
    expect(await open(t.core)).toEqual([]);
    t.clock.advance(60_000);
    expect((await dispatch(t.core, 'alertAck', { id: alert!.id })).acknowledgedAt).toBe('2026-03-10T12:00:00.000Z');
    const err = await dispatch(t.core, 'alertAck', { id: 999 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('not_found');
    expect(err).toMatchObject({ message: 'There is no alert 999.', reason: 'alert_not_found', facts: { alertId: 999 } });
    const bad = await dispatch(t.core, 'alertAck', { id: 'abc' }).catch((e: unknown) => e);
    expect((bad as ApiError).code).toBe('invalid_input');
    const status = await dispatch(t.core, 'status', {});
    expect(status.alerts).toEqual([]);
  });

  it('writes the outbox row in the same transaction as its alert', async () => {
    t = testCore();
    await dispatch(t.core, 'channelAdd', { kind: 'webhook', url: 'http://127.0.0.1:9/hook' });
    await dispatch(t.core, 'channelAdd', { kind: 'slack', url: 'http://127.0.0.1:9/slack' });
    await dispatch(t.core, 'budgetSet', { daily: '1' });
    // A failing insert into the outbox must take the alert with it.
    t.core.db.exec(`CREATE TRIGGER fail_outbox BEFORE INSERT ON notification_outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect(() => {
      t.core.usage.write([{ source: 'manual', provider: 'openai', model: 'm', costNano: 900_000_000, occurredAt: t.clock.now(), externalId: 'x' }]);
      runBudgetChecks(t.core);
    }).toThrow(/disk full/);
    expect(await all(t.core)).toEqual([]);
    t.core.db.exec('DROP TRIGGER fail_outbox');
    const { fired } = runBudgetChecks(t.core);
    expect(fired.map((a) => a.rule)).toEqual(['day_reserve']);
    const rows = t.core.db.prepare('SELECT alert_id, channel_id, status FROM notification_outbox ORDER BY channel_id').all();
    expect(rows).toEqual([
      { alert_id: fired[0]!.id, channel_id: 1, status: 'pending' },
      { alert_id: fired[0]!.id, channel_id: 2, status: 'pending' },
    ]);
  });

  it('does not fail the write when a notifier throws', async () => {
    const clockless = openCore({ memory: true, env: {}, timeZone: 'UTC', notifier: { notify: () => Promise.reject(new Error('no display')) } });
    try {
      await dispatch(clockless, 'budgetSet', { daily: '1' });
      const r = await spend(clockless, '5');
      expect(r.outcome).toBe('inserted');
      expect((await dispatch(clockless, 'alerts', {})).open).toBe(1);
    } finally {
      clockless.close();
    }
  });
});

describe('alerts (property)', () => {
  it('for any run of spends: every threshold crossed is stored once, and only the highest stays open', async () => {
    const fc = (await import('fast-check')).default;
    const { splitBudget } = await import('../../../src/budget/health');
    const { atLeastShare } = await import('../../../src/budget/health');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 10_000 }), // budget in cents
        fc.integer({ min: 0, max: 5000 }), // reserve bp
        fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 6 }), // spends in cents
        async (budgetCents, reserveBp, spends) => {
          const tc = testCore();
          try {
            const fired: string[] = [];
            tc.core.events.on('alertFired', (a) => fired.push(a.rule));
            await dispatch(tc.core, 'budgetSet', { daily: (budgetCents / 100).toFixed(2), reservePct: (reserveBp / 100).toFixed(2) });
            let total = 0;
            for (const cents of spends) {
              total += cents;
              await spend(tc.core, (cents / 100).toFixed(2));
              runBudgetChecks(tc.core); // again: must change nothing
            }
            const split = splitBudget(budgetCents * 10_000_000, reserveBp);
            const spent = total * 10_000_000;
            const expected = [
              atLeastShare(spent, split.spendable, 5000) ? 'day_50' : null,
              atLeastShare(spent, split.spendable, 8000) ? 'day_80' : null,
              spent > split.spendable ? 'day_reserve' : null,
              spent > split.budget ? 'day_exceeded' : null,
            ].filter((r): r is string => r !== null);
            const stored = (await dispatch(tc.core, 'alerts', { all: true })).alerts;
            expect(stored.map((a) => a.rule).sort()).toEqual([...expected].sort());
            expect(new Set(fired).size).toBe(fired.length); // announced at most once each
            const open = (await dispatch(tc.core, 'alerts', {})).alerts.map((a) => a.rule);
            expect(open).toEqual(expected.length ? [expected.at(-1)] : []);
          } finally {
            tc.core.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
