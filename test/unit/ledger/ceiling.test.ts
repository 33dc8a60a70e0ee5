import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call } from '../../../src/api/dispatch';
import { ApiError } from '../../../src/api/errors';
import { openCore, type Core } from '../../../src/app/open';
import type { UsageEventInput } from '../../../src/ledger/usage';
import { formatUsd, LEDGER_CEILING_NANO, MoneyError } from '../../../src/money';
import { fixedClock } from '../../../src/time';

/**
 * Issue 13, "a money ceiling that bricks the ledger": totals are sums read as 64-bit integers and
 * added as BigInt, exact up to the ledger's limit (int64 nano-USD, $9,223,372,036.85); a write that
 * would pass it is refused with one sentence before it lands, and the ledger stays readable.
 */

const MAX_ONE = BigInt(Number.MAX_SAFE_INTEGER); // the largest single amount: $9,007,199.254740991
const decimal = (nano: bigint) => `${nano / 1_000_000_000n}.${(nano % 1_000_000_000n).toString().padStart(9, '0')}`;
const REFUSAL = /^This write would take the ledger's total recorded spend past \$9,223,372,036\.85 .*so it was refused and nothing changed\.$/;

function freshCore(): Core {
  return openCore({ memory: true, home: '/nonexistent-burnrate-home', clock: fixedClock('2026-11-20T12:00:00Z'), timeZone: 'UTC' });
}

/** `count` manual events of `nano` each, on the days of November from `firstDay` (one model, so one rollup row a day). */
function events(prefix: string, count: number, nano: bigint, firstDay = 1, days = 19): UsageEventInput[] {
  return Array.from({ length: count }, (_, i) => ({
    source: 'manual' as const,
    provider: 'openai',
    model: 'gpt-4o',
    externalId: `${prefix}-${i}`,
    costNano: Number(nano),
    occurredAt: new Date(Date.UTC(2026, 10, firstDay + (i % days), 10)),
  }));
}

