import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { openCore, type Core } from '../../../src/app/open';
import { countedByDay, countedTotal } from '../../../src/ledger/spend';
import { parseUsd } from '../../../src/money';
import { fixedClock } from '../../../src/time';
import { BILLED, NOW, replay } from './replay';

let core: Core;
afterEach(() => core?.close());

describe('late data: a bill arrives for days budgeted on estimates', () => {
  it('switches status and budget totals to the billed figures and tells the budget engine which days changed', async () => {
    core = openCore({ memory: true, clock: fixedClock(NOW), timeZone: 'UTC' });
    applyBudgetChange(core.db, { monthly: parseUsd('70') }, core.clock.now()); // $56 spendable, $14 reserve
    replay(core, { billed: false });

    // Before the bill (one tier per provider and day: billed > readings > reported > estimates):
    // anthropic 12.21 (03-06: api_usage 12.10 + 0.11; the manual 0.40 is a weaker tier, not added)
    // + 21.00 (03-07, api_usage) + 3.00 (03-09, manual) = 36.21; openai 5.00 (odometer over proxy)
    // + 2.85 = 7.85; groq 1.10; subscription 20.00 → 65.16.
    const before = await dispatch(core, 'status', {});
    expect(before.month.spentUsd).toBe('65.16');
    expect(before.month.health).toBe('critical'); // 65.16 is past the 56 spendable, into the 14 reserve, under 70
    expect(before.providers.find((p) => p.provider === 'anthropic')).toMatchObject({ monthSpentUsd: '36.21' });
    expect(countedByDay(core.db, '2026-03-06', '2026-03-06').get('2026-03-06')).toBe(BigInt(parseUsd('12.21')));

    const heard: { reason: string; touched: string[] }[] = [];
    core.spendListeners.push((reason, touched) => heard.push({ reason, touched: touched.map((t) => `${t.provider} ${t.localDay}`).sort() }));
    const written = core.billed.write(BILLED);
    core.spendChanged('sync', written.touched);

    // The budget engine (a spend listener) hears exactly the days the bill changed.
    expect(heard).toEqual([
      {
        reason: 'sync',
        touched: ['anthropic 2026-03-06', 'anthropic 2026-03-07', 'anthropic 2026-03-08', 'openai 2026-03-07', 'openai 2026-03-08'],
      },
    ]);
    // 13.00004 + 20 + 8.5025 + 3.00 (03-09 still on its estimate) + 8.7945678 + 1.10 + 20.
    expect(countedTotal(core.db, '2026-03-01', '2026-03-10')).toBe(BigInt(74_397_107_800));
    expect(countedByDay(core.db, '2026-03-06', '2026-03-06').get('2026-03-06')).toBe(13_000_040_000n);

    const after = await dispatch(core, 'status', {});
    expect(after.month.spentUsd).toBe('74.3971078');
    expect(after.month.health).toBe('exceeded');
    expect(after.providers.find((p) => p.provider === 'anthropic')).toMatchObject({ monthSpentUsd: '44.50254' });
    expect(after.providers.find((p) => p.provider === 'openai')).toMatchObject({ monthSpentUsd: '8.7945678', source: 'billed' });
    expect(after.providers.find((p) => p.provider === 'groq')).toMatchObject({ monthSpentUsd: '1.10' });
  });

  it('shows apart, on billed days, the estimate that would have counted: one tier per day, as reconciliation compares', async () => {
    core = openCore({ memory: true, clock: fixedClock(NOW), timeZone: 'UTC' });
    replay(core, { billed: false });
    // estimatedMonthUsd is "shown apart: estimates for days where billed data won" (contract). No
    // bill yet, so nothing is shown apart (the manual 0.40 under the usage API's 12.21 is not an
    // estimate the bill replaced).
    const before = await dispatch(core, 'status', {});
    expect(before.providers.find((p) => p.provider === 'anthropic')).toMatchObject({ monthSpentUsd: '36.21', estimatedMonthUsd: null });
    const b = core.billed.write(BILLED);
    core.spendChanged('sync', b.touched);
    // With the bill, it follows the rule one tier down and never adds two tiers of one day:
    //   anthropic: 03-06 reported 12.21 (not + manual 0.40) + 03-07 reported 21.00 = 33.21
    //   openai:    03-07 readings 5.00 (not + proxy 6.00) + 03-08 estimates 2.85  = 7.85
    // which are reconciliation's Σ estimated for the same days.
    const status = await dispatch(core, 'status', {});
    expect(status.providers.find((p) => p.provider === 'anthropic')).toMatchObject({ monthSpentUsd: '44.50254', estimatedMonthUsd: '33.21' });
    expect(status.providers.find((p) => p.provider === 'openai')).toMatchObject({ monthSpentUsd: '8.7945678', estimatedMonthUsd: '7.85' });
    const r = await dispatch(core, 'reconcile', {});
    expect(r.providers.map((p) => [p.provider, p.estimatedUsd])).toEqual([
      ['anthropic', '33.21'],
      ['openai', '7.85'],
    ]);
  });
});
