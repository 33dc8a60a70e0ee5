import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { startJobs, type Jobs } from '../../../src/jobs';
import { directoryOf } from '../../../src/sync/clients';

let core: Core | undefined;
let jobs: Jobs | undefined;
let now = new Date('2026-12-02T12:00:00Z');

afterEach(async () => {
  await jobs?.stop();
  jobs = undefined;
  core?.close();
  core = undefined;
});

const state = async (month: string) =>
  ((await dispatch(core!, 'monthStatus', {})) as { months: { month: string; state: string }[] }).months.find((m) => m.month === month)?.state;

describe('the month-close job', () => {
  it('closes the previous month once close.after_days have passed, on start or wake', async () => {
    core = openCore({ memory: true, clock: { now: () => now }, timeZone: 'UTC', env: {} });
    await dispatch(core, 'record', { provider: 'openai', model: 'gpt-4o', cost: '1.25', at: '2026-11-20T10:00:00Z', id: 'a' });
    jobs = startJobs(core, { directory: directoryOf([]), tick: '0 0 1 1 *' });
    await jobs.catchUp();
    expect(await state('2026-11')).toBe('not_closed'); // 2 December: the default waits 3 days

    now = new Date('2026-12-04T00:30:00Z');
    await jobs.catchUp();
    expect(await state('2026-11')).toBe('closed');
    const closed = (await dispatch(core, 'monthStatus', {})) as { months: { month: string; frozenUsd: string }[] };
    expect(closed.months.find((m) => m.month === '2026-11')!.frozenUsd).toBe('1.25');
  });
});
