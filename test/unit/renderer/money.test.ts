import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareUsd, formatMoney, fromNano, percentOf, subUsd, sumUsd, toNano } from '../../../renderer/src/format/money';
import { formatUsd, sumNano } from '../../../src/money';

describe('formatMoney: USD with cents (half to even), the exact figure below a cent', () => {
  it.each([
    ['1.06', '$1.06'],
    ['1.5', '$1.50'],
    ['12', '$12.00'],
    ['0', '$0.00'],
    ['0.00', '$0.00'],
    ['1234567.891', '$1,234,567.89'],
    ['0.005', '$0.005'],
    ['0.000075', '$0.000075'],
    ['0.0000754', '$0.0000754'],
    ['0.0012345', '$0.0012345'],
    ['0.000000001', '$0.000000001'],
    ['0.0099999', '$0.0099999'],
    ['0.01', '$0.01'],
    ['0.025', '$0.02'],
    ['0.014', '$0.01'],
    ['0.015', '$0.02'],
    ['2.945', '$2.94'],
    ['2.955', '$2.96'],
    ['2.9450001', '$2.95'],
    ['-0.4', '-$0.40'],
    ['-0.000075', '-$0.000075'],
  ])('%s → %s', (input, shown) => {
    expect(formatMoney(input)).toBe(shown);
  });

  it('shows a dash for a missing amount and leaves text that is not an amount alone', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney(undefined)).toBe('—');
    expect(formatMoney('n/a')).toBe('n/a');
  });

  it('shows every digit when asked for the exact figure, thousands still grouped', () => {
    expect(formatMoney('6.005', { exact: true })).toBe('$6.005');
    expect(formatMoney('6.005')).toBe('$6.00'); // half to even
    expect(formatMoney('1234.567891', { exact: true })).toBe('$1,234.567891');
    expect(formatMoney('120', { exact: true })).toBe('$120.00');
  });

  it('signs differences when asked', () => {
    expect(formatMoney('0.36', { signed: true })).toBe('+$0.36');
    expect(formatMoney('-0.36', { signed: true })).toBe('-$0.36');
    expect(formatMoney('0', { signed: true })).toBe('$0.00');
  });

  it('never shows a positive amount as $0.00, and shows cents from a cent up', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), (nano) => {
        const text = formatMoney(fromNano(nano));
        expect(text).not.toBe('$0.00');
        if (nano >= 10_000_000n) expect(text).toMatch(/^\$[\d,]+\.\d\d$/);
      }),
    );
  });
});

describe('exact arithmetic on decimal strings', () => {
  it('round-trips every nano amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (nano) => {
        expect(toNano(fromNano(nano))).toBe(nano);
      }),
    );
  });

  it('sums like the core does (src/money.ts), where floats would drift', () => {
    expect(sumUsd(['0.1', '0.2'])).toBe('0.30');
    expect(0.1 + 0.2).not.toBe(0.3);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 ** 12 }), { maxLength: 40 }), (nanos) => {
        const strings = nanos.map((n) => formatUsd(n));
        expect(toNano(sumUsd(strings))).toBe(BigInt(sumNano(nanos)));
      }),
    );
  });

  it('subtracts and compares exactly', () => {
    expect(subUsd('1.42', '0.36')).toBe('1.06');
    expect(subUsd('0.36', '1.42')).toBe('-1.06');
    expect(compareUsd('0.000075', '0.00007')).toBe(1);
    expect(compareUsd('1.50', '1.5')).toBe(0);
  });

  it('rejects text that is not an amount', () => {
    expect(() => toNano('abc')).toThrow(RangeError);
    expect(() => toNano('')).toThrow(RangeError);
  });

  it('gives the share of a budget in percent, or null without a budget', () => {
    expect(percentOf('1.20', '1.60')).toBe(75);
    expect(percentOf('0.03', '2.00')).toBe(1.5);
    expect(percentOf('1', null)).toBeNull();
    expect(percentOf('1', '0')).toBeNull();
  });
});
