import { describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

describe('burnrate CLI: balances, top-ups, subscriptions, reminders and bad input', () => {
  it('tracks a prepaid balance and a subscription, refuses bad input without changing anything', () => {
    const home = tempHome('burnrate-balance-');
    const at = (now: string) => ({ BURNRATE_HOME: home, BURNRATE_NOW: now, TZ: 'UTC' });
    const ok = (args: string[], now: string) => {
      const r = burnrate(args, at(now));
      expect(r.stderr).not.toMatch(/^burnrate: /m); // errors; a reminder's notice line may appear
      expect(r.code).toBe(0);
      return r;
    };

    expect(ok(['provider', 'set', 'openrouter', '--mode', 'balance', '--json'], '2026-03-01T12:00:00Z').json()).toMatchObject({
      provider: 'openrouter',
      mode: 'balance',
      configured: true,
    });
    ok(['reading', 'openrouter', '20', '--at', '2026-03-01T12:00:00Z'], '2026-03-12T12:00:00Z');
    ok(['reading', 'openrouter', '17.50', '--at', '2026-03-06T12:00:00Z'], '2026-03-12T12:00:00Z');
    expect(ok(['topup', 'openrouter', '10', '--at', '2026-03-08T12:00:00Z', '--json'], '2026-03-12T12:00:00Z').json().balance.balanceUsd).toBe('27.50');
    expect(ok(['reading', 'openrouter', '25', '--at', '2026-03-11T12:00:00Z', '--json'], '2026-03-12T12:00:00Z').json().reading.spendUsd).toBe('2.50');
    const rise = ok(['reading', 'openrouter', '40', '--json'], '2026-03-12T12:00:00Z').json();
    expect(rise.reading).toMatchObject({ spendUsd: '0.00', inferredTopupUsd: '15.00' });
    expect(rise.balance).toMatchObject({ balanceUsd: '40.00', spentLast30DaysUsd: '5.00', runwayDays: 88, runsOutOn: '2026-06-08' });

    expect(ok(['subscription', 'add', 'ChatGPT Plus', '--monthly', '20', '--day', '5', '--json'], '2026-03-12T12:00:00Z').json()).toMatchObject({
      id: 1,
      provider: 'chatgpt-plus',
      nextChargeOn: '2026-04-05',
    });
    expect(ok(['subscription', 'list', '--json'], '2026-03-12T12:00:00Z').json()).toMatchObject({ monthlyTotalUsd: '20.00', subscriptions: [{ name: 'ChatGPT Plus' }] });

    const status = ok(['status', '--json'], '2026-03-12T12:00:00Z');
    const s = status.json();
    expect(s.providers).toEqual([
      expect.objectContaining({ provider: 'chatgpt-plus', monthSpentUsd: '7.74193549', source: 'subscription' }), // 12 days of 20/31
      expect.objectContaining({ provider: 'openrouter', monthSpentUsd: '5.00', source: 'balance' }),
    ]);

    // Bad input: a clear sentence on stderr, a non-zero exit, nothing changed.
    const bad: [string[], RegExp][] = [
      [['reading', 'groq', '-1'], /zero or more/],
      [['reading', 'groq', 'abc'], /amount in US dollars/],
      [['reading', 'groq', '1', '--at', '2026-03-13T00:00:00Z'], /in the future/],
      [['reading', 'openai', '1'], /mode api.*provider set openai --mode odometer/],
      [['topup', 'groq', '5'], /no prepaid balance to top up/],
    ];
    for (const [args, message] of bad) {
      const r = burnrate(args, at('2026-03-12T12:00:00Z'));
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
    expect(ok(['status', '--json'], '2026-03-12T12:00:00Z').stdout).toBe(status.stdout);
    expect(ok(['readings', 'groq', '--json'], '2026-03-12T12:00:00Z').json()).toMatchObject({ mode: 'odometer', readings: [], months: [] });

    // A week without a reading: a reminder, which can be snoozed and dismissed.
    const listed = ok(['reminders', '--json'], '2026-03-20T12:00:00Z');
    expect(listed.stderr).toBe(''); // a read shows the reminder due now, and notifies nothing
    const due = listed.json().reminders;
    expect(due).toEqual([expect.objectContaining({ kind: 'stale_reading', provider: 'openrouter' })]);
    // The write stores it (with the id the read showed) and the CLI's notifier says it: one line on stderr.
    const snoozed = ok(['reminders', 'snooze', String(due[0].id), '--hours', '2', '--json'], '2026-03-20T12:00:00Z');
    expect(snoozed.stderr).toMatch(/OpenRouter.*mind checking your OpenRouter balance\?/);
    expect(snoozed.json()).toMatchObject({ id: due[0].id, state: 'snoozed', snoozedUntil: '2026-03-20T14:00:00.000Z' });
    expect(ok(['reminders', 'dismiss', String(due[0].id), '--json'], '2026-03-20T15:00:00Z').json()).toMatchObject({ state: 'dismissed' });

    const ended = ok(['subscription', 'remove', '1', '--json'], '2026-03-20T15:00:00Z').json();
    expect(ended).toMatchObject({ purged: false, subscription: { active: false, endedOn: '2026-03-20' } });
    const later = ok(['status', '--json'], '2026-03-20T15:00:00Z').json();
    expect(later.reminders).toEqual([]);
  });
});
