import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { setSetting } from '../../../src/ledger/settings';
import { countedTotal, providerDays } from '../../../src/ledger/spend';
import { parseUsd } from '../../../src/money';
import { accuracy, driftAttention } from '../../../src/reconcile/accuracy';
import { reconcile, reconcileIfDue } from '../../../src/reconcile/run';
import { fixedClock, type Clock } from '../../../src/time';
import { BILLED, NOW, anthropicBilled, replay } from './replay';

const usd = (s: string) => parseUsd(s);
let core: Core;

function open(clock: Clock = fixedClock(NOW)): Core {
  core = openCore({ memory: true, clock, timeZone: 'UTC' });
  return core;
}

afterEach(() => core?.close());

/** Everything reconciliation stores, for "changes nothing" comparisons (checked_at apart). */
function stored(c: Core) {
  return {
    runs: c.db.prepare('SELECT id, ran_at, from_day, to_day, timezone, fingerprint, days FROM reconciliation_runs ORDER BY id').all(),
    days: c.db.prepare('SELECT * FROM reconciliation_days ORDER BY run_id, provider, local_day').all(),
  };
}

describe('totals on replayed data (the rule for totals)', () => {
  it('equal the billed figures exactly where billed data exists, and the estimates elsewhere', () => {
    open();
    replay(core, { billed: false });
    // Before the bill, per provider and day the strongest tier present counts
    // (billed > readings > reported > estimates):
    //   anthropic 03-06: api_usage 12.10 + 0.11 = 12.21 (reported) beats the manual 0.40 → 12.21, not 12.61
    //   anthropic 03-07: api_usage 21.00; anthropic 03-09: manual 3.00        → anthropic 36.21
    //   openai 03-07: odometer 5.00 (readings) beats proxy 6.00; 03-08: proxy 2.85 → openai 7.85
    //   groq 1.10; the subscription 20.00 always counts
    //   36.21 + 7.85 + 1.10 + 20.00 = 65.16
    expect(countedTotal(core.db, '2026-03-01', '2026-03-10')).toBe(BigInt(usd('65.16')));
    // No double count: the usage API saw the request the manual record noted, so only api_usage counts.
    const before6 = providerDays(core.db, '2026-03-06', '2026-03-06', 'anthropic')[0]!;
    expect(before6).toMatchObject({ countedTier: 'reported', countedNano: BigInt(usd('12.21')), byTier: { reported: BigInt(usd('12.21')), estimates: BigInt(usd('0.40')) } });
    const b = core.billed.write(BILLED);
    core.spendChanged('test-billed', b.touched);

    // Billed days count exactly what was billed, to the nano:
    expect(countedTotal(core.db, '2026-03-06', '2026-03-06', 'anthropic')).toBe(BigInt(13_000_040_000)); // 1287.504¢ + 12.5¢
    expect(countedTotal(core.db, '2026-03-07', '2026-03-07', 'anthropic')).toBe(BigInt(usd('20')));
    expect(countedTotal(core.db, '2026-03-08', '2026-03-08', 'anthropic')).toBe(BigInt(8_502_500_000)); // 850.25¢
    expect(countedTotal(core.db, '2026-03-07', '2026-03-07', 'openai')).toBe(BigInt(5_794_567_800)); // 4.56 + 1.2345678
    expect(countedTotal(core.db, '2026-03-08', '2026-03-08', 'openai')).toBe(BigInt(usd('3')));
    // Days without billed data use their estimates:
    expect(countedTotal(core.db, '2026-03-09', '2026-03-09', 'anthropic')).toBe(BigInt(usd('3.00')));
    expect(countedTotal(core.db, '2026-03-08', '2026-03-08', 'groq')).toBe(BigInt(usd('1.10')));
    // Month: 44.50254 + 8.7945678 + 1.10 + 20 = 74.3971078
    expect(countedTotal(core.db, '2026-03-01', '2026-03-10')).toBe(BigInt(74_397_107_800));
    // The lower tiers are kept, shown apart, each on its own:
    const a6 = providerDays(core.db, '2026-03-06', '2026-03-06', 'anthropic')[0]!;
    expect(a6.countedTier).toBe('billed');
    expect(a6.byTier).toEqual({ billed: BigInt(13_000_040_000), reported: BigInt(usd('12.21')), estimates: BigInt(usd('0.40')) });
  });
});

