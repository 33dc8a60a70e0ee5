import { openCore, type Core } from '../../../src/app/open';
import { dispatch } from '../../../src/api/dispatch';
import type { Contract, MethodName, ResultOf } from '../../../src/api/contract';

/** A core on an in-memory ledger with a clock the test moves. */
export function testCore(startIso: string, timeZone = 'UTC'): Core & { setNow(iso: string): void } {
  let now = new Date(startIso).getTime();
  const core = openCore({ memory: true, timeZone, clock: { now: () => new Date(now) } });
  return Object.assign(core, {
    setNow(iso: string) {
      now = new Date(iso).getTime();
    },
  });
}

/** Call a contract method the way every transport does (validation included). */
export function call<K extends MethodName>(core: Core, name: K, input: unknown): Promise<ResultOf<Contract[K]>> {
  return dispatch(core, name, input) as Promise<ResultOf<Contract[K]>>;
}

/** Sum of the stored derived rows of a source (and provider), in nano-USD. */
export function derivedSum(core: Core, source: string, provider?: string, extra = ''): number {
  const row = core.db
    .prepare(`SELECT COALESCE(SUM(cost_total_nano), 0) AS n FROM usage_events WHERE source = ? ${provider ? 'AND provider = ?' : ''} ${extra}`)
    .get(...(provider ? [source, provider] : [source])) as { n: number };
  return row.n;
}

/** Everything the odometer area writes, to compare before and after a refused change. */
export function snapshot(core: Core): string {
  const tables = ['readings', 'month_summaries', 'usage_events', 'daily_rollups', 'reminders', 'subscriptions', 'provider_accounts'];
  return JSON.stringify(tables.map((t) => core.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()));
}
