import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { attentionList } from '../../../src/budget/attention';
import { spend, testCore, type TestCore } from './helpers';

let t: TestCore;
afterEach(() => t?.core.close());

function syncRun(provider: string, outcome: 'ok' | 'error', at: string, extra: { kind?: string; message?: string } = {}) {
  t.core.db
    .prepare('INSERT INTO sync_runs (provider, started_at, finished_at, outcome, error_kind, message) VALUES (?, ?, ?, ?, ?, ?)')
    .run(provider, at, at, outcome, extra.kind ?? null, extra.message ?? null);
}

describe('what needs attention', () => {
  it('is empty when all is well', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { daily: '10', monthly: '300' });
    await spend(t.core, '1');
    syncRun('openai', 'ok', '2026-03-10T11:00:00Z');
    expect(attentionList(t.core)).toEqual([]);
  });

  it('lists every kind, critical first, then in the issue\'s order', async () => {
    t = testCore({ now: '2026-03-10T12:00:00Z' });
    await dispatch(t.core, 'budgetSet', { daily: '5', monthly: '40' });
    await dispatch(t.core, 'budgetSet', { provider: 'anthropic', monthly: '10' });
    for (const day of ['2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09']) {
      t.clock.set(`${day}T12:00:00Z`);
      await spend(t.core, '5.00', { provider: 'openai' });
    }
    t.clock.set('2026-03-10T12:00:00Z');
    await spend(t.core, '4.50', { provider: 'anthropic' }); // day into the reserve; anthropic cap 45 %
    await spend(t.core, '4.00', { provider: 'anthropic' }); // day exceeded; cap 85 %
    // An unpriced row, a failed sync with a revoked key, a stale provider, a reminder.
    t.core.usage.write([{ source: 'proxy', provider: 'openai', model: 'some-unknown-model', inputTokens: 1000, occurredAt: t.clock.now(), externalId: 'u1' }]);
    syncRun('openai', 'error', '2026-03-10T11:00:00Z', { kind: 'auth', message: 'OpenAI refused the admin key (401); set a new one with burnrate keys set openai' });
    syncRun('xai', 'ok', '2026-03-09T20:00:00Z');
    t.core.db
      .prepare("INSERT INTO reminders (kind, provider, period, message, created_at) VALUES ('month_end', 'groq', '2026-02', 'Enter Groq''s final figure for February.', '2026-03-01T09:00:00Z')")
      .run();
    const items = attentionList(t.core);
    expect(items.map((i) => `${i.severity}:${i.kind}`)).toEqual([
      'critical:budget_day',
      'critical:sync_failed',
      'warning:cap', // the month ($28.50 of $32 spendable) is only a warning: not listed
      'warning:forecast',
      'info:reminder_month_end',
      'warning:stale',
      'warning:unpriced',
    ]);
    expect(items[0]!.message).toBe("Today's spend of $8.50 is over the $5.00 daily budget.");
    expect(items.find((i) => i.kind === 'cap')).toMatchObject({ provider: 'anthropic', message: 'Anthropic is at 85% of its $10.00 monthly cap ($8.50 spent).' });
    expect(items.find((i) => i.kind === 'sync_failed')!.message).toMatch(/^OpenAI sync failed 1 hour ago: OpenAI refused the admin key/);
    expect(items.find((i) => i.kind === 'stale')!.message).toMatch(/^xAI figures are 16 hours old/);
    expect(items.find((i) => i.kind === 'unpriced')!.message).toMatch(/^1 usage row this month \(OpenAI\) has no known price/);
    // status carries the same list.
    expect((await dispatch(t.core, 'status', {})).attention).toEqual(items);
  });

  it('raises the month when it is into its reserve, and a cap when it is reached', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { monthly: '10' });
    await dispatch(t.core, 'budgetSet', { provider: 'openai', monthly: '8' });
    await spend(t.core, '8.20');
    const kinds = attentionList(t.core).map((i) => `${i.severity}:${i.kind}`);
    expect(kinds).toEqual(['critical:budget_month', 'critical:cap']);
  });

  it('lists a project over its cap, and one nearing it, after the provider caps', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { project: 'web', monthly: '10' });
    await dispatch(t.core, 'budgetSet', { project: 'api', monthly: '20' });
    await dispatch(t.core, 'budgetSet', { provider: 'openai', monthly: '100' });
    await dispatch(t.core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '22.11', id: 'w1', project: 'web' });
    await dispatch(t.core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '17.00', id: 'a1', project: 'api' });
    await dispatch(t.core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '50.00', id: 'o1' });
    const items = attentionList(t.core);
    expect(items.map((i) => `${i.severity}:${i.kind}`)).toEqual(['critical:project_cap', 'warning:cap', 'warning:project_cap']);
    expect(items[0]!.message).toBe('Project "web" is over its $10.00 monthly cap ($22.11 spent).');
    expect(items[2]!.message).toBe('Project "api" is at 85% of its $20.00 monthly cap ($17.00 spent).');
  });
});
