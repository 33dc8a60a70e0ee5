import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { ApiError } from '../../../src/api/errors';
import { overrideLift, readOverrides } from '../../../src/budget/overrides';
import { testCore, type TestCore } from './helpers';

// Ending an emergency override early (overrideEnd), over a real in-memory core with a clock moved by hand.

let t: TestCore;
afterEach(() => t?.core.close());

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('overrideEnd', () => {
  it('ends the override now: its lift stops counting at once, the record stays, marked as ended early and where', async () => {
    t = testCore({ now: '2026-11-28T18:00:00Z' });
    await dispatch(t.core, 'override', { usd: '5', for: '2h', note: 'demo day', by: 'cli' });
    await dispatch(t.core, 'override', { usd: '1.25', for: '30m', by: 'window' });
    t.clock.advance(10 * 60_000);
    expect(overrideLift(readOverrides(t.core.db), t.clock.now())).toBe(6_250_000_000n);

    const view = await dispatch(t.core, 'overrideEnd', { id: 1, by: 'window' });
    expect(view.liftUsd).toBe('1.25');
    expect(view.overrides).toEqual([
      { id: 2, amountUsd: '1.25', startsAt: '2026-11-28T18:00:00.000Z', endsAt: '2026-11-28T18:30:00.000Z', note: '', by: 'window', active: true, endedAt: null, endedBy: null },
      { id: 1, amountUsd: '5.00', startsAt: '2026-11-28T18:00:00.000Z', endsAt: '2026-11-28T20:00:00.000Z', note: 'demo day', by: 'cli', active: false, endedAt: '2026-11-28T18:10:00.000Z', endedBy: 'window' },
    ]);
    // What the proxy reads on each request (src/proxy/admission.ts): only the second lift is left.
    expect(overrideLift(readOverrides(t.core.db), t.clock.now())).toBe(1_250_000_000n);
    expect((await dispatch(t.core, 'overrides', {})).overrides).toEqual(view.overrides);
  });

  it('refuses an unknown id and one already ended, in one sentence each, changing nothing', async () => {
    t = testCore({ now: '2026-11-28T18:00:00Z' });
    await dispatch(t.core, 'override', { usd: '5', for: '30m' });
    const unknown = await refusal(dispatch(t.core, 'overrideEnd', { id: 7 }));
    expect(unknown.code).toBe('not_found');
    expect(unknown.message).toBe('There is no override 7; pick one from the list of overrides.');

    await dispatch(t.core, 'overrideEnd', { id: 1 });
    const stored = readOverrides(t.core.db);
    expect(stored[0]).toMatchObject({ endedAt: '2026-11-28T18:00:00.000Z', endedBy: 'api' });
    const twice = await refusal(dispatch(t.core, 'overrideEnd', { id: 1, by: 'cli' }));
    expect(twice.code).toBe('conflict');
    expect(twice.message).toBe('Override 1 already ended at 2026-11-28 18:00 (UTC); only an active override can be ended.');
    expect(readOverrides(t.core.db)).toEqual(stored); // still ended by the first caller

    // One that ran its course cannot be ended either.
    await dispatch(t.core, 'override', { usd: '2', for: '30m' });
    t.clock.advance(31 * 60_000);
    expect((await refusal(dispatch(t.core, 'overrideEnd', { id: 2 }))).message).toBe('Override 2 already ended at 2026-11-28 18:30 (UTC); only an active override can be ended.');
  });

  it('validates the id and the origin', async () => {
    t = testCore();
    for (const input of [{ id: 'one' }, { id: 0 }, { id: 1.5 }, {}, { id: 1, by: 'someone' }, { id: 1, extra: true }]) {
      expect((await refusal(dispatch(t.core, 'overrideEnd', input as never))).code).toBe('invalid_input');
    }
  });
});
