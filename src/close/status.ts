import type { Core } from '../model/context';
import { addTotal, sumTotal, type NanoTotal } from '../money';
import { reportMessages, type MessageStatus } from '../notify/messages';
import { addMonths, localMonth } from '../time';
import { adjustmentsOf, countedByProvider, frozenTotals, type Adjustment } from './freeze';
import { prunedBefore } from './retention';
import { CLOSE_STEPS, getClose, listCloses, monthDays, stepsOf, type CloseRow, type CloseStep } from './steps';

/** Where one month stands, as the domain sees it (the handler turns it into the contract's view). */
export interface MonthStanding {
  month: string;
  row: CloseRow | null;
  steps: { step: CloseStep; status: 'done' | 'current' | 'pending'; finishedAt: string | null; detail: Record<string, unknown> | null }[];
  totalNano: NanoTotal;
  frozenNano: NanoTotal | null;
  adjustments: Adjustment[];
  reportBuiltAt: string | null;
  deliveries: MessageStatus[];
  rawPruned: boolean;
}

export function monthStanding(core: Core, month: string): MonthStanding {
  const row = getClose(core.db, month) ?? null;
  const done = new Map(stepsOf(core.db, month).map((s) => [s.step, s]));
  const steps = CLOSE_STEPS.map((step) => {
    const s = done.get(step);
    const status: 'done' | 'current' | 'pending' = s ? 'done' : row?.step === step ? 'current' : 'pending';
    return { step, status, finishedAt: s?.finished_at ?? null, detail: s ? (JSON.parse(s.detail) as Record<string, unknown>) : null };
  });
  const frozen = frozenTotals(core.db, month);
  const adjustments = adjustmentsOf(core.db, month);
  const frozenNano = done.has('freeze') ? sumTotal(frozen.values()) : null;
  const totalNano = frozenNano !== null ? adjustments.reduce((t, a) => addTotal(t, a.deltaNano), frozenNano) : sumTotal(countedByProvider(core.db, month).values());
  const report = core.db.prepare('SELECT built_at FROM month_reports WHERE month = ?').get(month) as { built_at: string } | undefined;
  const pruned = prunedBefore(core.db);
  return {
    month,
    row,
    steps,
    totalNano,
    frozenNano,
    adjustments,
    reportBuiltAt: report?.built_at ?? null,
    deliveries: reportMessages(core, month),
    rawPruned: pruned !== null && monthDays(month).from < pruned,
  };
}

/** The current month, every month with spend or a close, newest first (at most `limit`). */
export function monthsToShow(core: Core, limit = 13): string[] {
  const current = localMonth(core.clock.now(), core.timeZone);
  const months = new Set<string>([current]);
  for (const r of core.db.prepare('SELECT DISTINCT substr(local_day, 1, 7) AS m FROM daily_rollups').all() as { m: string }[]) if (r.m <= current) months.add(r.m);
  for (const r of listCloses(core.db)) months.add(r.month);
  if (months.size === 1) months.add(addMonths(current, -1));
  return [...months].sort().reverse().slice(0, limit);
}
