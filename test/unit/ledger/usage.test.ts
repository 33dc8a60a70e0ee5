import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BilledWriter,
  countedTotal,
  openMemoryLedger,
  providerDays,
  rebuildRollups,
  UsageWriter,
  type PriceLookup,
  type UsageEventInput,
} from '../../../src/ledger';

// A tiny fixed price table standing in for the catalogue (an injected interface, not our code).
const prices: PriceLookup = {
  priceFor: (_provider, model) =>
    model === 'gpt-4o-mini' ? { input: 150_000_000, output: 600_000_000, cachedInput: 75_000_000, cacheWrite: null } : null,
};

function setup(tz = 'UTC') {
  const db = openMemoryLedger();
  const clock = () => new Date('2026-11-21T12:00:00Z');
  return { db, usage: new UsageWriter(db, prices, tz, clock), billed: new BilledWriter(db, tz, clock) };
}

function rollupSnapshot(db: ReturnType<typeof openMemoryLedger>) {
  return db.prepare('SELECT * FROM daily_rollups ORDER BY local_day, provider, model, source').all();
}

const event = (over: Partial<UsageEventInput> = {}): UsageEventInput => ({
  source: 'manual',
  provider: 'openai',
  model: 'gpt-4o-mini',
  externalId: 'e1',
  inputTokens: 1_000_000,
  outputTokens: 100_000,
  cachedInputTokens: 500_000,
  occurredAt: new Date('2026-11-21T09:00:00Z'),
  ...over,
});

