// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DailySeries, ProviderStatus, SpendSummary } from '../../../src/api/contract';
import { dailyChart, summaryShares } from '../../../renderer/src/charts/configs';
import { sourceAge } from '../../../renderer/src/components/freshness';
import { ProviderList } from '../../../renderer/src/components/ProviderList';
import { providerColor } from '../../../renderer/src/components/providers';

afterEach(cleanup);

const ASOF = '2026-11-28T18:00:00.000Z';

function provider(over: Partial<ProviderStatus>): ProviderStatus {
  return {
    provider: 'groq',
    monthSpentUsd: '1.06',
    todaySpentUsd: '0.00',
    source: 'odometer',
    mode: 'odometer',
    lastUpdatedAt: ASOF, // written just now…
    lastReadingAt: null,
    lastSyncAt: null,
    lastUsageDay: null,
    unpricedEvents: 0,
    estimatedMonthUsd: null,
    balanceUsd: null,
    runwayDays: null,
    unreadableRows: 0,
    byokMonthUsd: null,
    ...over,
  };
}

describe("a source's real age", () => {
  it('a reading of three days ago entered just now is three days old, and stale', () => {
    expect(sourceAge(provider({ lastReadingAt: '2026-11-25T18:00:00Z' }), ASOF)).toEqual({ text: 'reading 3 days ago', stale: true, at: '2026-11-25T18:00:00Z' });
    expect(sourceAge(provider({ lastReadingAt: '2026-11-28T08:00:00Z' }), ASOF)).toMatchObject({ text: 'reading 10 h ago', stale: false });
    expect(sourceAge(provider({}), ASOF)).toMatchObject({ text: 'no reading yet', stale: true });
  });

  it('billed figures age with the last good sync; estimates with the last recorded usage', () => {
    expect(sourceAge(provider({ source: 'billed', mode: 'api', lastSyncAt: '2026-11-28T16:00:00Z' }), ASOF)).toMatchObject({ text: 'synced 2 h ago', stale: false });
    expect(sourceAge(provider({ source: 'billed', mode: 'api', lastSyncAt: '2026-11-26T16:00:00Z' }), ASOF)).toMatchObject({ stale: true });
    expect(sourceAge(provider({ source: 'estimate', mode: 'api', lastUsageDay: '2026-11-27' }), ASOF)).toEqual({ text: 'last usage 2026-11-27', stale: false, at: '2026-11-27' });
  });

  it('the provider list shows those ages, never "updated just now", and marks the stale one', () => {
    render(
      <ProviderList
        asOf={ASOF}
        providers={[provider({ lastReadingAt: '2026-11-25T18:00:00Z' }), provider({ provider: 'deepseek', source: 'balance', mode: 'balance', lastReadingAt: '2026-11-28T08:00:00Z' })]}
      />,
    );
    const groq = screen.getByText('Groq').closest('li')!;
    expect(within(groq).getByText('reading 3 days ago').closest('.age')?.getAttribute('data-stale')).toBe('true');
    const deepseek = screen.getByText('DeepSeek').closest('li')!;
    expect(within(deepseek).getByText('reading 10 h ago').closest('.age')?.getAttribute('data-stale')).toBeNull();
    expect(document.body.textContent).not.toMatch(/updated/);
  });
});

describe('unpriced usage', () => {
  it('a provider whose usage is all unpriced shows "Unpriced", never $0.00; partly priced shows its figure', () => {
    render(
      <ProviderList
        asOf={ASOF}
        providers={[
          provider({ provider: 'together', source: 'estimate', mode: 'manual', monthSpentUsd: '0.00', unpricedEvents: 3 }),
          provider({ provider: 'openai', source: 'estimate', mode: 'api', monthSpentUsd: '2.50', unpricedEvents: 1 }),
        ]}
      />,
    );
    const together = screen.getByText('Together').closest('li')!;
    expect(within(together).getByText('Unpriced')).toBeTruthy();
    expect(together.textContent).not.toContain('$0.00');
    const openai = screen.getByText('OpenAI').closest('li')!;
    expect(openai.querySelector('.provider-month')?.textContent).toBe('$2.50');
  });
});

describe('one colour per provider', () => {
  const eight = ['openai', 'anthropic', 'groq', 'deepseek', 'openrouter', 'xai', 'github-copilot', 'cursor'];

  it('is keyed by the provider, distinct among eight, and the same in the bars and the doughnut whatever the order', () => {
    const colours = eight.map((p) => providerColor(p, eight));
    expect(new Set(colours).size).toBe(8);
    const series: DailySeries = { from: '2026-11-28', to: '2026-11-28', days: ['2026-11-28'], providers: eight.map((p) => ({ provider: p, dailyUsd: ['1.00'] })), byModel: [], dailyBudgetUsd: null };
    // The doughnut lists the largest first: another order than the bars.
    const summary: SpendSummary = {
      from: '2026-11-01',
      to: '2026-11-28',
      timezone: 'UTC',
      groupBy: 'provider',
      totalUsd: '36.00',
      groups: [...eight].reverse().map((p, i) => ({ key: p, provider: p, costUsd: `${i + 1}.00`, events: 1, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 })),
      unpricedEvents: 0,
    };
    const colors = { text: '#666', grid: '#eee', budget: '#f00', spendable: '#fa0', forecast: '#70f', line: '#e50', surface: '#fff', font: 'sans-serif' };
    const bars = new Map(dailyChart(series, colors, undefined, { providers: eight }).data.datasets.map((d) => [d.label, d.backgroundColor]));
    const slices = new Map(summaryShares(summary, undefined, eight).map((s) => [s.label, s.color]));
    expect(slices.size).toBe(8);
    for (const [label, color] of slices) expect(bars.get(label)).toBe(color);
    // A chart that shows only some of them still gives each its colour.
    expect(providerColor('github-copilot', eight)).toBe(providerColor('github-copilot', ['github-copilot', 'cursor']));
  });

  it('draws the spendable line under the daily budget, so a bar in the reserve looks like it', () => {
    const colors = { text: '#666', grid: '#eee', budget: '#f00', spendable: '#fa0', forecast: '#70f', line: '#e50', surface: '#fff', font: 'sans-serif' };
    const series: DailySeries = { from: '2026-11-28', to: '2026-11-28', days: ['2026-11-28'], providers: [{ provider: 'groq', dailyUsd: ['1.80'] }], byModel: [], dailyBudgetUsd: '2.00' };
    const lines = dailyChart(series, colors, undefined, { spendableUsd: '1.60' }).data.datasets.filter((d) => d.type === 'line');
    expect(lines.map((d) => [d.label, d.data])).toEqual([
      ['Daily budget', [2]],
      ['Spendable (reserve above)', [1.6]],
    ]);
    // The bars stack; each line stands alone (else Chart.js draws the spendable line at 2 + 1.6).
    const stacks = dailyChart(series, colors, undefined, { spendableUsd: '1.60' }).data.datasets.map((d) => (d as { stack?: string }).stack);
    expect(new Set(stacks).size).toBe(stacks.length);
  });
});