async function monthTotals(core: Core): Promise<{ summary: string; status: string; exported: string; byDay: string }> {
  const summary = await call(core, 'spendSummary', { from: '2026-11-01', to: '2026-11-30' });
  const byDay = await call(core, 'spendSummary', { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' });
  const exported = await call(core, 'export', { format: 'json', from: '2026-11-01', to: '2026-11-30' });
  const status = await call(core, 'status', {});
  return {
    summary: summary.totalUsd,
    byDay: byDay.totalUsd,
    exported: (JSON.parse(exported.content) as { countedTotalUsd: string }).countedTotalUsd,
    status: status.month.spentUsd,
  };
}

function refusalOf(write: () => unknown): unknown {
  try {
    write();
    return null;
  } catch (error) {
    return error;
  }
}

describe('the money ceiling', () => {
  it('keeps two accepted $5,000,000 records readable and exact everywhere (status, summary, export, budgets)', async () => {
    const core = freshCore();
    try {
      await call(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '5000000', at: '2026-11-10T10:00:00Z', id: 'a' });
      await call(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '5000000', at: '2026-11-10T11:00:00Z', id: 'b' });
      await call(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '0.000000001', at: '2026-11-11T11:00:00Z', id: 'c' });
      expect(await monthTotals(core)).toEqual({ summary: '10000000.000000001', byDay: '10000000.000000001', exported: '10000000.000000001', status: '10000000.000000001' });
      const set = await call(core, 'budgetSet', { monthly: '9000000' });
      expect(set.month).toMatchObject({ spentUsd: '10000000.000000001', budgetUsd: '9000000.00', health: 'exceeded' });
      const status = await call(core, 'status', {});
      expect(status.providers.find((p) => p.provider === 'openai')).toMatchObject({ monthSpentUsd: '10000000.000000001' });
      expect(status.attention).toContainEqual(expect.objectContaining({ kind: 'budget_month', severity: 'critical', message: expect.stringContaining('spend of $10,000,000.00 is over the $9,000,000.00 monthly budget') }));
    } finally {
      core.close();
    }
  });

  it('is exact around 2^53 nano, where a JS number stops being exact', async () => {
    for (const extra of [-3n, -1n, 0n, 1n, 2n, 3n, 5n]) {
      const core = freshCore();
      try {
        // 2^53 - 1 is the largest single amount; the rest comes in a second row of the same day and model.
        const base = MAX_ONE;
        const second = (1n << 53n) + extra - base;
        core.usage.write(events('base', 1, base, 10, 1));
        if (second > 0n) core.usage.write(events('second', 1, second, 10, 1));
        const expected = formatUsd(base + (second > 0n ? second : 0n));
        expect(await monthTotals(core)).toEqual({ summary: expected, byDay: expected, exported: expected, status: expected });
      } finally {
        core.close();
      }
    }
  });

  it('reaches int64 exactly, then refuses the next nano, in one rollup row and spread over days', async () => {
    for (const days of [1, 19]) {
      const core = freshCore();
      try {
        // 1024 × (2^53 - 1) = 2^63 - 1024: 1023 nano below the ceiling.
        core.usage.write(events('max', 1024, MAX_ONE, 1, days));
        core.usage.write(events('fill', 1, 1023n, 1, 1));
        const full = formatUsd(LEDGER_CEILING_NANO);
        expect(full).toBe('9223372036.854775807');
        expect(await monthTotals(core)).toEqual({ summary: full, byDay: full, exported: full, status: full });

        const count = () => (core.db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n;
        const before = count();
        const refusal = refusalOf(() => core.usage.write(events('one-more', 1, 1n, 2, 1)));
        expect(refusal).toBeInstanceOf(MoneyError);
        expect((refusal as Error).message).toMatch(REFUSAL);
        expect(count()).toBe(before);
        // Through the contract the refusal is the user's input, worded as one sentence.
        const viaRecord = await call(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '0.01', at: '2026-11-12T10:00:00Z', id: 'r' }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(viaRecord).toBeInstanceOf(ApiError);
        expect((viaRecord as ApiError).code).toBe('invalid_input');
        expect((viaRecord as ApiError).message).toMatch(REFUSAL);
        // Nothing changed and everything still reads.
        expect(await monthTotals(core)).toEqual({ summary: full, byDay: full, exported: full, status: full });
        // Taking something away makes room again (a correction is never refused).
        core.usage.write([{ ...events('fill', 1, 1023n, 1, 1)[0]!, costNano: 0 }]);
        core.usage.write(events('one-more', 1, 1n, 2, 1));
        expect((await monthTotals(core)).summary).toBe(formatUsd(LEDGER_CEILING_NANO - 1022n));
      } finally {
        core.close();
      }
    }
  });

  it('keeps random large totals exact and refuses exactly the writes that would pass the ceiling', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 990, max: 1023 }),
        fc.array(fc.record({ nano: fc.bigInt({ min: 1n, max: MAX_ONE }), day: fc.integer({ min: 1, max: 19 }), count: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 12 }),
        async (baseCount, writes) => {
          const core = freshCore();
          try {
            core.usage.write(events('base', baseCount, MAX_ONE));
            let total = BigInt(baseCount) * MAX_ONE;
            for (const [k, w] of writes.entries()) {
              const batch = events(`w${k}`, w.count, w.nano, w.day, 1);
              const added = BigInt(w.count) * w.nano;
              if (total + added <= LEDGER_CEILING_NANO) {
                core.usage.write(batch);
                total += added;
              } else {
                expect((refusalOf(() => core.usage.write(batch)) as Error).message).toMatch(REFUSAL);
              }
            }
            const exact = formatUsd(total);
            expect(await monthTotals(core)).toEqual({ summary: exact, byDay: exact, exported: exact, status: exact });
          } finally {
            core.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refuses one amount past the largest single amount with its own sentence', async () => {
    const core = freshCore();
    try {
      await expect(call(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: decimal(MAX_ONE + 1n), at: '2026-11-10T10:00:00Z' })).rejects.toThrow(
        /larger than the largest single amount Burnrate keeps exactly \(\$9,007,199\.25; totals can be far larger\), so it was refused rather than rounded/,
      );
      await call(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: decimal(MAX_ONE), at: '2026-11-10T10:00:00Z' });
      expect((await call(core, 'spendSummary', { from: '2026-11-01', to: '2026-11-30' })).totalUsd).toBe('9007199.254740991');
    } finally {
      core.close();
    }
  });
});