describe('reconcile', () => {
  it('stores billed vs estimated per provider and day, with drift that matches a hand calculation', () => {
    open();
    replay(core);
    const out = reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    expect(out.changed).toBe(true);
    expect(out.run).toMatchObject({ id: 1, from: '2026-02-08', to: '2026-03-09', timezone: 'UTC', ranAt: '2026-03-10T12:00:00.000Z' });
    const byKey = new Map(out.days.map((d) => [`${d.provider} ${d.localDay}`, d]));
    expect([...byKey.keys()]).toEqual([
      'anthropic 2026-03-06',
      'anthropic 2026-03-07',
      'anthropic 2026-03-08',
      'openai 2026-03-07',
      'openai 2026-03-08',
    ]);
    // anthropic 03-06: billed 13.00004. The strongest tier below the bill is reported (api_usage
    // 12.10 + 0.11 = 12.21); the manual 0.40 is a weaker tier, kept apart, not added (12.61 would
    // count the day twice). Drift 12.21 - 13.00004 = -0.79004; -0.79004 / 13.00004 = -607.72 bp → -608.
    expect(byKey.get('anthropic 2026-03-06')).toEqual({
      provider: 'anthropic',
      localDay: '2026-03-06',
      billedNano: BigInt(13_000_040_000),
      estimatedNano: BigInt(12_210_000_000),
      estimateTier: 'reported',
      driftNano: BigInt(-790_040_000),
      driftBp: -608,
      coverageBp: 10_000,
      unpricedEvents: 0,
      bySource: { api_usage: 12_210_000_000n, manual: 400_000_000n },
    });
    // anthropic 03-07: api_usage (reported) 21.00 vs 20.00 → +1.00, +500 bp.
    expect(byKey.get('anthropic 2026-03-07')).toMatchObject({ estimateTier: 'reported', driftNano: BigInt(usd('1')), driftBp: 500, coverageBp: 10_000 });
    // anthropic 03-08: billed, no estimate at all → no drift, coverage 0.
    expect(byKey.get('anthropic 2026-03-08')).toMatchObject({ billedNano: BigInt(8_502_500_000), estimatedNano: null, estimateTier: null, driftNano: null, driftBp: null, coverageBp: 0 });
    // openai 03-07: the odometer reading (5.00) is the estimate that would have counted, not
    // odometer + proxy; 5.00 - 5.7945678 = -0.7945678 → -1371.23 bp → -1371.
    expect(byKey.get('openai 2026-03-07')).toMatchObject({
      estimatedNano: BigInt(usd('5')),
      estimateTier: 'readings',
      driftNano: BigInt(-794_567_800),
      driftBp: -1371,
      bySource: { odometer: BigInt(usd('5')), proxy: BigInt(usd('6')) },
    });
    // openai 03-08: proxy (estimates) 2.85 vs 3.00 → -0.15, exactly -500 bp.
    expect(byKey.get('openai 2026-03-08')).toMatchObject({ estimateTier: 'estimates', driftNano: BigInt(-150_000_000), driftBp: -500 });
    expect(stored(core).days).toHaveLength(5);
  });

  it('gives drift per provider that matches a hand calculation (contract result)', async () => {
    open();
    replay(core);
    const r = await dispatch(core, 'reconcile', {});
    expect(r.run.from).toBe('2026-02-08'); // default: the last 30 complete days
    expect(r.run.to).toBe('2026-03-09');
    const [anthropic, openai] = r.providers;
    // anthropic: covered days 03-06 and 03-07, both on the reported tier. Σ estimated 12.21 + 21.00
    // = 33.21; Σ billed on those days 13.00004 + 20 = 33.00004; drift +0.20996 → 63.62 bp → 64.
    // Day-by-day error |−0.79004| + 1.00 = 1.79004 → 542.44 bp → 542. Coverage: 33.00004 of
    // 41.50254 billed (03-08 had no estimate) → 7951.31 bp → 7951.
    expect(anthropic).toMatchObject({
      provider: 'anthropic',
      days: 3,
      coveredDays: 2,
      billedUsd: '41.50254',
      coveredBilledUsd: '33.00004',
      estimatedUsd: '33.21',
      driftUsd: '0.20996',
      driftBp: 64,
      absDriftUsd: '1.79004',
      absDriftBp: 542,
      coverageBp: 7951,
    });
    // anthropic per source, each alone against the bill of the days it was present (whatever its
    // tier): api_usage 33.21 vs 33.00004 → +0.20996 → 63.62 → 64 bp; manual 0.40 vs 13.00004 →
    // -12.60004 → -9692.28 → -9692 bp.
    expect(anthropic!.sources).toEqual([
      { source: 'api_usage', days: 2, billedUsd: '33.00004', estimatedUsd: '33.21', driftUsd: '0.20996', driftBp: 64 },
      { source: 'manual', days: 1, billedUsd: '13.00004', estimatedUsd: '0.40', driftUsd: '-12.60004', driftBp: -9692 },
    ]);
    // openai: 5.00 + 2.85 = 7.85 vs 5.7945678 + 3 = 8.7945678 → -0.9445678 → -1074.04 bp → -1074.
    expect(openai).toMatchObject({
      provider: 'openai',
      days: 2,
      coveredDays: 2,
      estimatedUsd: '7.85',
      driftUsd: '-0.9445678',
      driftBp: -1074,
      absDriftUsd: '0.9445678',
      absDriftBp: 1074,
      coverageBp: 10_000,
    });
    expect(r.days.find((d) => d.provider === 'openai' && d.date === '2026-03-07')).toMatchObject({
      billedUsd: '5.7945678',
      estimatedUsd: '5.00',
      driftUsd: '-0.7945678',
      bySourceUsd: { odometer: '5.00', proxy: '6.00' },
    });
  });

  it('re-running on unchanged data changes nothing: no new run, identical stored figures, no duplicate days', () => {
    const clock = { t: Date.parse(NOW), now() { return new Date(this.t); } };
    open(clock);
    replay(core);
    const first = reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    const before = stored(core);
    // A re-sync writes the same buckets again: nothing changes in the ledger either.
    expect(core.billed.write(BILLED)).toMatchObject({ inserted: 0, updated: 0, unchanged: BILLED.length });
    clock.t += 3600_000;
    const second = reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    expect(second.changed).toBe(false);
    expect(second.run.id).toBe(first.run.id);
    expect(second.days).toEqual(first.days);
    expect(stored(core)).toEqual(before);
    // Only the confirmation time moved.
    expect(core.db.prepare('SELECT ran_at, checked_at FROM reconciliation_runs').all()).toEqual([
      { ran_at: '2026-03-10T12:00:00.000Z', checked_at: '2026-03-10T13:00:00.000Z' },
    ]);
  });

  it('stores a new run when late billed data arrives, and the totals switch to it', () => {
    open();
    replay(core);
    reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    expect(countedTotal(core.db, '2026-03-09', '2026-03-09', 'anthropic')).toBe(BigInt(usd('3.00')));
    const late = core.billed.write([anthropicBilled('2026-03-09', 'claude-sonnet-4', '310')]);
    core.spendChanged('test-late', late.touched);
    expect(countedTotal(core.db, '2026-03-09', '2026-03-09', 'anthropic')).toBe(BigInt(usd('3.10')));
    const again = reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    expect(again.changed).toBe(true);
    expect(again.run.id).toBe(2);
    // 3.00 vs 3.10 → -0.10 → -322.58 bp → -323.
    expect(again.days.find((d) => d.localDay === '2026-03-09')).toMatchObject({ provider: 'anthropic', driftNano: BigInt(-100_000_000), driftBp: -323 });
    // Each run keeps its own days; no day appears twice within a run.
    expect(core.db.prepare('SELECT run_id, COUNT(*) AS n FROM reconciliation_days GROUP BY run_id').all()).toEqual([
      { run_id: 1, n: 5 },
      { run_id: 2, n: 6 },
    ]);
  });

  it('counts the unpriced events of the tier that was compared, whose cost is missing from the estimate', () => {
    open();
    core.billed.write([anthropicBilled('2026-03-04', 'claude-sonnet-4', '100'), anthropicBilled('2026-03-05', 'claude-sonnet-4', '100')]);
    core.usage.write([
      // 03-05: the usage API's row has no price (unknown model), the manual record has a cost.
      { source: 'billing_api', provider: 'anthropic', externalId: 'u1', model: 'no-such-model-in-any-catalogue', inputTokens: 1000, occurredAt: new Date('2026-03-05T00:00:00Z') },
      { source: 'manual', provider: 'anthropic', externalId: 'm1', model: 'x', costNano: usd('0.50'), occurredAt: new Date('2026-03-05T08:00:00Z') },
      // 03-04: the other way round.
      { source: 'billing_api', provider: 'anthropic', externalId: 'u2', model: 'claude-sonnet-4', costNano: usd('0.90'), occurredAt: new Date('2026-03-04T00:00:00Z') },
      { source: 'manual', provider: 'anthropic', externalId: 'm2', model: 'no-such-model-in-any-catalogue', inputTokens: 1000, occurredAt: new Date('2026-03-04T08:00:00Z') },
    ]);
    const [d4, d5] = reconcile(core, { from: '2026-03-04', to: '2026-03-05' }).days;
    // 03-04: reported (api_usage 0.90) is compared; the unpriced manual event is in a weaker tier
    // that was not compared, so it is not counted: 0.90 - 1.00 = -0.10 → -1000 bp, 0 unpriced.
    expect(d4).toMatchObject({ localDay: '2026-03-04', billedNano: BigInt(usd('1')), estimatedNano: BigInt(usd('0.90')), estimateTier: 'reported', unpricedEvents: 0, driftBp: -1000 });
    // 03-05: reported is the strongest tier present, as it is for totals, so it is compared although
    // its only event has no price: estimated $0 with 1 unpriced event (not the manual 0.50);
    // 0 - 1.00 = -1.00 → -10000 bp. The manual 0.50 stays visible per source.
    expect(d5).toMatchObject({
      localDay: '2026-03-05',
      billedNano: BigInt(usd('1')),
      estimatedNano: BigInt(0),
      estimateTier: 'reported',
      unpricedEvents: 1,
      driftNano: BigInt(-usd('1')),
      driftBp: -10_000,
      bySource: { api_usage: 0n, manual: BigInt(usd('0.50')) },
    });
  });

  it('files a billed UTC day on its own date west of UTC (midpoint), so it meets that day\'s estimates', () => {
    // New York, EST (UTC-5): anthropic's bucket of UTC 03-05 runs from 19:00 on 03-04 to 19:00 on
    // 03-05 local. Its midpoint, 07:00 on 03-05, files it on 03-05 (by its start it went to 03-04).
    core = openCore({ memory: true, clock: fixedClock(NOW), timeZone: 'America/New_York' });
    core.billed.write([anthropicBilled('2026-03-05', 'claude-sonnet-4', '500')]); // $5.00
    core.usage.write([
      // 10:00 on 03-05 in New York.
      { source: 'manual', provider: 'anthropic', externalId: 'm1', model: 'x', costNano: usd('4.80'), occurredAt: new Date('2026-03-05T15:00:00Z') },
    ]);
    expect(core.db.prepare('SELECT local_day FROM billed_costs').all()).toEqual([{ local_day: '2026-03-05' }]);
    expect(countedTotal(core.db, '2026-03-04', '2026-03-04')).toBe(BigInt(0));
    expect(countedTotal(core.db, '2026-03-05', '2026-03-05')).toBe(BigInt(usd('5.00')));
    // One reconciled day, 03-05: 4.80 - 5.00 = -0.20 → -400 bp, fully covered. (Filed by its start,
    // the bill would sit alone on 03-04 with coverage 0, and 03-05 would not be reconciled at all.)
    expect(reconcile(core, { from: '2026-03-01', to: '2026-03-09' }).days).toEqual([
      {
        provider: 'anthropic',
        localDay: '2026-03-05',
        billedNano: BigInt(usd('5')),
        estimatedNano: BigInt(usd('4.80')),
        estimateTier: 'estimates',
        driftNano: BigInt(-200_000_000),
        driftBp: -400,
        coverageBp: 10_000,
        unpricedEvents: 0,
        bySource: { manual: BigInt(usd('4.80')) },
      },
    ]);
  });

  it('refuses ranges that are backwards, in the future or longer than a year', async () => {
    open();
    await expect(dispatch(core, 'reconcile', { from: '2026-03-09', to: '2026-03-01' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/starts \(2026-03-09\) after it ends/) });
    await expect(dispatch(core, 'reconcile', { to: '2026-03-11' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(dispatch(core, 'reconcile', { from: '2024-01-01', to: '2026-03-09' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(dispatch(core, 'reconcile', { from: '2026-02-30' })).rejects.toMatchObject({ code: 'invalid_input' });
    const ok = await dispatch(core, 'reconcile', { from: '2026-03-10' });
    expect(ok.run).toMatchObject({ from: '2026-03-10', to: '2026-03-10' });
  });
});

describe('reconcileIfDue', () => {
  it('runs at start-up, not again within 24 hours, and again once the window moves or a day has passed', () => {
    const clock = { t: Date.parse(NOW), now() { return new Date(this.t); } };
    open(clock);
    replay(core);
    const first = reconcileIfDue(core);
    expect(first?.run).toMatchObject({ id: 1, from: '2026-02-08', to: '2026-03-09' });
    clock.t += 6 * 3600_000; // 18:00, same day
    expect(reconcileIfDue(core)).toBeNull();
    clock.t += 7 * 3600_000; // 01:00 the next day: the window now ends 2026-03-10
    const next = reconcileIfDue(core);
    expect(next?.run).toMatchObject({ id: 2, from: '2026-02-09', to: '2026-03-10' });
    expect(reconcileIfDue(core)).toBeNull();
    // A custom range that does not cover the window does not count as the daily run.
    clock.t += 30 * 3600_000;
    reconcile(core, { from: '2026-03-01', to: '2026-03-02' });
    expect(reconcileIfDue(core)?.run.to).toBe('2026-03-11');
  });

  it('is due once the run covering the window is 24 hours old', () => {
    const clock = { t: Date.parse(NOW), now() { return new Date(this.t); } };
    open(clock);
    replay(core);
    // Today, a run through today also covers tomorrow's window (2026-02-09 .. 2026-03-10).
    reconcile(core, { from: '2026-02-01', to: '2026-03-10' });
    clock.t += 24 * 3600_000 - 1;
    expect(reconcileIfDue(core)).toBeNull();
    clock.t += 1;
    expect(reconcileIfDue(core)?.run).toMatchObject({ id: 2, from: '2026-02-09', to: '2026-03-10' });
  });
});

describe('accuracy and attention', () => {
  it('summarises drift per provider over 7 and 30 days, the worst days, and flags drift above 5 %', async () => {
    open();
    replay(core);
    reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    const a = await dispatch(core, 'accuracy', {});
    expect(a.thresholdBp).toBe(500);
    expect(a.last7).toEqual({ from: '2026-03-03', to: '2026-03-09' });
    expect(a.last30).toEqual({ from: '2026-02-08', to: '2026-03-09' });
    expect(a.lastRun).toMatchObject({ id: 1 });
    // All reconciled days fall in the last 7 days (03-03..03-09), so 7 and 30 days agree:
    // anthropic +0.20996 / 33.00004 → 64 bp (not above 500); openai -0.9445678 / 8.7945678 → -1074 bp.
    expect(a.providers.map((p) => [p.provider, p.last7.driftBp, p.last30.driftBp, p.checked, p.exceedsThreshold])).toEqual([
      ['anthropic', 64, 64, '7d', false],
      ['openai', -1074, -1074, '7d', true],
    ]);
    // Worst, by |relative drift|: openai 03-07 (-1371 bp); anthropic 03-06 (reported 12.21 vs
    // 13.00004, -608 bp); then two days at 500 bp, the larger amount first (anthropic 03-07, +$1.00,
    // before openai 03-08, -$0.15).
    expect(a.worstDays.map((d) => `${d.provider} ${d.date} ${d.driftBp}`)).toEqual([
      'openai 2026-03-07 -1371',
      'anthropic 2026-03-06 -608',
      'anthropic 2026-03-07 500',
      'openai 2026-03-08 -500',
    ]);
    expect(a.attention).toEqual([
      {
        kind: 'drift',
        severity: 'warning',
        provider: 'openai',
        message:
          'OpenAI estimates ran 10% below the bill over the last 7 days ($7.85 estimated, $8.79 billed); totals use the billed figures. The accuracy report has the details.',
      },
    ]);
    expect(driftAttention(core)).toEqual(a.attention);
  });

  it('follows the drift_threshold_bp setting', () => {
    open();
    replay(core);
    reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    // anthropic drifts +64 bp (+$0.20996, above the $0.10 floor), openai -1074 bp.
    setSetting(core.db, 'drift_threshold_bp', 63);
    expect(driftAttention(core).map((i) => i.provider)).toEqual(['anthropic', 'openai']);
    setSetting(core.db, 'drift_threshold_bp', 64); // not exceeded: drift must be above the threshold
    expect(driftAttention(core).map((i) => i.provider)).toEqual(['openai']);
    setSetting(core.db, 'drift_threshold_bp', 1074);
    expect(driftAttention(core)).toEqual([]);
    setSetting(core.db, 'drift_threshold_bp', 'nonsense');
    expect(accuracy(core).thresholdBp).toBe(500);
  });

  it('ignores drift of a few cents, whatever its percentage', () => {
    open();
    core.billed.write([anthropicBilled('2026-03-08', 'claude-sonnet-4', '2')]); // $0.02
    core.usage.write([{ source: 'manual', provider: 'anthropic', externalId: 'm', model: 'x', costNano: usd('0.05'), occurredAt: new Date('2026-03-08T05:00:00Z') }]);
    reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    expect(accuracy(core).providers[0]).toMatchObject({ provider: 'anthropic', last7: { driftBp: 15_000 }, exceeds: false });
    expect(driftAttention(core)).toEqual([]);
  });

  it('reads the latest run that covers each day, and says when nothing was reconciled', () => {
    open();
    expect(accuracy(core)).toMatchObject({ lastRun: null, providers: [], attention: [] });
    replay(core);
    reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    // The bill for openai 03-08 is revised to match the proxy; only that day is re-reconciled.
    core.billed.write([{ ...BILLED[6]!, amountNano: usd('2.85') }]);
    reconcile(core, { from: '2026-03-08', to: '2026-03-08' });
    const openai = accuracy(core).providers.find((p) => p.provider === 'openai')!;
    // 03-07 from run 1 (-0.7945678), 03-08 from run 2 (0): 7.85 vs 8.6445678 → -919.16 bp → -919.
    expect(openai.last30).toMatchObject({ days: 2, driftNano: BigInt(-794_567_800), driftBp: -919 });
  });
});
