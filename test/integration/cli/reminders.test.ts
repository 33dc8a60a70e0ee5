import { beforeAll, describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

// Reminders through the real CLI: snooze, un-snooze (the snooze ends at once) and the dismissed
// ones listed on request, as the window's reminders card does them. Each spawn is a whole process:
// room for a busy machine (no assertion is about time).
const ROOM = 120_000;

describe('burnrate reminders: unsnooze and --dismissed', () => {
  let home: string;
  const at = (now = '2026-03-12T12:00:00Z') => ({ BURNRATE_HOME: home, BURNRATE_NOW: now });
  const json = (args: string[]) => {
    const r = burnrate([...args, '--json'], at());
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { id: number; state: string; snoozedUntil: string | null } & { reminders: { id: number; state: string }[] };
  };

  beforeAll(() => {
    home = tempHome('burnrate-reminders-');
    // A balance read on the 2nd is stale by the 12th: one reminder is due.
    expect(burnrate(['provider', 'set', 'deepseek', '--mode', 'balance'], at('2026-03-02T12:00:00Z')).code).toBe(0);
    expect(burnrate(['reading', 'deepseek', '10'], at('2026-03-02T12:00:00Z')).code).toBe(0);
  }, ROOM);

  it('ends a snooze with unsnooze, and lists a dismissed reminder only with --dismissed', () => {
    const [r] = json(['reminders']).reminders;
    expect(r).toMatchObject({ state: 'due' });
    expect(json(['reminders', 'snooze', String(r!.id), '--hours', '48'])).toMatchObject({ state: 'snoozed' });
    const unsnoozed = burnrate(['reminders', 'unsnooze', String(r!.id)], at());
    expect(unsnoozed.stdout.trim()).toBe(`Reminder #${r!.id} is due.`);
    expect(json(['reminders']).reminders).toEqual([expect.objectContaining({ id: r!.id, state: 'due' })]);
    expect(json(['reminders', 'dismiss', String(r!.id)])).toMatchObject({ state: 'dismissed' });
    expect(json(['reminders']).reminders).toEqual([]);
    expect(json(['reminders', 'list', '--dismissed']).reminders).toEqual([expect.objectContaining({ id: r!.id, state: 'dismissed' })]);
    expect(burnrate(['reminders', 'list', '--dismissed'], at()).stdout).toMatch(/\[dismissed\]/);
  }, ROOM);
});
