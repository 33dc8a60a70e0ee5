import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call } from '../../../src/api/dispatch';
import { ApiError } from '../../../src/api/errors';
import { openCore } from '../../../src/app/open';
import { formatUsd } from '../../../src/money';
import { fixedClock } from '../../../src/time';

const CEILING = BigInt(Number.MAX_SAFE_INTEGER); // nano-USD: $9,007,199.254740991
const usdOf = (nano: bigint) => formatUsd(Number(nano));
const decimal = (nano: bigint) => `${nano / 1_000_000_000n}.${(nano % 1_000_000_000n).toString().padStart(9, '0')}`;

/**
 * Issue 13, "a money ceiling that bricks the ledger": totals stay exact up to the documented limit,
 * a write past it is refused with one sentence before it lands, and the ledger stays readable.
 */
describe('the money ceiling', () => {
  it('keeps totals exact up to the limit and refuses the write that would pass it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt({ min: 1n, max: 4_000_000_000_000_000n }), { minLength: 1, maxLength: 8 }), async (amounts) => {
        const core = openCore({ memory: true, home: '/nonexistent-burnrate-home', clock: fixedClock('2026-11-20T12:00:00Z'), timeZone: 'UTC' });
        try {
          let total = 0n;
          for (const [i, nano] of amounts.entries()) {
            const input = { provider: 'openai', model: 'gpt-4o', cost: decimal(nano), at: `2026-11-${String(1 + (i % 19)).padStart(2, '0')}T10:00:00Z`, id: `big-${i}` };
            if (total + nano <= CEILING) {
              await call(core, 'record', input);
              total += nano;
            } else {
              const refusal = await call(core, 'record', input).then(
                () => null,
                (e: unknown) => e,
              );
              expect(refusal).toBeInstanceOf(ApiError);
              expect((refusal as ApiError).code).toBe('invalid_input');
              expect((refusal as ApiError).message).toMatch(/past \$9,007,199\.25.*refused and nothing changed/);
            }
            // Readable after every step, and exact to the nano. (status is not asserted here: its
            // month-end projection can pass the ceiling on its own; see docs/ledger.md.)
            const summary = await call(core, 'spendSummary', { from: '2026-11-01', to: '2026-11-30' });
            expect(summary.totalUsd).toBe(usdOf(total));
            const exported = await call(core, 'export', { format: 'json', from: '2026-11-01', to: '2026-11-30' });
            expect(exported).toBeTruthy();
          }
        } finally {
          core.close();
        }
      }),
      { numRuns: 20 },
    );
  });

  it('refuses the second of two $5,000,000 records and keeps the first', async () => {
    const core = openCore({ memory: true, home: '/nonexistent-burnrate-home', clock: fixedClock('2026-11-20T12:00:00Z'), timeZone: 'UTC' });
    await call(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '5000000', at: '2026-11-10T10:00:00Z', id: 'a' });
    await expect(call(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '5000000', at: '2026-11-11T10:00:00Z', id: 'b' })).rejects.toThrow(/refused/);
    expect((await call(core, 'spendSummary', { from: '2026-11-01', to: '2026-11-30' })).totalUsd).toBe('5000000.00');
    expect((await call(core, 'status', {})).month.spentUsd).toBe('5000000.00');
    core.close();
  });
});
