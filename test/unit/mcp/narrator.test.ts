import { describe, expect, it } from 'vitest';
import type { Status } from '../../../src/api/contract/core';
import { checkInMessage } from '../../../src/mcp';

function status(over: Partial<Status> = {}, day: Partial<Status['day']> = {}, month: Partial<Status['month']> = {}): Status {
  return {
    asOf: '2026-03-10T18:30:00.000Z',
    timezone: 'UTC',
    day: { date: '2026-03-10', spentUsd: '0.42', budgetUsd: '2.00', reserveUsd: '0.40', spendableUsd: '1.60', health: 'good', ...day },
    month: { month: '2026-03', spentUsd: '12.30', budgetUsd: '50.00', reserveUsd: '10.00', forecastUsd: '38.13', health: 'good', runsOutOn: null, ...month },
    providers: [],
    reminders: [],
    alerts: [],
    attention: [],
    unpricedEvents: 0,
    unreadableRows: 0,
    ...over,
  };
}

describe('the daily check-in message', () => {
  it('a quiet day: health of the day and the month with exact figures, and nothing else to do', () => {
    const text = checkInMessage(status());
    expect(text).toContain('Good evening!');
    expect(text).toContain('$0.42 of $1.60 spendable, comfortably on track');
    expect(text).toContain('This month: $12.30 of $50.00, heading for about $38.13, looking healthy.');
    expect(text).toContain('Nothing else needs you today.');
    expect(text).not.toContain('need your eye');
    expect(text.split('\n').length).toBeLessThanOrEqual(6);
  });

  it('greets by the local hour in the status time zone', () => {
    expect(checkInMessage(status({ asOf: '2026-03-10T08:00:00.000Z', timezone: 'UTC' }))).toMatch(/^Good morning!/);
    // 08:00 UTC is 17:00 in Tokyo.
    expect(checkInMessage(status({ asOf: '2026-03-10T08:00:00.000Z', timezone: 'Asia/Tokyo' }))).toMatch(/^Good afternoon!/);
    expect(checkInMessage(status({ asOf: '2026-03-10T02:00:00.000Z', timezone: 'UTC' }))).toMatch(/^Hi!/);
  });

  it('names each health state, and a budget that is not set', () => {
    expect(checkInMessage(status({}, { health: 'warning', spentUsd: '1.30' }))).toContain('$1.30 of $1.60 spendable, getting close');
    expect(checkInMessage(status({}, { health: 'critical', spentUsd: '1.75' }))).toContain('past the $1.60 spendable and into your $0.40 reserve');
    expect(checkInMessage(status({}, { health: 'exceeded', spentUsd: '2.30' }))).toContain('$2.30, over the whole $2.00 daily budget');
    const none = checkInMessage(status({}, { health: null, budgetUsd: null, reserveUsd: null, spendableUsd: null }, { health: null, budgetUsd: null, reserveUsd: null }));
    expect(none).toContain('Today: $0.42 spent (no daily budget is set).');
    expect(none).toContain('This month: $12.30 so far, heading for about $38.13.');
    expect(checkInMessage(status({}, {}, { health: 'warning', runsOutOn: '2026-03-27' }))).toContain('At this pace the budget runs out on 2026-03-27.');
  });

  it('lists urgent items once (not the budget ones it already said), at most three, and the readings to take', () => {
    const text = checkInMessage(
      status(
        {
          attention: [
            { kind: 'budget_day', severity: 'critical', message: "Today's spend of $1.75 is into the reserve." },
            { kind: 'sync_failed', severity: 'critical', provider: 'openai', message: 'OpenAI sync failed 2 hours ago: the key was refused.' },
            { kind: 'runway', severity: 'warning', provider: 'deepseek', message: "DeepSeek's prepaid balance lasts about 3 days." },
            { kind: 'cap', severity: 'warning', provider: 'openai', message: 'OpenAI is at 80% of its cap.' },
            { kind: 'unpriced', severity: 'warning', message: '2 usage rows have no known price.' },
            { kind: 'sync_pending', severity: 'info', message: 'xAI has a key but has not been synced yet.' },
            { kind: 'reminder_stale_reading', severity: 'info', provider: 'groq', message: 'Mind checking your Groq usage?' },
          ],
          reminders: [{ id: 4, kind: 'stale_reading', provider: 'groq', message: 'Mind checking your Groq usage?', period: '2026-03-01' }],
        },
        { health: 'critical', spentUsd: '1.75' },
      ),
    );
    expect(text).toContain('A few things need your eye:');
    expect(text).toContain('• OpenAI sync failed 2 hours ago: the key was refused.');
    expect(text).toContain("• DeepSeek's prepaid balance lasts about 3 days.");
    expect(text).toContain('• OpenAI is at 80% of its cap.');
    expect(text).toContain('…and 1 more');
    expect(text).not.toContain('is into the reserve.'); // said in the day sentence already
    expect(text).not.toContain('xAI'); // info items are not urgent
    expect(text.match(/Mind checking your Groq usage\?/g)).toHaveLength(1);
    expect(text).toContain('A reading it is time to take:');
    expect(text).toContain('Tell me the figure from the console and I will record it.');
    expect(text).toContain('Thanks for keeping the ledger honest!');
  });
});
