import type { Core } from '../../app/open';
import { pruneRawEvents, prunedBefore } from '../../close/retention';
import { monthStanding, monthsToShow, type MonthStanding } from '../../close/status';
import { CLOSE_SETTING_KEYS, closeSettings, failureOf, previousMonth, troubleLine } from '../../close/steps';
import { buildReport, runClose } from '../../close/workflow';
import { setSetting } from '../../ledger/settings';
import { formatUsd, formatUsdOrNull } from '../../money';
import { localMonth } from '../../time';
import type { MonthCloseState, MonthCloseView, closeMethods } from '../contract/close';
import type { HandlersFor } from '../handler';

function stateOf(core: Core, s: MonthStanding): MonthCloseState {
  if (s.row) return s.row.state;
  return s.month >= localMonth(core.clock.now(), core.timeZone) ? 'open' : 'not_closed';
}

export function monthCloseView(core: Core, s: MonthStanding): MonthCloseView {
  return {
    month: s.month,
    state: stateOf(core, s),
    step: s.row?.step ?? null,
    steps: s.steps,
    attempts: s.row?.attempts ?? 0,
    nextAttemptAt: s.row?.next_attempt_at ?? null,
    lastError: s.row ? troubleLine(s.row) : null,
    failure: s.row ? failureOf(s.row) : null,
    startedAt: s.row?.started_at ?? null,
    closedAt: s.row?.closed_at ?? null,
    totalUsd: formatUsd(s.totalNano),
    frozenUsd: formatUsdOrNull(s.frozenNano),
    adjustments: s.adjustments.map((a) => ({ id: a.id, provider: a.provider, deltaUsd: formatUsd(a.deltaNano), reason: a.reason, createdAt: a.createdAt })),
    reportBuiltAt: s.reportBuiltAt,
    deliveries: s.deliveries.map((d) => ({ channelId: d.channelId, kind: d.kind, status: d.status, attempts: d.attempts, lastError: d.lastError, deliveredAt: d.deliveredAt })),
    rawDetail: s.rawPruned ? 'pruned' : 'kept',
  };
}

export const closeHandlers: HandlersFor<typeof closeMethods> = {
  monthClose: async (core, input) => {
    const month = input.month ?? previousMonth(localMonth(core.clock.now(), core.timeZone));
    await runClose(core, month, { now: true, ...(input.skipFinals ? { skipFinals: true } : {}) });
    return monthCloseView(core, monthStanding(core, month));
  },
  monthStatus: (core) => ({
    asOf: core.clock.now().toISOString(),
    timezone: core.timeZone,
    months: monthsToShow(core).map((m) => monthCloseView(core, monthStanding(core, m))),
    settings: closeSettings(core.db),
    prunedBefore: prunedBefore(core.db),
  }),
  report: (core, input) => {
    const stored = core.db.prepare('SELECT html, csv FROM month_reports WHERE month = ?').get(input.month) as { html: string; csv: string } | undefined;
    const adjusted = (core.db.prepare('SELECT COUNT(*) AS n FROM month_adjustments WHERE month = ?').get(input.month) as { n: number }).n > 0;
    // The stored report is the one that was sent; once the month was adjusted, a fresh one shows the adjustments.
    if (stored && !adjusted && !input.fresh) return { month: input.month, format: input.format, origin: 'stored', content: input.format === 'html' ? stored.html : stored.csv };
    const built = buildReport(core, input.month);
    return { month: input.month, format: input.format, origin: 'built', content: input.format === 'html' ? built.html : built.csv };
  },
  prune: (core, input) => pruneRawEvents(core, { dryRun: input.dryRun ?? false }),
  closeSettingsSet: (core, input) => {
    const now = core.clock.now();
    core.db.transaction(() => {
      for (const key of ['afterDays', 'finalsWaitHours', 'retentionDays'] as const) {
        const value = input[key];
        if (value !== undefined) setSetting(core.db, CLOSE_SETTING_KEYS[key], value, now);
      }
    })();
    core.events.emit('statusChanged', { reason: 'settings' });
    return closeSettings(core.db);
  },
};
