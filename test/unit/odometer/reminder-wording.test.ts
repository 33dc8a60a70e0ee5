import { describe, expect, it } from 'vitest';
import { call, testCore } from './helpers';

// Issue 15 ("nothing misleads"): an open reminder's sentence tells the figures as they are now. A
// later reading for the same month used to leave "Groq's October 2026 total is $0.40" standing
// after October's reading of $2.10 had been entered.

describe('an open reminder follows the readings', () => {
  it("rewords the missing final figure's sentence when a later reading of that month arrives, in reads and in the store", async () => {
    const core = testCore('2026-11-28T18:00:00Z', 'Europe/Berlin');
    await call(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.40', at: '2026-10-05T09:00:00Z' });
    const first = (await call(core, 'reminders', {})).reminders.find((r) => r.kind === 'month_final');
    expect(first?.message).toMatch(/^Groq's October 2026 total is \$0\.40, from a reading on 2026-10-05/);
    await call(core, 'readingAdd', { provider: 'groq', amount: '2.10', at: '2026-10-20T09:00:00Z' });
    const after = (await call(core, 'reminders', {})).reminders.filter((r) => r.kind === 'month_final');
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(first!.id);
    expect(after[0]!.message).toMatch(/^Groq's October 2026 total is \$2\.10, from a reading on 2026-10-20/);
    const stored = core.db.prepare("SELECT message FROM reminders WHERE kind = 'month_final'").get() as { message: string };
    expect(stored.message).toBe(after[0]!.message);
    const status = await call(core, 'status', {});
    expect(status.attention.find((a) => a.kind === 'reminder_month_final')?.message).toBe(after[0]!.message);
  });
});
