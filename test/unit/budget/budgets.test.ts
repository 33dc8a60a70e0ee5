import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { ApiError } from '../../../src/api/errors';
import { readBudgets } from '../../../src/budget/budgets';
import { getSetting } from '../../../src/ledger/settings';
import { parseUsd } from '../../../src/money';
import { spend, testCore, type TestCore } from './helpers';

let t: TestCore;
afterEach(() => t?.core.close());

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected an error');
}

describe('budgetSet / budgetShow', () => {
  it('sets the daily budget and reserve, and shows the split', async () => {
    t = testCore();
    const view = await dispatch(t.core, 'budgetSet', { daily: '5.00', reservePct: '20' });
    expect(view.day).toMatchObject({ budgetUsd: '5.00', reserveUsd: '1.00', spendableUsd: '4.00', spentUsd: '0.00', leftUsd: '4.00', health: 'good' });
    expect(view.reservePct).toBe(20);
    expect(getSetting(t.core.db, 'reserve_bp', null)).toBe(2000);
    expect(view.month.budgetUsd).toBeNull();
    expect(view.month.health).toBeNull();
  });

  it('defaults the reserve to 20 % and keeps amounts exact', async () => {
    t = testCore();
    const view = await dispatch(t.core, 'budgetSet', { monthly: '123.456789' });
    expect(view.reservePct).toBe(20);
    expect(view.month).toMatchObject({ budgetUsd: '123.456789', reserveUsd: '24.6913578', spendableUsd: '98.7654312' });
  });

  it('sets and removes a provider cap, and shows how much of it is used', async () => {
    t = testCore();
    await spend(t.core, '8.50', { provider: 'groq' });
    const view = await dispatch(t.core, 'budgetSet', { provider: 'groq', monthly: '10' });
    expect(view.caps).toEqual([{ provider: 'groq', capUsd: '10.00', spentUsd: '8.50', usedPct: 85, health: 'warning', proxied: true }]);
    const cleared = await dispatch(t.core, 'budgetSet', { provider: 'groq', monthly: 'none' });
    expect(cleared.caps).toEqual([]);
  });

  it('enforces no cap the proxy has no route to: named, it is refused; with every budget, it is left out', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { provider: 'groq', monthly: '10' });
    await dispatch(t.core, 'budgetSet', { provider: 'gemini', monthly: '20' });
    const named = await rejection(dispatch(t.core, 'budgetSet', { provider: 'gemini', monthly: '20', policy: 'enforce' }));
    expect(named).toMatchObject({ code: 'invalid_input', reason: 'cap_not_proxied' });
    expect(named.message).toBe('No request to Google Gemini passes through the proxy, so its cap cannot be enforced; it raises alerts as it fills. Nothing was changed.');
    const all = await dispatch(t.core, 'budgetSet', { policy: 'enforce' });
    expect(all.policies.caps).toEqual({ groq: 'enforce', gemini: 'warn' });
    expect(all.caps.map((c) => [c.provider, c.proxied])).toEqual([['gemini', false], ['groq', true]]);
  });

  it('accepts a cap for a provider that is not in the catalogue but has rows', async () => {
    t = testCore();
    await spend(t.core, '1', { provider: 'my-local-llm' });
    const view = await dispatch(t.core, 'budgetSet', { provider: 'my-local-llm', monthly: '3' });
    expect(view.caps.map((c) => c.provider)).toEqual(['my-local-llm']);
  });

  it('removes a budget with none', async () => {
    t = testCore();
    await dispatch(t.core, 'budgetSet', { daily: '5', monthly: '100' });
    const view = await dispatch(t.core, 'budgetSet', { daily: 'none' });
    expect(view.day.budgetUsd).toBeNull();
    expect(view.month.budgetUsd).toBe('100.00');
  });

  describe('bad input: a clear error and nothing changed', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['a negative budget', { daily: '-5' }, /negative/],
      ['a non-numeric budget', { daily: 'five' }, /not a number/],
      ['a zero budget', { monthly: '0' }, /^The monthly budget must be more than \$0\. Nothing was changed\.$/],
      ['too many decimals', { daily: '1.0000000001' }, /decimal places/],
      ['a reserve above 100', { reservePct: '150' }, /reserve must be a percentage from 0 to 100/],
      ['a negative reserve', { reservePct: '-1' }, /reserve must be a percentage from 0 to 100/],
      ['a non-numeric reserve', { reservePct: 'lots' }, /reserve must be a percentage/],
      ['a cap for an unknown provider', { provider: 'nosuchai', monthly: '5' }, /does not know the provider "nosuchai"/],
      ['a provider without a monthly cap', { provider: 'openai' }, /Give the monthly cap for openai/],
      ['a provider with --daily', { provider: 'openai', monthly: '5', daily: '1' }, /cap is monthly/],
      ['nothing at all', {}, /Nothing to set/],
      ['a good daily with a bad reserve', { daily: '9', reservePct: '101' }, /reserve/],
    ];
    for (const [what, input, message] of cases) {
      it(`refuses ${what}`, async () => {
        t = testCore();
        await dispatch(t.core, 'budgetSet', { daily: '5', monthly: '100', reservePct: '25' });
        const before = { budgets: readBudgets(t.core.db), rows: t.core.db.prepare('SELECT * FROM budgets ORDER BY scope').all() };
        const error = await rejection(dispatch(t.core, 'budgetSet', input));
        expect(error.code).toBe('invalid_input');
        expect(error.message).toMatch(message);
        expect({ budgets: readBudgets(t.core.db), rows: t.core.db.prepare('SELECT * FROM budgets ORDER BY scope').all() }).toEqual(before);
        expect(readBudgets(t.core.db).daily).toBe(parseUsd('5'));
      });
    }
  });
});
