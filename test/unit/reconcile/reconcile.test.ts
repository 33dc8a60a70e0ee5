import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/core';
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
    // Before the bill: anthropic 12.61 + 21.00 + 3.00; openai 5.00 (odometer beats proxy) + 2.85;
    // groq 1.10; the subscription 20.00 → 65.56.
    expect(countedTotal(core.db, '2026-03-01', '2026-03-10')).toBe(usd('65.56'));
    const b = core.billed.write(BILLED);
    core.spendChanged('test-billed', b.touched);

    // Billed days count exactly what was billed, to the nano:
    expect(countedTotal(core.db, '2026-03-06', '2026-03-06', 'anthropic')).toBe(13_000_040_000); // 1287.504¢ + 12.5¢
    expect(countedTotal(core.db, '2026-03-07', '2026-03-07', 'anthropic')).toBe(usd('20'));
    expect(countedTotal(core.db, '2026-03-08', '2026-03-08', 'anthropic')).toBe(8_502_500_000); // 850.25¢
    expect(countedTotal(core.db, '2026-03-07', '2026-03-07', 'openai')).toBe(5_794_567_800); // 4.56 + 1.2345678
    expect(countedTotal(core.db, '2026-03-08', '2026-03-08', 'openai')).toBe(usd('3'));
    // Days without billed data use their estimates:
    expect(countedTotal(core.db, '2026-03-09', '2026-03-09', 'anthropic')).toBe(usd('3.00'));
    expect(countedTotal(core.db, '2026-03-08', '2026-03-08', 'groq')).toBe(usd('1.10'));
    // Month: 44.50254 + 8.7945678 + 1.10 + 20 = 74.3971078
    expect(countedTotal(core.db, '2026-03-01', '2026-03-10')).toBe(74_397_107_800);
    // The estimates are kept, shown apart:
    const a6 = providerDays(core.db, '2026-03-06', '2026-03-06', 'anthropic')[0]!;
    expect(a6.countedTier).toBe('billed');
    expect(a6.byTier.estimates).toBe(usd('12.61'));
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
    // anthropic 03-06: billed 13.00004, estimated 12.10 + 0.11 + 0.40 = 12.61, drift -0.39004,
    // -0.39004 / 13.00004 = -300.03 bp → -300.
    expect(byKey.get('anthropic 2026-03-06')).toEqual({
      provider: 'anthropic',
      localDay: '2026-03-06',
      billedNano: 13_000_040_000,
      estimatedNano: 12_610_000_000,
      estimateTier: 'estimates',
      driftNano: -390_040_000,
      driftBp: -300,
      coverageBp: 10_000,
      unpricedEvents: 0,
      bySource: { api_usage: 12_210_000_000, manual: 400_000_000 },
    });
    // anthropic 03-07: 21.00 vs 20.00 → +1.00, +500 bp.
    expect(byKey.get('anthropic 2026-03-07')).toMatchObject({ driftNano: usd('1'), driftBp: 500, coverageBp: 10_000 });
    // anthropic 03-08: billed, no estimate at all → no drift, coverage 0.
    expect(byKey.get('anthropic 2026-03-08')).toMatchObject({ billedNano: 8_502_500_000, estimatedNano: null, estimateTier: null, driftNano: null, driftBp: null, coverageBp: 0 });
    // openai 03-07: the odometer reading (5.00) is the estimate that would have counted, not
    // odometer + proxy; 5.00 - 5.7945678 = -0.7945678 → -1371.23 bp → -1371.
    expect(byKey.get('openai 2026-03-07')).toMatchObject({
      estimatedNano: usd('5'),
      estimateTier: 'readings',
      driftNano: -794_567_800,
      driftBp: -1371,
      bySource: { odometer: usd('5'), proxy: usd('6') },
    });
    // openai 03-08: 2.85 vs 3.00 → -0.15, exactly -500 bp.
    expect(byKey.get('openai 2026-03-08')).toMatchObject({ driftNano: -150_000_000, driftBp: -500 });
    expect(stored(core).days).toHaveLength(5);
  });

  it('gives drift per provider that matches a hand calculation (contract result)', async () => {
    open();
    replay(core);
    const r = await dispatch(core, 'reconcile', {});
    expect(r.run.from).toBe('2026-02-08'); // default: the last 30 complete days
    expect(r.run.to).toBe('2026-03-09');
    const [anthropic, openai] = r.providers;
    // anthropic: covered days 03-06 and 03-07. Σ estimated 12.61 + 21.00 = 33.61; Σ billed on those
    // days 13.00004 + 20 = 33.00004; drift +0.60996 → 184.84 bp → 185. Day-by-day error
    // 0.39004 + 1.00 = 1.39004 → 421.22 bp → 421. Coverage: 33.00004 of 41.50254 billed → 7951 bp.
    expect(anthropic).toMatchObject({
      provider: 'anthropic',
      days: 3,
      coveredDays: 2,
      billedUsd: '41.50254',
      coveredBilledUsd: '33.00004',
      estimatedUsd: '33.61',
      driftUsd: '0.60996',
      driftBp: 185,
      absDriftUsd: '1.39004',
      absDriftBp: 421,
      coverageBp: 7951,
    });
    // anthropic per source: api_usage 33.21 vs 33.00004 → +0.20996 → 63.62 → 64 bp; manual alone
    // 0.40 vs 13.00004 → -9692 bp.
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
    expect(countedTotal(core.db, '2026-03-09', '2026-03-09', 'anthropic')).toBe(usd('3.00'));
    const late = core.billed.write([anthropicBilled('2026-03-09', 'claude-sonnet-4', '310')]);
    core.spendChanged('test-late', late.touched);
    expect(countedTotal(core.db, '2026-03-09', '2026-03-09', 'anthropic')).toBe(usd('3.10'));
    const again = reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    expect(again.changed).toBe(true);
    expect(again.run.id).toBe(2);
    // 3.00 vs 3.10 → -0.10 → -322.58 bp → -323.
    expect(again.days.find((d) => d.localDay === '2026-03-09')).toMatchObject({ provider: 'anthropic', driftNano: -100_000_000, driftBp: -323 });
    // Each run keeps its own days; no day appears twice within a run.
    expect(core.db.prepare('SELECT run_id, COUNT(*) AS n FROM reconciliation_days GROUP BY run_id').all()).toEqual([
      { run_id: 1, n: 5 },
      { run_id: 2, n: 6 },
    ]);
  });

  it('counts unpriced estimate events, whose cost is missing from the estimate', () => {
    open();
    core.billed.write([anthropicBilled('2026-03-05', 'claude-sonnet-4', '100')]);
    core.usage.write([
      { source: 'billing_api', provider: 'anthropic', externalId: 'u1', model: 'no-such-model-in-any-catalogue', inputTokens: 1000, occurredAt: new Date('2026-03-05T00:00:00Z') },
      { source: 'manual', provider: 'anthropic', externalId: 'm1', model: 'x', costNano: usd('0.50'), occurredAt: new Date('2026-03-05T08:00:00Z') },
    ]);
    const [day] = reconcile(core, { from: '2026-03-05', to: '2026-03-05' }).days;
    expect(day).toMatchObject({ billedNano: usd('1'), estimatedNano: usd('0.50'), unpricedEvents: 1, driftBp: -5000 });
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
    expect(a.providers.map((p) => [p.provider, p.last7.driftBp, p.last30.driftBp, p.checked, p.exceedsThreshold])).toEqual([
      ['anthropic', 185, 185, '7d', false],
      ['openai', -1074, -1074, '7d', true],
    ]);
    // Worst: openai 03-07 (-1371 bp); then two days at 500 bp, the larger amount first (anthropic
    // 03-07, +$1.00, before openai 03-08, -$0.15); then anthropic 03-06 (-300 bp).
    expect(a.worstDays.map((d) => `${d.provider} ${d.date} ${d.driftBp}`)).toEqual([
      'openai 2026-03-07 -1371',
      'anthropic 2026-03-07 500',
      'openai 2026-03-08 -500',
      'anthropic 2026-03-06 -300',
    ]);
    expect(a.attention).toEqual([
      {
        kind: 'drift',
        severity: 'warning',
        provider: 'openai',
        message:
          'openai estimates ran 10.74% below the bill over the last 7 days ($7.85 estimated, $8.7945678 billed); totals use the billed figures. See burnrate accuracy.',
      },
    ]);
    expect(driftAttention(core)).toEqual(a.attention);
  });

  it('follows the drift_threshold_bp setting', () => {
    open();
    replay(core);
    reconcile(core, { from: '2026-02-08', to: '2026-03-09' });
    setSetting(core.db, 'drift_threshold_bp', 100);
    expect(driftAttention(core).map((i) => i.provider)).toEqual(['anthropic', 'openai']);
    setSetting(core.db, 'drift_threshold_bp', 1074); // not exceeded: drift must be above the threshold
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
    expect(openai.last30).toMatchObject({ days: 2, driftNano: -794_567_800, driftBp: -919 });
  });
});
