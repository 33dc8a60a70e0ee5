import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, fromNano } from '../../../renderer/src/format/money';
import { formatPct } from '../../../renderer/src/format/numbers';
import { formatPercentForPeople, formatUsdForPeople } from '../../../src/money';

// One money format and one rounding rule for percentages: the sentences the server writes
// (attention items, alerts, CLI) and the figures the window draws must read the same.

describe('money: the server and the window write an amount the same way', () => {
  it.each([
    [12_414_150_000_000, '$12,414.15'],
    [27_670_000_000, '$27.67'],
    [-1_500_000_000, '-$1.50'],
    [75_000, '$0.000075'],
    [0, '$0.00'],
    [1_234_567_891_000_000, '$1,234,567.89'],
  ])('%d nano → %s on both sides', (nano, text) => {
    expect(formatUsdForPeople(nano)).toBe(text);
    expect(formatMoney(fromNano(BigInt(nano)))).toBe(text);
  });

  it('agrees on any amount, including exact half cents', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.integer({ min: 0, max: 10_000 }).map((c) => c * 10_000_000 + 5_000_000)), (nano) => {
        expect(formatMoney(fromNano(BigInt(nano)))).toBe(formatUsdForPeople(nano));
      }),
    );
  });
});

describe('percentages: one rounding rule (down), one spelling', () => {
  it.each([
    [9190, '91%'],
    [9199, '91%'],
    [10000, '100%'],
    [12345, '123%'],
    [420, '4.2%'],
    [999, '9.9%'],
    [0, '0.0%'],
    [3_536_912, '35,369%'],
    [100_000, '1,000%'],
  ])('%d bp → %s on both sides', (bp, text) => {
    expect(formatPercentForPeople(bp)).toBe(text);
    expect(formatPct(bp / 100)).toBe(text);
  });

  it('agrees on any share in basis points', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (bp) => {
        expect(formatPct(bp / 100)).toBe(formatPercentForPeople(bp));
      }),
    );
  });
});
