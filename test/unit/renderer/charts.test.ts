import { describe, expect, it } from 'vitest';
import type { DailySeries, SpendSummary, Status } from '../../../src/api/contract';
import { cumulativeUsd, dailyChart, monthChart, shareChart, summaryShares } from '../../../renderer/src/charts/configs';

const colors = { text: '#666', grid: '#eee', budget: '#f00', spendable: '#fa0', forecast: '#70f', line: '#e50', surface: '#fff', font: 'sans-serif' };

const series: DailySeries = {
  from: '2026-11-26',
  to: '2026-11-28',
  days: ['2026-11-26', '2026-11-27', '2026-11-28'],
  providers: [
    { provider: 'openai', dailyUsd: ['0.10', '0.20', '0.000000001'] },
    { provider: 'groq', dailyUsd: ['0.05', '0.00', '0.70'] },
  ],
  byModel: [],
  dailyBudgetUsd: '2.00',
};

describe('chart data', () => {
  it('stacks the daily bars by provider and draws the daily budget across', () => {
    const config = dailyChart(series, colors);
    expect(config.data.labels).toEqual(['Nov 26', 'Nov 27', 'Nov 28']);
    const [openai, groq, budget] = config.data.datasets;
    expect(openai).toMatchObject({ type: 'bar', label: 'OpenAI', stack: 'spend', data: [0.1, 0.2, 1e-9] });
    expect(groq).toMatchObject({ type: 'bar', label: 'Groq', stack: 'spend', data: [0.05, 0, 0.7] });
    expect(budget).toMatchObject({ type: 'line', label: 'Daily budget', data: [2, 2, 2] });
    expect(dailyChart({ ...series, dailyBudgetUsd: null }, colors).data.datasets.map((d) => d.label)).toEqual(['OpenAI', 'Groq']);
  });

  it('keeps the running total exact (BigInt), not a float sum', () => {
    expect(cumulativeUsd(series)).toEqual(['0.15', '0.35', '1.050000001']);
  });

  it("draws the month's running total to today, the budget, where the reserve starts, and the forecast to the month's end", () => {
    const month: Status['month'] = { month: '2026-11', spentUsd: '1.050000001', budgetUsd: '50.00', reserveUsd: '10.00', forecastUsd: '12.00', health: 'good', runsOutOn: null };
    const config = monthChart(series, month, '2026-11-28', colors);
    expect(config.data.labels).toHaveLength(30);
    const byLabel: Record<string, (number | null)[]> = Object.fromEntries(config.data.datasets.map((d) => [d.label, d.data as (number | null)[]]));
    expect(byLabel.Spent!.slice(24, 28)).toEqual([0, 0.15, 0.35, 1.050000001]);
    expect(byLabel.Spent!.slice(28)).toEqual([null, null]);
    expect(byLabel.Forecast!.slice(0, 27).every((v: number | null) => v === null)).toBe(true);
    expect(byLabel.Forecast![27]).toBeCloseTo(1.05, 6);
    expect(byLabel.Forecast![29]).toBe(12);
    expect(new Set(byLabel['Monthly budget'])).toEqual(new Set([50]));
    expect(new Set(byLabel['Reserve starts'])).toEqual(new Set([40]));
  });

  it('shares by provider keep provider colours; models show the top eight and the rest together', () => {
    const byProvider: SpendSummary = {
      from: '2026-11-01',
      to: '2026-11-28',
      timezone: 'UTC',
      groupBy: 'provider',
      totalUsd: '3.00',
      unpricedEvents: 0,
      groups: [
        { key: 'anthropic', costUsd: '2.00', events: 3, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 },
        { key: 'groq', costUsd: '1.00', events: 1, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 },
        { key: 'xai', costUsd: '0.00', events: 1, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 },
      ],
    };
    expect(summaryShares(byProvider).map((s) => [s.label, s.usd])).toEqual([
      ['Anthropic', '2.00'],
      ['Groq', '1.00'],
    ]);
    const models: SpendSummary = {
      ...byProvider,
      groupBy: 'model',
      groups: Array.from({ length: 11 }, (_, i) => ({ key: i === 0 ? '' : `m${i}`, provider: 'openai', costUsd: `0.0${9 - Math.min(i, 8)}1`, events: 1, inputTokens: 0, outputTokens: 0, unpricedEvents: 0 })),
    };
    const shares = summaryShares(models);
    expect(shares).toHaveLength(9);
    expect(shares[0]!.label).toBe('OpenAI (no model)');
    expect(shares[8]).toMatchObject({ label: '3 others', usd: '0.033' });
    expect(shareChart(shares, colors).data.datasets[0]!.data).toHaveLength(9);
  });
});
