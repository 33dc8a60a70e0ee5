import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { runClose } from '../../../src/close/workflow';
import { LEDGER_FILE } from '../../../src/ledger/db';
import { addDays, eachDay, fixedClock } from '../../../src/time';
import { tempHome } from '../../helpers/cli';

// 120 days of per-request events up to 5 December 2026; raw events are kept 90 days.
const NOW = '2026-12-05T12:00:00Z';
const FIRST = '2026-08-07';
const LAST = '2026-12-04';
const PER_DAY = 150;

let core: Core | undefined;
afterEach(() => core?.close());

function open(home: string): Core {
  return openCore({ home, clock: fixedClock(NOW), timeZone: 'UTC', env: { BURNRATE_HOME: home }, secrets: null });
}

function fill(c: Core): void {
  let n = 0;
  for (const day of eachDay(FIRST, LAST)) {
    const events = [];
    for (let i = 0; i < PER_DAY; i++) {
      n++;
      events.push({
        source: i % 3 === 0 ? ('proxy' as const) : ('manual' as const),
        provider: i % 2 === 0 ? 'openai' : 'anthropic',
        externalId: `e${n}`,
        model: i % 2 === 0 ? 'gpt-5.4' : 'claude-sonnet-4-6',
        project: `p${i % 4}`,
        inputTokens: 1000 + i,
        outputTokens: 200 + (n % 97),
        // Odd nano amounts, so a lost or doubled event shows at once.
        costNano: 1_234_567 + ((n * 7919) % 1_000_003),
        occurredAt: new Date(`${day}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`),
        metadata: { request: `req_${n}`, note: 'x'.repeat(80) },
      });
    }
    c.usage.write(events);
  }
}

/** Counted spend per day and events per day, from the rollups (what status and charts read). */
function rollupDays(c: Core): Map<string, { nano: number; events: number }> {
  const rows = c.db.prepare('SELECT local_day, SUM(cost_nano) AS nano, SUM(events) AS events FROM daily_rollups GROUP BY local_day ORDER BY local_day').all() as { local_day: string; nano: number; events: number }[];
  return new Map(rows.map((r) => [r.local_day, { nano: r.nano, events: r.events }]));
}

const fileSize = (home: string) => fs.statSync(path.join(home, LEDGER_FILE)).size;

describe('retention: raw events kept 90 days, rollups for ever', () => {
  it('closes the months, prunes: totals per day unchanged to the nano, old raw events gone, the file smaller', async () => {
    const home = tempHome('burnrate-retention-');
    core = open(home);
    fill(core);
    const before = rollupDays(core);
    expect(before.size).toBe(120);

    // Nothing goes while the months are open.
    const early = (await dispatch(core, 'prune', { dryRun: true })) as { events: number; waitingForClose: string[] };
    expect(early.events).toBe(0);
    expect(early.waitingForClose).toEqual(['2026-08']);

    for (const month of ['2026-08', '2026-09', '2026-10', '2026-11']) {
      expect((await runClose(core, month, { skipFinals: true })).state).toBe('closed');
    }
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = fileSize(home);
    const cutoff = addDays('2026-12-05', -90); // 2026-09-06
    const oldEvents = (core.db.prepare('SELECT COUNT(*) AS n FROM usage_events WHERE local_day < ?').get(cutoff) as { n: number }).n;
    expect(oldEvents).toBe(30 * PER_DAY); // 7 Aug … 5 Sep

    const dry = (await dispatch(core, 'prune', { dryRun: true })) as { events: number; bytesFreed: number; through: string };
    expect(dry).toMatchObject({ events: oldEvents, through: addDays(cutoff, -1) });
    expect(dry.bytesFreed).toBeGreaterThan(0);
    expect((core.db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n).toBe(120 * PER_DAY); // a dry run changes nothing

    const pruned = (await dispatch(core, 'prune', {})) as { events: number; bytesBefore: number; bytesAfter: number; vacuum: string };
    expect(pruned.events).toBe(oldEvents);
    expect(pruned.vacuum).toBe('full'); // the first prune switches the file to incremental vacuum
    expect((core.db.prepare('SELECT COUNT(*) AS n FROM usage_events WHERE local_day < ?').get(cutoff) as { n: number }).n).toBe(0);
    expect((core.db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n).toBe(90 * PER_DAY);
    expect(rollupDays(core)).toEqual(before);
    expect(fileSize(home)).toBeLessThan(sizeBefore);
    expect(core.db.pragma('auto_vacuum', { simple: true })).toBe(2);

    // History says per-request detail is gone for the pruned months, and keeps their totals.
    const status = (await dispatch(core, 'monthStatus', {})) as { prunedBefore: string; months: { month: string; rawDetail: string; totalUsd: string }[] };
    expect(status.prunedBefore).toBe(cutoff);
    expect(status.months.find((m) => m.month === '2026-08')!.rawDetail).toBe('pruned');
    expect(status.months.find((m) => m.month === '2026-11')!.rawDetail).toBe('kept');
    const report = (await dispatch(core, 'report', { month: '2026-08', format: 'html', fresh: true })) as { content: string };
    expect(report.content).toContain('Per-request detail of this month was pruned');

    // A zone change rebuilds the rollups from raw rows: pruned days keep theirs.
    core.close();
    core = openCore({ home, clock: fixedClock(NOW), timeZone: 'UTC', env: {}, secrets: null });
    core.db.prepare("UPDATE settings SET value = '\"Europe/Paris\"' WHERE key = 'rollup_tz'").run();
    core.close();
    core = openCore({ home, clock: fixedClock(NOW), timeZone: 'UTC', env: {}, secrets: null });
    expect(rollupDays(core)).toEqual(before);

    // The same event arriving again for a pruned day is not counted twice.
    const again = core.usage.write([{ source: 'manual', provider: 'openai', externalId: 'e1', model: 'gpt-5.4', costNano: 5, occurredAt: new Date(`${FIRST}T00:00:00Z`) }]);
    expect(again).toMatchObject({ inserted: 0, prunedSkipped: 1 });
    expect(rollupDays(core)).toEqual(before);

    // A second prune later is incremental.
    core.close();
    core = openCore({ home, clock: fixedClock('2026-12-20T12:00:00Z'), timeZone: 'UTC', env: {}, secrets: null });
    const second = (await dispatch(core, 'prune', {})) as { events: number; vacuum: string };
    expect(second).toMatchObject({ events: 15 * PER_DAY, vacuum: 'incremental' });
    expect(rollupDays(core)).toEqual(before);
  }, 120_000);
});
