import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { openCore, type Core } from '../../../src/core';
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

    const before = await dispatch(core, 'status', {});
    expect(before.month.spentUsd).toBe('65.56');
    expect(before.month.health).toBe('critical'); // 65.56 is into the reserve, under 70
    expect(before.providers.find((p) => p.provider === 'anthropic')).toMatchObject({ monthSpentUsd: '36.61', estimatedMonthUsd: null });
    expect(countedByDay(core.db, '2026-03-06', '2026-03-06').get('2026-03-06')).toBe(parseUsd('12.61'));

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
    expect(countedTotal(core.db, '2026-03-01', '2026-03-10')).toBe(74_397_107_800);
    expect(countedByDay(core.db, '2026-03-06', '2026-03-06').get('2026-03-06')).toBe(13_000_040_000);

    const after = await dispatch(core, 'status', {});
    expect(after.month.spentUsd).toBe('74.3971078');
    expect(after.month.health).toBe('exceeded');
    expect(after.providers.find((p) => p.provider === 'anthropic')).toMatchObject({ monthSpentUsd: '44.50254', estimatedMonthUsd: '33.61' });
    expect(after.providers.find((p) => p.provider === 'openai')).toMatchObject({ monthSpentUsd: '8.7945678', source: 'billed' });
    expect(after.providers.find((p) => p.provider === 'groq')).toMatchObject({ monthSpentUsd: '1.10' });
  });
});
