import { beforeAll, describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

// The same domain errors the window words with its buttons (test/unit/renderer/window-errors),
// through the real CLI: here the remedy names the flags and commands. Each spawn is a whole
// process, so the tests get room on a busy machine (no assertion is about time).
const ROOM = 120_000;

describe('burnrate CLI: errors name the flags and commands that fix them', () => {
  let home: string;
  const at = (now: string) => ({ BURNRATE_HOME: home, BURNRATE_NOW: now });

  beforeAll(() => {
    home = tempHome('burnrate-remedies-');
    expect(burnrate(['reading', 'groq', '0.80'], at('2026-03-20T12:00:00Z')).code).toBe(0);
  }, ROOM);

  it('a lower reading: --replace and "burnrate reading delete", as text and in the JSON error', () => {
    const lower = burnrate(['reading', 'groq', '0.70'], at('2026-03-25T12:00:00Z'));
    expect(lower.code).toBe(1);
    expect(lower.stderr).toMatch(/Nothing was changed\. If \$0\.80 was mistyped, correct it with "burnrate reading groq AMOUNT --replace", or delete it with "burnrate reading delete 1"\./);
    const asJson = burnrate(['reading', 'groq', '0.70', '--json'], at('2026-03-25T12:00:00Z'));
    expect(JSON.parse(asJson.stderr)).toMatchObject({
      error: { code: 'conflict', reason: 'reading_lower_than_previous', facts: { provider: 'groq', previousId: 1, previousIsLatest: true }, message: expect.stringContaining('--replace') },
    });
  }, ROOM);

  it('a final figure without its month names --month and --final; the reminder names the command', () => {
    const final = burnrate(['reading', 'groq', '0.90', '--final'], at('2026-04-02T12:00:00Z'));
    expect(final.code).toBe(2);
    expect(final.stderr).toMatch(/A final figure needs the month it closes; add --month YYYY-MM \(for example "burnrate reading groq 0\.90 --month 2026-03 --final"\)\./);
    const reminders = burnrate(['reminders'], at('2026-04-02T12:00:00Z'));
    expect(reminders.stdout).toMatch(/mind entering the final March 2026 figure from the Groq console\? \(burnrate reading groq USD --month 2026-03 --final\)/);
  }, ROOM);

  it('a duplicate subscription names "burnrate subscription remove"; a cap without its amount names --monthly', () => {
    const add = ['subscription', 'add', 'ChatGPT Plus', '--monthly', '20', '--day', '3'];
    expect(burnrate(add, at('2026-04-02T12:00:00Z')).code).toBe(0);
    const twice = burnrate(add, at('2026-04-02T12:00:00Z'));
    expect(twice.stderr).toMatch(/already tracked as subscription #1; nothing was added\. To change it, remove it first with "burnrate subscription remove 1"\./);
    const cap = burnrate(['budget', 'set', '--provider', 'openai'], at('2026-04-02T12:00:00Z'));
    expect(cap.stderr).toMatch(/Give the monthly cap for openai \(or none to remove it\)\. Give it with --monthly USD/);
    const zero = burnrate(['budget', 'set', '--provider', 'openai', '--monthly', '0'], at('2026-04-02T12:00:00Z'));
    expect(zero.stderr).toMatch(/The monthly cap must be more than \$0\. Nothing was changed\. To remove it, give none instead of an amount\./);
  }, ROOM);
});
