import { describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

/**
 * Rows derived from readings and subscriptions stay consistent when the user's zone changes, when
 * a provider switches between odometer and balance mode, and whichever read model asks first.
 */
describe('derived rows', () => {
  function byDay(env: Record<string, string>, from: string, to: string) {
    const r = burnrate(['summary', '--from', from, '--to', to, '--by', 'day', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    return r.json<{ totalUsd: string; groups: { key: string; costUsd: string }[] }>();
  }

  it('after a change of time zone, equal what a ledger kept in the new zone from the start shows', () => {
    const moved = tempHome();
    const native = tempHome();
    const commands: [string[], string][] = [
      [['subscription', 'add', 'ChatGPT Plus', '--monthly', '28', '--day', '5', '--since', '2026-01-01'], '2026-03-10T18:00:00Z'],
      [['provider', 'set', 'groq', '--mode', 'odometer'], '2026-03-10T18:00:00Z'],
      [['reading', 'groq', '2.00', '--at', '2026-02-28T20:00:00Z'], '2026-03-10T18:00:00Z'],
      [['reading', 'groq', '0.50', '--at', '2026-03-05T12:00:00Z'], '2026-03-10T18:00:00Z'],
    ];
    for (const [args, now] of commands) {
      expect(burnrate(args, { BURNRATE_HOME: moved, BURNRATE_NOW: now, TZ: 'Asia/Tokyo' }).code).toBe(0);
      expect(burnrate(args, { BURNRATE_HOME: native, BURNRATE_NOW: now, TZ: 'America/New_York' }).code).toBe(0);
    }
    const ny = (home: string) => ({ BURNRATE_HOME: home, BURNRATE_NOW: '2026-03-10T18:00:00Z', TZ: 'America/New_York' });
    const expected = byDay(ny(native), '2026-01-01', '2026-03-10');
    expect(byDay(ny(moved), '2026-01-01', '2026-03-10')).toEqual(expected);
    // The subscription is $28.00 in each whole month, not $27.00 or $28.10.
    expect(byDay(ny(moved), '2026-02-01', '2026-02-28').totalUsd).toBe(byDay(ny(native), '2026-02-01', '2026-02-28').totalUsd);
    const feb = burnrate(['summary', '--from', '2026-02-01', '--to', '2026-02-28', '--by', 'provider', '--json'], ny(moved)).json<{
      groups: { key: string; costUsd: string }[];
    }>();
    expect(feb.groups.find((g) => g.key === 'chatgpt-plus')?.costUsd).toBe('28.00');
  });

  it('count each kind of reading only while its mode was in force, so a switch neither erases nor doubles spend', () => {
    const home = tempHome();
    const env = (now: string) => ({ BURNRATE_HOME: home, BURNRATE_NOW: now, TZ: 'UTC' });
    expect(burnrate(['provider', 'set', 'groq', '--mode', 'odometer'], env('2026-03-01T00:00:00Z')).code).toBe(0);
    expect(burnrate(['reading', 'groq', '8.00'], env('2026-03-09T00:00:00Z')).code).toBe(0);
    expect(burnrate(['status', '--json'], env('2026-03-09T00:00:00Z')).json().month.spentUsd).toBe('8.00');
    expect(burnrate(['provider', 'set', 'groq', '--mode', 'balance'], env('2026-03-09T00:00:00Z')).code).toBe(0);
    // Balance readings dated before the switch would count the same days twice: refused.
    expect(burnrate(['reading', 'groq', '50', '--at', '2026-03-05T00:00:00Z'], env('2026-03-09T00:00:00Z')).code).not.toBe(0);
    expect(burnrate(['reading', 'groq', '50', '--at', '2026-03-09T01:00:00Z'], env('2026-03-10T00:00:00Z')).code).toBe(0);
    expect(burnrate(['reading', 'groq', '46', '--at', '2026-03-09T23:00:00Z'], env('2026-03-10T00:00:00Z')).code).toBe(0);
    // The odometer's $8.00 up to the switch and the balance drop of $4.00 after it.
    expect(burnrate(['status', '--json'], env('2026-03-10T00:00:00Z')).json().month.spentUsd).toBe('12.00');
    // Switching back keeps both: what each mode counted while it was in force.
    expect(burnrate(['provider', 'set', 'groq', '--mode', 'odometer'], env('2026-03-10T00:00:00Z')).code).toBe(0);
    expect(burnrate(['status', '--json'], env('2026-03-10T00:00:00Z')).json().month.spentUsd).toBe('12.00');
  });

  it('give summary, series and export the subscription days status would show, whoever asks first', () => {
    const home = tempHome();
    expect(burnrate(['subscription', 'add', 'ChatGPT Plus', '--monthly', '31', '--day', '1'], { BURNRATE_HOME: home, BURNRATE_NOW: '2026-03-01T12:00:00Z', TZ: 'UTC' }).code).toBe(0);
    const env = { BURNRATE_HOME: home, BURNRATE_NOW: '2026-03-05T12:00:00Z', TZ: 'UTC' };
    const summary = burnrate(['summary', '--by', 'provider', '--json'], env).json<{ totalUsd: string }>();
    expect(summary.totalUsd).toBe('5.00');
    expect(burnrate(['status', '--json'], env).json().month.spentUsd).toBe('5.00');
  });
});
