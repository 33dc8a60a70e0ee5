import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atLeastShare, healthOf, HEALTH_RANK, splitBudget } from '../../../src/budget/health';
import { parseUsd } from '../../../src/money';

const usd = (s: string) => parseUsd(s);

describe('health (design.md)', () => {
  it('follows the issue example: $5.00/day with 20 % reserve', () => {
    const split = splitBudget(usd('5.00'), 2000);
    expect(split.spendable).toBe(usd('4.00'));
    expect(split.reserve).toBe(usd('1.00'));
    expect(healthOf(usd('1.00'), split)).toBe('good');
    expect(healthOf(usd('3.20'), split)).toBe('warning');
    expect(healthOf(usd('4.50'), split)).toBe('critical');
    expect(healthOf(usd('5.10'), split)).toBe('exceeded');
  });

  it('puts the edges where design.md says: 75 % of spendable, spendable, the whole budget', () => {
    const split = splitBudget(usd('2.00'), 2000); // $1.60 spendable, $0.40 reserve
    expect(split.spendable).toBe(usd('1.60'));
    expect(healthOf(usd('1.199999999'), split)).toBe('good');
    expect(healthOf(usd('1.20'), split)).toBe('warning'); // exactly 75 %
    expect(healthOf(usd('1.60'), split)).toBe('warning'); // "up to spendable"
    expect(healthOf(usd('1.600000001'), split)).toBe('critical');
    expect(healthOf(usd('2.00'), split)).toBe('critical'); // the whole budget, not past it
    expect(healthOf(usd('2.000000001'), split)).toBe('exceeded');
  });

  it('calls nothing spent good, even with a 100 % reserve', () => {
    expect(healthOf(0, splitBudget(usd('3'), 10_000))).toBe('good');
    expect(healthOf(1, splitBudget(usd('3'), 10_000))).toBe('critical');
  });

  const budgetArb = fc.integer({ min: 1, max: 1_000_000 * 1_000_000_000 });
  const reserveArb = fc.integer({ min: 0, max: 10_000 });

  it('splits a budget exactly: reserve + spendable = budget', () => {
    fc.assert(
      fc.property(budgetArb, reserveArb, (budget, bp) => {
        const s = splitBudget(budget, bp);
        expect(s.reserve + s.spendable).toBe(budget);
        expect(s.reserve).toBeGreaterThanOrEqual(0);
        expect(s.spendable).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('never gets healthier as more is spent', () => {
    fc.assert(
      fc.property(budgetArb, reserveArb, fc.nat(2 * 10 ** 15), fc.nat(10 ** 12), (budget, bp, spent, more) => {
        const s = splitBudget(budget, bp);
        expect(HEALTH_RANK[healthOf(spent + more, s)]).toBeGreaterThanOrEqual(HEALTH_RANK[healthOf(spent, s)]);
      }),
    );
  });

  it('agrees with the definition for any amount', () => {
    fc.assert(
      fc.property(budgetArb, reserveArb, fc.nat(2 * 10 ** 15), (budget, bp, spent) => {
        const s = splitBudget(budget, bp);
        const h = healthOf(spent, s);
        if (spent > budget) expect(h).toBe('exceeded');
        else if (spent > s.spendable) expect(h).toBe('critical');
        else if (spent > 0 && BigInt(spent) * 4n >= BigInt(s.spendable) * 3n) expect(h).toBe('warning');
        else expect(h).toBe('good');
      }),
    );
  });

  it('compares shares exactly, without floats', () => {
    expect(atLeastShare(3, 4, 7500)).toBe(true);
    expect(atLeastShare(2_999_999_999, 4_000_000_000, 7500)).toBe(false);
    expect(atLeastShare(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 10_000)).toBe(true);
  });
});
