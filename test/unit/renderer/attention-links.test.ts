import { describe, expect, it } from 'vitest';
import { attentionFix, providerFix } from '../../../renderer/src/components/attention-links';
import { hashOf, parseRoute } from '../../../renderer/src/routes';

describe('attentionFix: each item links to where it is fixed', () => {
  it('a project over its cap opens the budgets, where project caps are', () => {
    expect(attentionFix({ kind: 'project_cap', severity: 'critical', message: 'Project "web" is over its $10.00 monthly cap…' })).toEqual({
      to: { surface: 'window', view: 'budgets' },
      label: 'Review project caps',
    });
  });

  it('a cap opens that cap, unpriced usage its price, a low balance the top-up form', () => {
    expect(attentionFix({ kind: 'cap', severity: 'warning', provider: 'openai', message: 'OpenAI is at 91%…' })).toEqual({
      to: { surface: 'window', view: 'budgets', provider: 'openai', action: 'cap' },
      label: 'Open the cap',
    });
    expect(attentionFix({ kind: 'unpriced', severity: 'warning', provider: 'deepseek', message: '…' })?.to).toEqual({ surface: 'window', view: 'prices', provider: 'deepseek', action: 'price' });
    expect(attentionFix({ kind: 'unpriced', severity: 'warning', message: '2 providers' })?.to).toEqual({ surface: 'window', view: 'prices', action: 'price' });
    expect(attentionFix({ kind: 'runway', severity: 'critical', provider: 'openrouter', message: '…' })?.to).toMatchObject({ view: 'readings', action: 'topup', provider: 'openrouter' });
  });

  it("a missing final figure opens the final-figure form for the reminder's month, named in the link", () => {
    const fix = attentionFix({ kind: 'reminder_month_final', severity: 'info', provider: 'groq', message: '…' }, [
      { id: 1, kind: 'stale_reading', provider: 'groq', message: '', period: '2026-11-01' },
      { id: 2, kind: 'month_final', provider: 'groq', message: '', period: '2026-10' },
    ]);
    expect(fix).toEqual({ to: { surface: 'window', view: 'readings', provider: 'groq', action: 'final', month: '2026-10' }, label: "Enter October's final figure" });
    // The link survives the trip through the hash.
    expect(parseRoute(hashOf(fix!.to))).toEqual(fix!.to);
  });

  it('every kind the core raises has a place; an unknown kind has none', () => {
    for (const kind of ['budget_day', 'budget_month', 'forecast', 'stale', 'sync_failed', 'sync_pending', 'unreadable', 'notifications', 'drift', 'reminder_month_end', 'reminder_stale_reading']) {
      expect(attentionFix({ kind, severity: 'info', message: '' }), kind).not.toBeNull();
    }
    expect(attentionFix({ kind: 'something_new', severity: 'info', message: '' })).toBeNull();
  });
});

describe('providerFix: a provider row links to where its figures come from', () => {
  it.each([
    ['api', { view: 'accounts' }],
    ['odometer', { view: 'readings' }],
    ['balance', { view: 'readings' }],
    ['subscription', { view: 'readings', action: 'subscription' }],
    ['manual', { view: 'readings', action: 'record' }],
  ])('%s', (mode, to) => {
    expect(providerFix({ provider: 'x', mode, unpricedEvents: 0 }).to).toEqual({ surface: 'window', provider: 'x', ...to });
  });

  it('unpriced usage wins: the row opens its price', () => {
    expect(providerFix({ provider: 'deepseek', mode: 'api', unpricedEvents: 3 }).to).toMatchObject({ view: 'prices', action: 'price' });
  });
});
