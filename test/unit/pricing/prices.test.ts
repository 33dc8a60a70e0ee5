import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { openMemoryLedger } from '../../../src/ledger/db';
import { BUNDLED } from '../../../src/pricing/bundled';
import { createPriceCatalogue } from '../../../src/pricing/catalogue';
import { isDeepSeekPeak } from '../../../src/pricing/peak';
import { fixedClock } from '../../../src/time';

const catalogue = createPriceCatalogue(openMemoryLedger());
const price = (provider: string, model: string, at: string, promptTokens = 0) => catalogue.priceFor(provider, model, new Date(at), promptTokens);

describe('DeepSeek peak and off-peak hours', () => {
  // 2026-11-16 is a Monday, 2026-11-20 a Friday, 2026-11-21 a Saturday.
  it.each([
    ['2026-11-16T00:59:59Z', false],
    ['2026-11-16T01:00:00Z', true],
    ['2026-11-16T03:59:59Z', true],
    ['2026-11-16T04:00:00Z', false],
    ['2026-11-16T05:59:59Z', false],
    ['2026-11-16T06:00:00Z', true],
    ['2026-11-16T09:59:59Z', true],
    ['2026-11-16T10:00:00Z', false],
    ['2026-11-20T09:30:00Z', true],
    ['2026-11-21T02:00:00Z', false],
    ['2026-11-22T07:00:00Z', false],
    ['2026-11-17T02:30:00+09:00', false], // 17:30 UTC on Monday the 16th: the instant counts, not the zone
  ])('%s is peak: %s', (at, peak) => {
    expect(isDeepSeekPeak(new Date(at))).toBe(peak);
    const p = price('deepseek', 'deepseek-flash', at)!;
    expect(p.input).toBe(peak ? 300_000_000 : 150_000_000);
    expect(p.output).toBe(peak ? 1_200_000_000 : 600_000_000);
    expect(p.cachedInput).toBe(peak ? 6_000_000 : 3_000_000);
  });

  it('agrees with a reference computed from epoch arithmetic for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }), (ms) => {
        const dayOfWeek = (Math.floor(ms / 86_400_000) + 4) % 7; // 1970-01-01 was a Thursday (4)
        const hour = Math.floor(ms / 3_600_000) % 24;
        const expected = dayOfWeek >= 1 && dayOfWeek <= 5 && ((hour >= 1 && hour < 4) || (hour >= 6 && hour < 10));
        expect(isDeepSeekPeak(new Date(ms))).toBe(expected);
        const pro = catalogue.priceFor('deepseek', 'deepseek-v4-pro', new Date(ms), 0)!;
        expect(pro.input).toBe(expected ? 1_320_000_000 : 660_000_000);
      }),
    );
  });

  it('prices legacy names as Flash at the same instant', () => {
    for (const at of ['2026-11-16T02:00:00Z', '2026-11-16T12:00:00Z']) {
      expect(price('deepseek', 'deepseek-chat', at)).toEqual(price('deepseek', 'deepseek-flash', at));
      expect(price('deepseek', 'deepseek-v4-flash', at)).toEqual(price('deepseek', 'deepseek-flash', at));
    }
  });
});

describe('long-context tiers', () => {
  it.each([
    ['anthropic', 'claude-sonnet-4-5', 200_000, 3e9, 15e9],
    ['anthropic', 'claude-sonnet-4-5', 200_001, 6e9, 22.5e9],
    ['anthropic', 'claude-sonnet-4-5-20250929', 250_000, 6e9, 22.5e9],
    ['openai', 'gpt-5.4', 272_000, 2.5e9, 15e9],
    ['openai', 'gpt-5.4-2026-03-05', 272_001, 5e9, 22.5e9],
    ['gemini', 'gemini-2.5-pro', 199_999, 1.25e9, 10e9],
    ['gemini', 'gemini-2.5-pro', 1_000_000, 2.5e9, 15e9],
    ['xai', 'grok-4-1-fast-reasoning', 128_001, 0.4e9, 1e9],
    ['anthropic', 'claude-haiku-5-5', 100_001, 0.5e9, 2.5e9],
    ['openai', 'gpt-4o', 5_000_000, 2.5e9, 10e9],
  ])('%s %s with a %d-token prompt', (provider, model, promptTokens, input, output) => {
    const p = price(provider, model, '2026-11-16T12:00:00Z', promptTokens)!;
    expect([p.input, p.output]).toEqual([input, output]);
  });

  it('keeps the cache prices of the base when a tier names none', () => {
    const p = price('anthropic', 'claude-sonnet-4-5', '2026-11-16T12:00:00Z', 300_000)!;
    expect([p.cachedInput, p.cacheWrite]).toEqual([300_000_000, 3_750_000_000]);
  });
});