describe('the usage write path', () => {
  it('prices tokens exactly from the catalogue', () => {
    const { db, usage } = setup();
    usage.write([event()]);
    const row = db.prepare('SELECT cost_input_nano, cost_output_nano, cost_total_nano, cost_origin FROM usage_events').get();
    // 1M fresh × $0.15 + 0.5M cached × $0.075 = $0.1875 ; 0.1M out × $0.60 = $0.06
    expect(row).toEqual({ cost_input_nano: 187_500_000, cost_output_nano: 60_000_000, cost_total_nano: 247_500_000, cost_origin: 'catalogue' });
  });

  it('prices 1-hour cache writes apart from 5-minute ones', () => {
    const db = openMemoryLedger();
    const anthropic: PriceLookup = { priceFor: () => ({ input: 3_000_000_000, output: 15_000_000_000, cachedInput: 300_000_000, cacheWrite: 3_750_000_000, cacheWrite1h: 6_000_000_000 }) };
    const writer = new UsageWriter(db, anthropic, 'UTC');
    writer.write([event({ provider: 'anthropic', model: 'claude-sonnet-4-5', inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 1_500_000, cacheWrite1hTokens: 500_000 })]);
    // 1.0M × $3.75 + 0.5M × $6.00 = $6.75
    expect(db.prepare('SELECT cost_total_nano, cache_write_tokens FROM usage_events').get()).toEqual({ cost_total_nano: 6_750_000_000, cache_write_tokens: 1_500_000 });
  });

  it('counts the same external id once, and an identical rewrite changes nothing', () => {
    const { db, usage } = setup();
    expect(usage.write([event()]).inserted).toBe(1);
    const before = rollupSnapshot(db);
    const again = usage.write([event()]);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect(rollupSnapshot(db)).toEqual(before);
    expect(db.prepare('SELECT COUNT(*) AS n FROM usage_events').get()).toEqual({ n: 1 });
  });

  it('replaces a revised row and its contribution to the rollups', () => {
    const { db, usage } = setup();
    usage.write([event({ costNano: 1_000_000_000 })]);
    const r = usage.write([event({ costNano: 3_000_000_000, occurredAt: new Date('2026-11-20T09:00:00Z') })]);
    expect(r.updated).toBe(1);
    expect(countedTotal(db, '2026-11-21', '2026-11-21')).toBe(0n);
    expect(countedTotal(db, '2026-11-20', '2026-11-20')).toBe(3_000_000_000n);
  });

  it('marks a model with no price unpriced, never $0', () => {
    const { db, usage } = setup();
    const r = usage.write([event({ model: 'mystery-1' })]);
    expect(r.unpriced).toBe(1);
    expect(db.prepare('SELECT cost_total_nano, cost_origin FROM usage_events').get()).toEqual({ cost_total_nano: null, cost_origin: 'unpriced' });
    expect(providerDays(db, '2026-11-21', '2026-11-21')[0]).toMatchObject({ unpricedEvents: 1, countedNano: 0n });
  });

  it('files events on the local day of the zone', () => {
    const { db, usage } = setup('Asia/Kolkata');
    usage.write([event({ occurredAt: new Date('2026-11-21T18:45:00Z'), costNano: 5 })]);
    expect(db.prepare('SELECT local_day FROM usage_events').get()).toEqual({ local_day: '2026-11-22' });
  });

  it('files a billed UTC day on the same calendar date in zones east and west of UTC', () => {
    for (const tz of ['America/New_York', 'Asia/Kolkata', 'Pacific/Honolulu', 'Asia/Tokyo']) {
      const { db, billed } = setup(tz);
      billed.write([{ provider: 'openai', externalId: 'd', bucketStart: new Date('2026-03-09T00:00:00Z'), bucketEnd: new Date('2026-03-10T00:00:00Z'), amountNano: 1 }]);
      expect(db.prepare('SELECT local_day FROM billed_costs').get(), tz).toEqual({ local_day: '2026-03-09' });
    }
  });

  it('keeps the rollups equal to a rebuild from the rows, whatever the sequence of writes', () => {
    const arbEvent = fc.record({
      id: fc.integer({ min: 0, max: 15 }),
      provider: fc.constantFrom('openai', 'groq'),
      model: fc.constantFrom('gpt-4o-mini', 'unknown-x'),
      source: fc.constantFrom('manual', 'billing_api', 'odometer') as fc.Arbitrary<UsageEventInput['source']>,
      hour: fc.integer({ min: 0, max: 24 * 5 }),
      cost: fc.option(fc.integer({ min: 0, max: 5_000_000_000 }), { nil: undefined }),
      tokens: fc.integer({ min: 0, max: 2_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(arbEvent, { maxLength: 8 }), { maxLength: 6 }), (batches) => {
        const { db, usage, billed } = setup('Europe/Berlin');
        for (const batch of batches) {
          // Billed UTC-day buckets for some of the same keys, revised across batches.
          const buckets = new Map(batch.filter((e) => e.id % 3 === 0).map((e) => [`${e.provider}|${e.hour % 5}`, e]));
          billed.write(
            [...buckets.values()].map((e) => ({
              provider: e.provider,
              externalId: `${e.hour % 5}|${e.model}`,
              bucketStart: new Date(Date.UTC(2026, 9, 23 + (e.hour % 5))),
              bucketEnd: new Date(Date.UTC(2026, 9, 24 + (e.hour % 5))),
              model: e.model,
              amountNano: e.cost ?? e.tokens,
            })),
          );
          // Within one batch, one write per key (a batch models one provider page).
          const unique = new Map(batch.map((e) => [`${e.source}|${e.provider}|${e.id}`, e]));
          usage.write(
            [...unique.values()].map((e) => ({
              source: e.source,
              provider: e.provider,
              model: e.model,
              externalId: `k${e.id}`,
              inputTokens: e.tokens,
              outputTokens: e.tokens,
              occurredAt: new Date(Date.UTC(2026, 9, 23) + e.hour * 3_600_000),
              ...(e.cost !== undefined ? { costNano: e.cost } : {}),
            })),
          );
        }
        const incremental = rollupSnapshot(db);
        rebuildRollups(db, 'Europe/Berlin');
        expect(incremental).toEqual(rollupSnapshot(db));
      }),
      { numRuns: 60 },
    );
  });
});

describe('billed costs and the rule for totals', () => {
  it('counts billed figures over estimates for the same provider and day, and keeps estimates apart', () => {
    const { db, usage, billed } = setup();
    usage.write([event({ costNano: 2_000_000_000 })]); // estimate for openai on 11-21
    usage.write([event({ provider: 'groq', model: 'x', externalId: 'g', costNano: 500_000_000 })]);
    billed.write([
      {
        provider: 'openai',
        externalId: '2026-11-21|gpt-4o-mini, input|',
        bucketStart: new Date('2026-11-21T00:00:00Z'),
        bucketEnd: new Date('2026-11-22T00:00:00Z'),
        amountNano: 1_870_000_000,
      },
    ]);
    const days = providerDays(db, '2026-11-21', '2026-11-21');
    const openai = days.find((d) => d.provider === 'openai')!;
    expect(openai.countedNano).toBe(1_870_000_000n);
    expect(openai.countedTier).toBe('billed');
    expect(openai.byTier.estimates).toBe(2_000_000_000n);
    expect(countedTotal(db, '2026-11-21', '2026-11-21')).toBe(2_370_000_000n);
  });

  it('upserts billed buckets: a re-sync of the same figures changes nothing, a revision replaces', () => {
    const { db, billed } = setup();
    const row = {
      provider: 'anthropic',
      externalId: 'd1',
      bucketStart: new Date('2026-11-20T00:00:00Z'),
      bucketEnd: new Date('2026-11-21T00:00:00Z'),
      amountNano: 12_875_040_000,
    };
    expect(billed.write([row]).inserted).toBe(1);
    expect(billed.write([row])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect(billed.write([{ ...row, amountNano: 13_000_000_000 }]).updated).toBe(1);
    expect(countedTotal(db, '2026-11-20', '2026-11-20')).toBe(13_000_000_000n);
    expect(db.prepare('SELECT COUNT(*) AS n FROM billed_costs').get()).toEqual({ n: 1 });
  });
});
