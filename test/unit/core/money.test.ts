import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addNano,
  addTotal,
  allocate,
  allocateTotal,
  costOfTokens,
  divRoundHalfEven,
  formatUsd,
  formatUsdForPeople,
  MoneyError,
  mulDiv,
  nanoFromTicks,
  parseCents,
  LEDGER_CEILING_NANO,
  parseUsd,
  parseUsdTotal,
  percentOfBp,
  ratioBp,
  sumNano,
  sumTotal,
  toTotal,
  usdFromJsonNumber,
} from '../../../src/money';

describe('parsing and formatting USD', () => {
  it('parses decimal strings exactly', () => {
    expect(parseUsd('1.06')).toBe(1_060_000_000);
    expect(parseUsd('$0.000075')).toBe(75_000);
    expect(parseUsd('.5')).toBe(500_000_000);
    expect(parseUsd('20')).toBe(20_000_000_000);
    expect(parseUsd('0.0375')).toBe(37_500_000);
  });

  it('refuses what is not an amount, with a sentence', () => {
    expect(() => parseUsd('abc')).toThrow(/not a number/);
    expect(() => parseUsd('1,06')).toThrow(MoneyError);
    expect(() => parseUsd('')).toThrow(MoneyError);
    expect(() => parseUsd('-1')).toThrow(/negative/);
    expect(() => parseUsd('0.0000000001')).toThrow(/decimal places/);
    expect(parseUsd('-1.5', { allowNegative: true })).toBe(-1_500_000_000);
  });

  it("reads Anthropic's cents strings and xAI ticks exactly", () => {
    expect(parseCents('1287.504')).toBe(12_875_040_000); // $12.87504
    expect(parseCents('123.45')).toBe(1_234_500_000);
    expect(nanoFromTicks('10000000000')).toBe(1_000_000_000); // 1e10 ticks = $1
    expect(nanoFromTicks(15)).toBe(2); // 1.5 nano rounds half to even → 2
    expect(nanoFromTicks(25)).toBe(2); // 2.5 nano → 2
  });

  it('reads JSON numbers through their shortest decimal text, never float maths', () => {
    expect(usdFromJsonNumber(4.8213)).toBe(4_821_300_000);
    expect(usdFromJsonNumber(0.1 + 0.2)).toBe(300_000_000); // 0.30000000000000004 rounds at the 9th decimal
    expect(usdFromJsonNumber(1e-7)).toBe(100);
    expect(usdFromJsonNumber(112.58)).toBe(112_580_000_000);
  });

  it('formats with at least two decimals and no more than needed', () => {
    expect(formatUsd(1_060_000_000)).toBe('1.06');
    expect(formatUsd(75_000)).toBe('0.000075');
    expect(formatUsd(0)).toBe('0.00');
    expect(formatUsd(-500_000_000)).toBe('-0.50');
    expect(formatUsd(1)).toBe('0.000000001');
  });

  it('rounds to cents for sentences people read, but never hides a tiny amount', () => {
    expect(formatUsdForPeople(1_812_279_070)).toBe('$1.81');
    expect(formatUsdForPeople(2_945_550_000)).toBe('$2.95'); // 294.555 cents, above the half: up
    expect(formatUsdForPeople(25_000_000)).toBe('$0.02'); // 2.5 cents → 2 (half to even)
    expect(formatUsdForPeople(75_000)).toBe('$0.000075');
    expect(formatUsdForPeople(0)).toBe('$0.00');
    expect(formatUsdForPeople(-1_500_000_000)).toBe('-$1.50');
  });

  it('round-trips every amount through its text', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parseUsd(formatUsd(n), { allowNegative: true })).toBe(n);
      }),
    );
  });
});

describe('arithmetic', () => {
  it('refuses sums beyond the exact range instead of rounding', () => {
    expect(() => addNano(Number.MAX_SAFE_INTEGER, 1)).toThrow(MoneyError);
    expect(sumNano([1, 2, 3])).toBe(6);
  });

  it('rounds half to even', () => {
    expect(divRoundHalfEven(5n, 2n)).toBe(2n);
    expect(divRoundHalfEven(7n, 2n)).toBe(4n);
    expect(divRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(mulDiv(10, 1, 4)).toBe(2); // 2.5 → 2
  });

  it('computes token costs exactly against a BigInt reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 200_000_000_000 }), (tokens, price) => {
        const exact = BigInt(tokens) * BigInt(price);
        const cost = BigInt(costOfTokens(tokens, price));
        // |cost * 1e6 - exact| <= 0.5e6: the only rounding is the final one
        const diff = cost * 1_000_000n - exact;
        expect(diff <= 500_000n && diff >= -500_000n).toBe(true);
      }),
    );
    expect(costOfTokens(1_000_000, 37_500_000)).toBe(37_500_000); // $0.0375 per MTok
    expect(costOfTokens(123_456, 150_000_000)).toBe(18_518_400); // gpt-4o-mini input
  });

  it('splits amounts so the parts add up exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          for (const p of parts) expect(Number.isSafeInteger(p)).toBe(true);
          if (total >= 0) for (const p of parts) expect(p).toBeGreaterThanOrEqual(0);
        },
      ),
    );
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });

  it('takes percentages in basis points', () => {
    expect(percentOfBp(2_000_000_000, 2000)).toBe(400_000_000); // 20 % of $2.00 = $0.40
    expect(ratioBp(1_200_000_000, 1_600_000_000)).toBe(7500);
    expect(ratioBp(1, 0)).toBeNull();
  });
});

describe('totals (BigInt): exact past 2^53, up to the ledger ceiling', () => {
  const int64 = fc.bigInt({ min: -LEDGER_CEILING_NANO, max: LEDGER_CEILING_NANO });

  it('round-trips every total through its text', () => {
    fc.assert(
      fc.property(int64, (n) => {
        expect(parseUsdTotal(formatUsd(n), { allowNegative: true })).toBe(n);
      }),
    );
    expect(formatUsd(LEDGER_CEILING_NANO)).toBe('9223372036.854775807');
    expect(formatUsd(2n ** 53n + 1n)).toBe('9007199.254740993');
    expect(formatUsdForPeople(2n ** 53n + 1n)).toBe('$9,007,199.25');
  });

  it('adds amounts past 2^53 exactly, where addNano refuses', () => {
    const max = Number.MAX_SAFE_INTEGER;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: max - 1000, max }), { minLength: 2, maxLength: 50 }), (amounts) => {
        const reference = amounts.reduce((sum, a) => sum + BigInt(a), 0n);
        expect(sumTotal(amounts)).toBe(reference);
        expect(amounts.reduce<bigint>((sum, a) => addTotal(sum, a), 0n)).toBe(reference);
        expect(() => sumNano(amounts)).toThrow(MoneyError);
      }),
    );
  });

  it('refuses a number that is not an exact amount as a total', () => {
    expect(() => toTotal(2 ** 53 + 2)).toThrow(MoneyError);
    expect(() => toTotal(0.5)).toThrow(MoneyError);
  });

  it('splits a total past 2^53 into parts that add up exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: LEDGER_CEILING_NANO }), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 31 }), (total, weights) => {
        expect(allocateTotal(total, weights).reduce((a, b) => a + b, 0n)).toBe(total);
      }),
    );
  });
});