describe('prices that changed over time', () => {
  it("prices Sonnet 5.5's cache reads at $0.20 before 2026-10-07 and $0.10 from then", () => {
    expect(price('anthropic', 'claude-sonnet-5-5', '2026-10-06T23:59:59Z')!.cachedInput).toBe(200_000_000);
    expect(price('anthropic', 'claude-sonnet-5-5', '2026-10-07T00:00:00Z')!.cachedInput).toBe(100_000_000);
    expect(price('anthropic', 'claude-sonnet-5-5', '2026-10-06T12:00:00Z')!.input).toBe(2_000_000_000);
  });
});

// ---- exactness: cost = tokens × price, against a BigInt reference from the decimal text ------------

/** Nano-USD of `tokens` at `usdPerMillion` (decimal text), rounded half to even, all in BigInt. */
function referenceCost(tokens: number, usdPerMillion: string): bigint {
  const [whole, frac = ''] = usdPerMillion.split('.');
  const scaled = BigInt(whole! + frac); // = price × 10^frac.length
  const num = BigInt(tokens) * scaled * 10n ** 9n;
  const den = 10n ** BigInt(frac.length) * 1_000_000n;
  const q = num / den;
  const r = num % den;
  return 2n * r > den || (2n * r === den && q % 2n === 1n) ? q + 1n : q;
}

const decimalPrice = fc
  .tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 9 }), fc.nat())
  .map(([whole, digits, raw]) => (digits === 0 ? String(whole) : `${whole}.${String(raw % 10 ** digits).padStart(digits, '0')}`));
const tokens = fc.integer({ min: 0, max: 2_000_000_000 });

describe('cost = tokens × price, exactly', () => {
  it('holds for bundled prices through the real write path', () => {
    const core = openCore({ memory: true, clock: fixedClock('2026-11-16T12:00:00Z'), timeZone: 'UTC' });
    const flat = BUNDLED.filter((e) => !e.offPeak && !e.tiers && !e.earlier);
    let n = 0;
    fc.assert(
      fc.property(fc.constantFrom(...flat), tokens, tokens, tokens, tokens, (entry, input, output, cached, writes) => {
        const id = `p${n++}`;
        core.usage.write([
          {
            source: 'proxy',
            provider: entry.provider,
            model: entry.model,
            externalId: id,
            inputTokens: input,
            outputTokens: output,
            cachedInputTokens: cached,
            cacheWriteTokens: writes,
            occurredAt: new Date('2026-11-16T12:00:00Z'),
          },
        ]);
        const row = core.db.prepare('SELECT cost_total_nano, cost_origin FROM usage_events WHERE external_id = ?').get(id) as {
          cost_total_nano: number;
          cost_origin: string;
        };
        const expected =
          referenceCost(input, entry.input) +
          referenceCost(output, entry.output) +
          referenceCost(cached, entry.cachedInput ?? entry.input) +
          referenceCost(writes, entry.cacheWrite ?? entry.input);
        expect(row.cost_origin).toBe('catalogue');
        expect(BigInt(row.cost_total_nano)).toBe(expected);
      }),
      { numRuns: 150 },
    );
    core.close();
  });

  it('holds for any decimal price a user sets (up to 9 decimals, e.g. 0.003625)', async () => {
    const { dispatch } = await import('../../../src/api/dispatch');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(decimalPrice, decimalPrice, decimalPrice, tokens, tokens, tokens, async (pin, pout, pcached, input, output, cached) => {
        // A ledger per case: a hundred random large costs together would pass the ledger's ceiling,
        // which refuses the write (test/unit/ledger/ceiling.test.ts); this property is about one cost.
        const core = openCore({ memory: true, clock: fixedClock('2026-11-16T12:00:00Z'), timeZone: 'UTC' });
        try {
          const model = `house-${n++}`;
          await dispatch(core, 'priceSet', { model, provider: 'acme', input: pin, output: pout, cachedInput: pcached });
          const r = await dispatch(core, 'record', { provider: 'acme', model, inputTokens: input, outputTokens: output, cachedInputTokens: cached });
          const expected = referenceCost(input, pin) + referenceCost(output, pout) + referenceCost(cached, pcached);
          const row = core.db.prepare('SELECT cost_total_nano FROM usage_events WHERE external_id = ?').get(r.id) as { cost_total_nano: number };
          expect(BigInt(row.cost_total_nano)).toBe(expected);
        } finally {
          core.close();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('prices one token at $0.003625/MTok as 3.625 nano-USD, rounded half to even once', () => {
    expect(referenceCost(1, '0.003625')).toBe(4n);
    expect(referenceCost(2, '0.003625')).toBe(7n); // 7.25
    expect(referenceCost(1_000_000, '0.003625')).toBe(3_625_000n);
  });
});
