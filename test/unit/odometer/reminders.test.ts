import { describe, expect, it } from 'vitest';
import { type ApiError } from '../../../src/api/errors';
import type { Reminder } from '../../../src/api/contract/core';
import { catchUp } from '../../../src/app/catch-up';
import { activeReminders } from '../../../src/odometer/reminders';
import { call, testCore } from './helpers';

function kinds(core: ReturnType<typeof testCore>): string[] {
  return activeReminders(core).map((r) => `${r.kind}:${r.provider}:${r.period}`);
}

describe('reminders', () => {
  it('asks for a month-end check from the day two days before the last day, once, and a reading answers it', async () => {
    const core = testCore('2026-03-05T12:00:00Z');
    const due: Reminder[] = [];
    core.events.on('reminderDue', (r) => due.push(r));
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.25' });
    core.setNow('2026-03-20T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.80' });
    core.setNow('2026-03-27T12:00:00Z');
    catchUp(core);
    expect(kinds(core)).toEqual([]); // a week since the last reading, and the month-end check is not due yet
    core.setNow('2026-03-28T23:59:00Z');
    catchUp(core);
    expect(kinds(core)).toEqual(['stale_reading:groq:2026-03-20']);
    core.setNow('2026-03-29T00:00:00Z');
    const list = await call(core, 'reminders', {});
    expect(list.reminders).toEqual([
      expect.objectContaining({ kind: 'month_end', provider: 'groq', period: '2026-03', state: 'due', message: expect.stringMatching(/mind checking your Groq usage\?/) }),
    ]);
    expect(due.map((r) => r.kind)).toEqual(['stale_reading']); // a read shows it on the fly, announces nothing
    catchUp(core);
    expect(due.map((r) => r.kind)).toEqual(['stale_reading', 'month_end']); // the month-end check supersedes the other
    catchUp(core);
    expect(due).toHaveLength(2); // each raised once
    const status = await call(core, 'status', {});
    expect(status.reminders).toEqual([expect.objectContaining({ kind: 'month_end', provider: 'groq' })]);
    core.setNow('2026-03-30T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '1.10' });
    expect(kinds(core)).toEqual([]);
    // Answered: it never comes back, even later in the month.
    core.setNow('2026-03-31T20:00:00Z');
    catchUp(core);
    expect(kinds(core)).toEqual([]);
  });

  it('a stale reading (over 7 days) raises one reminder until a new reading arrives', async () => {
    const core = testCore('2026-03-02T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'perplexity', amount: '1.00' });
    core.setNow('2026-03-09T12:00:00Z');
    catchUp(core);
    expect(kinds(core)).toEqual([]);
    core.setNow('2026-03-09T12:00:01Z');
    catchUp(core);
    expect(kinds(core)).toEqual(['stale_reading:perplexity:2026-03-02']);
    core.setNow('2026-03-10T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'perplexity', amount: '1.50' });
    expect(kinds(core)).toEqual([]);
    expect(core.db.prepare("SELECT answered_at FROM reminders WHERE kind = 'stale_reading'").get()).toEqual({ answered_at: '2026-03-10T12:00:00.000Z' });
  });

  it('snooze hides a reminder until the snooze ends; dismiss hides it for good', async () => {
    const core = testCore('2026-03-02T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'deepseek', amount: '10' });
    core.setNow('2026-03-12T12:00:00Z');
    const [r] = (await call(core, 'reminders', {})).reminders;
    expect(r).toMatchObject({ kind: 'stale_reading', provider: 'deepseek', message: expect.stringMatching(/DeepSeek balance/) });
    const snoozed = await call(core, 'reminderSnooze', { id: r!.id, hours: 5 });
    expect(snoozed).toMatchObject({ state: 'snoozed', snoozedUntil: '2026-03-12T17:00:00.000Z' });
    expect(kinds(core)).toEqual([]);
    expect((await call(core, 'reminders', {})).reminders.map((x) => x.state)).toEqual(['snoozed']);
    core.setNow('2026-03-12T17:00:00Z');
    expect(kinds(core)).toHaveLength(1);
    expect(await call(core, 'reminderDismiss', { id: r!.id })).toMatchObject({ state: 'dismissed' });
    core.setNow('2026-03-20T12:00:00Z');
    catchUp(core);
    expect(kinds(core)).toEqual([]);
    expect(await call(core, 'reminderSnooze', { id: r!.id }).catch((e: ApiError) => e.code)).toBe('conflict');
    expect(await call(core, 'reminderDismiss', { id: 999 }).catch((e: ApiError) => e.code)).toBe('not_found');
  });

  it('un-snooze makes a snoozed reminder due again; a dismissed one is listed only when asked for, and cannot be un-snoozed', async () => {
    const core = testCore('2026-03-02T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'deepseek', amount: '10' });
    core.setNow('2026-03-12T12:00:00Z');
    const [r] = (await call(core, 'reminders', {})).reminders;
    await call(core, 'reminderSnooze', { id: r!.id, hours: 48 });
    expect(kinds(core)).toEqual([]);
    expect(await call(core, 'reminderUnsnooze', { id: r!.id })).toMatchObject({ state: 'due', snoozedUntil: null });
    expect(kinds(core)).toEqual(['stale_reading:deepseek:2026-03-02']);
    expect(await call(core, 'reminderUnsnooze', { id: r!.id })).toMatchObject({ state: 'due' }); // already due: nothing to end
    await call(core, 'reminderDismiss', { id: r!.id });
    expect((await call(core, 'reminders', {})).reminders).toEqual([]);
    expect((await call(core, 'reminders', { dismissed: true })).reminders).toEqual([expect.objectContaining({ id: r!.id, state: 'dismissed' })]);
    // As a query string carries it: "false" is false.
    expect((await call(core, 'reminders', { dismissed: 'false' })).reminders).toEqual([]);
    expect(await call(core, 'reminderUnsnooze', { id: r!.id }).catch((e: ApiError) => e.code)).toBe('conflict');
  });

  it('asks for the final figure of a month closed early, and the final figure answers it', async () => {
    const core = testCore('2026-03-20T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.80' });
    core.setNow('2026-04-01T09:00:00Z');
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.02' });
    const [r] = activeReminders(core);
    expect(r).toMatchObject({ kind: 'month_final', provider: 'groq', period: '2026-03' });
    // Stored and shown by the window and notifications: names no command (the CLI adds its own).
    expect(r!.message).toMatch(/mind entering the final March 2026 figure from the Groq console\?$/);
    await call(core, 'readingAdd', { provider: 'groq', amount: '0.95', month: '2026-03', final: true });
    expect(kinds(core)).toEqual([]);
  });

  it('a month-end check left unanswered expires with its month; the new month asks for the final figure instead', async () => {
    const core = testCore('2026-03-10T12:00:00Z');
    await call(core, 'readingAdd', { provider: 'mistral', amount: '2.00' });
    core.setNow('2026-03-30T00:00:00Z');
    catchUp(core);
    expect(kinds(core)).toEqual(['month_end:mistral:2026-03']);
    core.setNow('2026-04-01T00:00:00Z');
    catchUp(core);
    expect(kinds(core)).toEqual(['month_final:mistral:2026-03']);
    expect((await call(core, 'readings', { provider: 'mistral' })).months[0]).toMatchObject({ month: '2026-03', status: 'estimated' });
  });

  it('nothing is asked of providers that are not tracked by readings', async () => {
    const core = testCore('2026-03-30T12:00:00Z');
    await call(core, 'record', { provider: 'groq', model: 'llama', cost: '1' });
    catchUp(core);
    expect(kinds(core)).toEqual([]);
  });
});
