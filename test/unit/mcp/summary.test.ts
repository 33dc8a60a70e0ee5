import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DailySeries, ExportResult } from '../../../src/api/contract/core';
import { summarise } from '../../../src/mcp';
import { formatUsd, parseUsd } from '../../../src/money';

// The spend summary regroups contract results; these properties say it neither loses nor invents
// a nano-dollar, whatever the grouping.

const PROVIDERS = ['openai', 'anthropic', 'groq', 'deepseek'];
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'];

/** Amounts up to $1000 with all nine decimals in play, zero often. */
const nano = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000_000_000_000 }));

const seriesArb = fc
  .record({
    providers: fc.subarray(PROVIDERS, { minLength: 0 }),
    amounts: fc.array(fc.array(nano, { minLength: DAYS.length, maxLength: DAYS.length }), { minLength: PROVIDERS.length, maxLength: PROVIDERS.length }),
  })
  .map(({ providers, amounts }) => ({ providers: providers.map((p, i) => ({ provider: p, nanos: amounts[i]! })) }));

function toSeries(s: { providers: { provider: string; nanos: number[] }[] }): DailySeries {
  return {
    from: DAYS[0]!,
    to: DAYS.at(-1)!,
    days: DAYS,
    providers: s.providers.map((p) => ({ provider: p.provider, dailyUsd: p.nanos.map(formatUsd) })),
    byModel: s.providers.map((p) => ({ provider: p.provider, model: 'm', costUsd: formatUsd(p.nanos.reduce((a, b) => a + b, 0)) })),
    dailyBudgetUsd: '2.00',
  };
}

const exactTotal = (s: { providers: { nanos: number[] }[] }) => formatUsd(Number(s.providers.reduce((sum, p) => sum + p.nanos.reduce((a, b) => a + BigInt(b), 0n), 0n)));

describe('spend summary grouping', () => {
  it('by provider: each provider is the exact sum of its days, largest first, and the total is the exact sum of all', () => {
    fc.assert(
      fc.property(seriesArb, (s) => {
        const summary = summarise('provider', toSeries(s));
        expect(summary.totalUsd).toBe(exactTotal(s));
        expect(summary.groups.map((g) => g.provider).sort()).toEqual(s.providers.map((p) => p.provider).sort());
        for (const g of summary.groups) {
          const p = s.providers.find((x) => x.provider === g.provider)!;
          expect(g.spentUsd).toBe(formatUsd(Number(p.nanos.reduce((a, b) => a + BigInt(b), 0n))));
        }
        const amounts = summary.groups.map((g) => parseUsd(g.spentUsd));
        for (let i = 1; i < amounts.length; i++) expect(amounts[i - 1]!).toBeGreaterThanOrEqual(amounts[i]!);
      }),
    );
  });

  it('by day: every day of the range in order, each the exact sum of its providers, zero providers left out', () => {
    fc.assert(
      fc.property(seriesArb, (s) => {
        const summary = summarise('day', toSeries(s));
        expect(summary.groups.map((g) => g.date)).toEqual(DAYS);
        summary.groups.forEach((g, i) => {
          const expected = s.providers.reduce((sum, p) => sum + BigInt(p.nanos[i]!), 0n);
          expect(g.spentUsd).toBe(formatUsd(Number(expected)));
          expect(Object.keys(g.byProvider!).sort()).toEqual(s.providers.filter((p) => p.nanos[i] !== 0).map((p) => p.provider).sort());
        });
        expect(summary.totalUsd).toBe(exactTotal(s));
      }),
    );
  });

  it('by model: the contract rows as they are', () => {
    const s = { providers: [{ provider: 'openai', nanos: [1, 2, 3, 4] }] };
    const summary = summarise('model', toSeries(s));
    expect(summary.groups).toEqual([{ provider: 'openai', model: 'm', spentUsd: '0.00000001' }]);
  });

  it('by project: only counted rows with a known cost, exact sums, no project named "(no project)"', () => {
    const rows = [
      { project: 'alpha', counted: true, cost_usd: '0.10' },
      { project: 'alpha', counted: true, cost_usd: '0.20' }, // 0.1 + 0.2 stays 0.30 exactly
      { project: 'alpha', counted: false, cost_usd: '5.00' }, // a lower tier on a billed day
      { project: 'beta', counted: true, cost_usd: '' }, // unpriced: unknown, never $0 added
      { project: '', counted: true, cost_usd: '0.000000001' },
      { project: 'gamma', counted: true, cost_usd: '1.000000000' },
    ];
    const exported: ExportResult = { format: 'json', from: DAYS[0]!, to: DAYS.at(-1)!, rows: rows.length, content: JSON.stringify({ rows: rows.map((r) => ({ kind: 'usage', ...r })) }) };
    const series = toSeries({ providers: [{ provider: 'openai', nanos: [300_000_000, 1_000_000_001, 0, 0] }] });
    const summary = summarise('project', series, exported);
    expect(summary.groups).toEqual([
      { project: 'gamma', spentUsd: '1.00' },
      { project: 'alpha', spentUsd: '0.30' },
      { project: '(no project)', spentUsd: '0.000000001' },
    ]);
    expect(summary.totalUsd).toBe('1.300000001');
    expect(() => summarise('project', series)).toThrow(/export/);
  });
});
