import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { providerDays } from '../../../src/ledger/spend';
import { formatUsd, parseUsd, sumTotal } from '../../../src/money';
import { keyPage } from '../../../src/providers/openrouter';
import { writePage } from '../../../src/sync/page';

/** The switch from per-day key rows (earlier versions) to the month-to-date odometer of an ordinary OpenRouter key. */

let core: Core;
afterEach(() => core.db.close());

const fixed = (iso: string) => ({ now: () => new Date(iso) });
const total = (from: string, to: string) => formatUsd(sumTotal(providerDays(core.db, from, to, 'openrouter').map((d) => d.countedNano)));
const keyInfo = (monthly: number) => ({ usage_monthly: monthly, byok_usage_monthly: 0 });

function dayRow(day: string, usd: string) {
  return {
    provider: 'openrouter',
    externalId: `key-day|${day}`,
    bucketStart: new Date(`${day}T00:00:00Z`),
    bucketEnd: new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000),
    amountNano: parseUsd(usd),
  };
}

describe('OpenRouter ordinary key: odometer instead of per-day key rows', () => {
  it("retires this month's key-day rows (they would outrank the odometer) and keeps earlier months'", () => {
    core = openCore({ memory: true, clock: fixed('2026-11-10T12:00:00Z'), timeZone: 'UTC', env: {} });
    core.billed.write([dayRow('2026-10-31', '1.50'), dayRow('2026-11-05', '0.40'), dayRow('2026-11-10', '0.91')]);
    expect(total('2026-11-01', '2026-11-30')).toBe('1.31');

    const out = writePage(core, 'openrouter', keyPage(keyInfo(12.58), new Date('2026-11-10T12:00:00Z')), 1);
    expect(out.touched.length).toBeGreaterThan(0);
    // November now equals usage_monthly exactly; October keeps the figure nothing else knows.
    expect(total('2026-11-01', '2026-11-30')).toBe('12.58');
    expect(total('2026-10-01', '2026-10-31')).toBe('1.50');
    const ids = (core.db.prepare("SELECT external_id FROM billed_costs WHERE provider = 'openrouter'").all() as { external_id: string }[]).map((r) => r.external_id);
    expect(ids).toEqual(['key-day|2026-10-31']);

    // The same observation again changes nothing; a lower figure in the same month is refused whole.
    expect(writePage(core, 'openrouter', keyPage(keyInfo(12.58), new Date('2026-11-10T12:00:00Z')), 2).changed).toBe(0);
    expect(() => writePage(core, 'openrouter', keyPage(keyInfo(11), new Date('2026-11-11T12:00:00Z')), 3)).toThrow(/below the \$12\.58 it reported earlier/);
    expect(total('2026-11-01', '2026-11-30')).toBe('12.58');
  });
});
