import { describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

/** Issue 4's "Done when", through the real CLI: Groq's odometer across the end of March. */
describe('burnrate CLI: odometer readings across a month end', () => {
  it('0.25 then 0.80 make March 0.80; 0.70 is refused; a reminder on March 29; 1.10 and 0.02 close March at 1.10 and open April at 0.02', () => {
    const home = tempHome('burnrate-odometer-');
    const at = (now: string) => ({ BURNRATE_HOME: home, BURNRATE_NOW: now, TZ: 'UTC' });

    expect(burnrate(['reading', 'groq', '0.25', '--json'], at('2026-03-05T12:00:00Z')).json()).toMatchObject({
      mode: 'odometer',
      month: { month: '2026-03', totalUsd: '0.25', status: 'open' },
    });
    const second = burnrate(['reading', 'groq', '0.80', '--note', 'console', '--json'], at('2026-03-20T12:00:00Z'));
    expect(second.json()).toMatchObject({ reading: { amountUsd: '0.80', spendUsd: '0.55', note: 'console' }, month: { totalUsd: '0.80' } });

    const before = burnrate(['readings', 'groq', '--json'], at('2026-03-25T12:00:00Z'));
    const lower = burnrate(['reading', 'groq', '0.70'], at('2026-03-25T12:00:00Z'));
    expect(lower.code).not.toBe(0);
    expect(lower.stdout).toBe('');
    expect(lower.stderr).toMatch(/lower than \$0\.80 .* same billing month \(March 2026\).*Nothing was changed.*--replace.*burnrate reading delete/s);
    const after = burnrate(['readings', 'groq', '--json'], at('2026-03-25T12:00:00Z'));
    expect(after.stdout).toBe(before.stdout);
    expect(after.json().months).toEqual([{ month: '2026-03', totalUsd: '0.80', status: 'open', lastReadingAt: '2026-03-20T12:00:00.000Z', finalUsd: null }]);

    const reminders = burnrate(['reminders', '--json'], at('2026-03-29T09:00:00Z')).json();
    expect(reminders.reminders).toEqual([
      expect.objectContaining({ kind: 'month_end', provider: 'groq', period: '2026-03', state: 'due', message: expect.stringContaining('mind checking your Groq usage?') }),
    ]);
    const onThe29th = burnrate(['status', '--json'], at('2026-03-29T09:00:00Z')).json();
    expect(onThe29th.reminders).toEqual([expect.objectContaining({ kind: 'month_end', provider: 'groq' })]);
    expect(onThe29th.providers).toEqual([expect.objectContaining({ provider: 'groq', monthSpentUsd: '0.80', source: 'odometer' })]);

    expect(burnrate(['reading', 'groq', '1.10'], at('2026-03-30T12:00:00Z')).code).toBe(0);
    const march = burnrate(['status', '--json'], at('2026-03-31T18:00:00Z')).json();
    expect(march.month).toMatchObject({ month: '2026-03', spentUsd: '1.10' });
    expect(march.reminders).toEqual([]); // the reading answered the month-end check

    const april = burnrate(['reading', 'groq', '0.02', '--json'], at('2026-04-01T09:00:00Z')).json();
    expect(april.closedMonth).toEqual({ month: '2026-03', totalUsd: '1.10', status: 'final', lastReadingAt: '2026-03-30T12:00:00.000Z', finalUsd: null });
    expect(april.month).toMatchObject({ month: '2026-04', totalUsd: '0.02', status: 'open' });

    const status = burnrate(['status', '--json'], at('2026-04-01T09:00:00Z')).json();
    expect(status.month).toMatchObject({ month: '2026-04', spentUsd: '0.02' });
    expect(status.providers).toEqual([expect.objectContaining({ provider: 'groq', monthSpentUsd: '0.02', todaySpentUsd: '0.02', source: 'odometer' })]);
    expect(status.reminders).toEqual([]);

    const readings = burnrate(['readings', 'groq', '--json'], at('2026-04-01T09:00:00Z')).json();
    expect(readings.months.map((m: { month: string; totalUsd: string; status: string }) => [m.month, m.totalUsd, m.status])).toEqual([
      ['2026-04', '0.02', 'open'],
      ['2026-03', '1.10', 'final'],
    ]);
    expect(readings.readings.map((r: { amountUsd: string; spendUsd: string }) => [r.amountUsd, r.spendUsd])).toEqual([
      ['0.02', '0.02'],
      ['1.10', '0.30'],
      ['0.80', '0.55'],
      ['0.25', '0.25'],
    ]);
  });
});
