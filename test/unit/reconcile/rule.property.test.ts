import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import type { BilledCostInput } from '../../../src/ledger/billed';
import { countedTotal, providerDays } from '../../../src/ledger/spend';
import type { UsageEventInput } from '../../../src/ledger/usage';
import { reconcile } from '../../../src/reconcile/run';
import { fixedClock, startOfLocalDay } from '../../../src/time';

/**
 * THE RULE FOR TOTALS, checked against an oracle written from its statement (not from the code):
 * per (day, provider) the strongest tier present counts — billed > readings > reported > estimates —
 * and subscriptions always count. 'api_usage' is a usage API's token counts priced by us: the
 * 'reported' tier, above our own estimates (manual, proxy, agent_log), whose requests it also saw.
 *
 * The user's zone varies: usage rows happen at a local hour of the entry's local day, billed rows
 * are the provider's UTC-day bucket of that date, which the rule files on the same date (its
 * midpoint's local day) for every zone here, east or west of UTC.
 */
const KINDS = ['billed', 'api_usage', 'odometer', 'balance', 'manual', 'proxy', 'agent_log', 'subscription'] as const;
type Kind = (typeof KINDS)[number];
const TIER: Record<Kind, 'billed' | 'readings' | 'reported' | 'estimates' | 'subscription'> = {
  billed: 'billed',
  api_usage: 'reported',
  odometer: 'readings',
  balance: 'readings',
  manual: 'estimates',
  proxy: 'estimates',
  agent_log: 'estimates',
  subscription: 'subscription',
};
const RANKED = ['billed', 'readings', 'reported', 'estimates'] as const;
const ZONES = ['UTC', 'America/New_York', 'Pacific/Honolulu', 'Asia/Kolkata', 'Asia/Tokyo'];
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'];
const PROVIDERS = ['openai', 'anthropic', 'groq'];

const entry = fc.record({
  day: fc.constantFrom(...DAYS),
  provider: fc.constantFrom(...PROVIDERS),
  kind: fc.constantFrom(...KINDS),
  // Strictly positive, so "the strongest tier" and "two tiers added" can never coincide.
  nano: fc.integer({ min: 1, max: 50_000_000_000 }),
  hour: fc.integer({ min: 0, max: 23 }),
});

function write(entries: readonly { day: string; provider: string; kind: Kind; nano: number; hour: number }[], timeZone: string) {
  const core = openCore({ memory: true, clock: fixedClock('2026-03-10T12:00:00Z'), timeZone });
  const billed: BilledCostInput[] = [];
  const usage: UsageEventInput[] = [];
  entries.forEach((e, i) => {
    // No zone here changes its offset during 03-01..03-04, so local midnight + hour stays in the day.
    const at = new Date(startOfLocalDay(e.day, timeZone).getTime() + e.hour * 3600_000);
    if (e.kind === 'billed') {
      const start = new Date(`${e.day}T00:00:00Z`);
      billed.push({ provider: e.provider, externalId: `b${i}`, bucketStart: start, bucketEnd: new Date(start.getTime() + 86_400_000), model: `m${i}`, amountNano: e.nano });
    } else {
      usage.push({ source: e.kind === 'api_usage' ? 'billing_api' : e.kind, provider: e.provider, externalId: `u${i}`, model: 'm', costNano: e.nano, occurredAt: at });
    }
  });
  core.usage.write(usage);
  core.billed.write(billed);
  return core;
}

function oracle(entries: readonly { day: string; provider: string; kind: Kind; nano: number }[]) {
  const cells = new Map<string, Record<string, number>>();
  for (const e of entries) {
    const key = `${e.day}|${e.provider}`;
    const cell = cells.get(key) ?? {};
    const tier = TIER[e.kind];
    cell[tier] = (cell[tier] ?? 0) + e.nano;
    cells.set(key, cell);
  }
  const result = new Map<string, { counted: number; strongest: string | null; tiers: Record<string, number> }>();
  for (const [key, tiers] of cells) {
    const strongest = RANKED.find((t) => tiers[t] !== undefined) ?? null;
    const counted = (strongest ? tiers[strongest]! : 0) + (tiers.subscription ?? 0);
    result.set(key, { counted, strongest, tiers });
  }
  return result;
}

describe('the rule for totals (property)', () => {
  it('counts exactly the strongest tier per (day, provider) plus subscriptions, never two ranked tiers', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 30, size: 'max' }), fc.constantFrom(...ZONES), (entries, zone) => {
        const core = write(entries, zone);
        try {
          const expected = oracle(entries);
          let total = 0;
          for (const v of expected.values()) total += v.counted;
          expect(countedTotal(core.db, DAYS[0]!, DAYS.at(-1)!)).toBe(BigInt(total));
          for (const d of providerDays(core.db, DAYS[0]!, DAYS.at(-1)!)) {
            const want = expected.get(`${d.localDay}|${d.provider}`)!;
            expect(d.countedNano).toBe(BigInt(want.counted));
            // Never the strongest tier plus any weaker ranked tier.
            for (const weaker of RANKED.filter((t) => t !== want.strongest && want.tiers[t] !== undefined)) {
              expect(d.countedNano).not.toBe(BigInt(want.counted + want.tiers[weaker]!));
            }
          }
        } finally {
          core.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reconciles every billed cell against the estimate that would have counted, and re-running changes nothing', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 30, size: 'max' }), fc.constantFrom(...ZONES), (entries, zone) => {
        const core = write(entries, zone);
        try {
          const expected = oracle(entries);
          const range = { from: DAYS[0]!, to: DAYS.at(-1)! };
          const first = reconcile(core, range);
          const billedCells = [...expected.entries()].filter(([, v]) => v.tiers.billed !== undefined);
          expect(first.days).toHaveLength(billedCells.length);
          for (const d of first.days) {
            const { tiers } = expected.get(`${d.localDay}|${d.provider}`)!;
            // The estimate that would have counted without the bill: the strongest tier below it, alone.
            const tier = (['readings', 'reported', 'estimates'] as const).find((t) => tiers[t] !== undefined) ?? null;
            const estimate = tier === null ? null : tiers[tier]!;
            expect(d.billedNano).toBe(BigInt(tiers.billed!));
            expect(d.estimateTier).toBe(tier);
            expect(d.estimatedNano).toBe(estimate === null ? null : BigInt(estimate));
            expect(d.driftNano).toBe(estimate === null ? null : BigInt(estimate - tiers.billed!));
          }
          const again = reconcile(core, range);
          expect(again.changed).toBe(false);
          expect(again.run.id).toBe(first.run.id);
          expect(core.db.prepare('SELECT COUNT(*) AS n FROM reconciliation_runs').get()).toEqual({ n: 1 });
        } finally {
          core.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
