import { useState } from 'react';
import type { ReminderView } from '../../../src/api/contract/odometer';
import { localDateTime, monthName } from '../format/time';
import { useAction, useCall } from '../hooks/useCall';
import { useLedgerZone } from '../hooks/useLedgerZone';
import { hashOf } from '../routes';
import { Card, ErrorNote } from './Feedback';

const SNOOZES = [
  { hours: 4, label: '4 hours' },
  { hours: 24, label: 'a day' },
  { hours: 72, label: '3 days' },
  { hours: 168, label: 'a week' },
] as const;

/** How long to snooze one reminder, and the button that does it. */
function SnoozeControl({ onSnooze }: { onSnooze: (hours: number) => void }) {
  const [hours, setHours] = useState<number>(24);
  return (
    <>
      <select aria-label="Snooze for" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
        {SNOOZES.map((s) => (
          <option key={s.hours} value={s.hours}>
            {s.label}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-small btn-secondary" onClick={() => onSnooze(hours)}>
        Snooze
      </button>
    </>
  );
}

/** A reminder's state in words; a snooze says when it ends, in the ledger's zone. */
function stateText(r: ReminderView, timeZone: string | undefined): string {
  if (r.state === 'snoozed' && r.snoozedUntil) return `Snoozed until ${localDateTime(r.snoozedUntil, timeZone)}`;
  return r.state === 'due' ? 'Due' : r.state === 'dismissed' ? 'Dismissed' : 'Answered';
}

/**
 * Reminders to check a console: the due ones with snooze and dismiss, the snoozed ones (until when,
 * and un-snooze), and, folded away, the dismissed ones. Hidden while there has never been one.
 */
export function RemindersCard() {
  const reminders = useCall('reminders', { dismissed: true }, { refreshOn: ['statusChanged', 'reminderDue'] });
  const snooze = useAction('reminderSnooze');
  const unsnooze = useAction('reminderUnsnooze');
  const dismiss = useAction('reminderDismiss');
  const zone = useLedgerZone();
  const all = reminders.data?.reminders ?? [];
  const open = all.filter((r) => r.state === 'due' || r.state === 'snoozed');
  const dismissed = all.filter((r) => r.state === 'dismissed');
  if (all.length === 0) return <ErrorNote error={reminders.error} onRetry={reminders.reload} />;
  const then = (ok: unknown) => ok && reminders.reload();

  return (
    <Card title="Reminders" className={open.some((r) => r.state === 'due') ? 'card-accent' : undefined}>
      <ErrorNote error={reminders.error ?? snooze.error ?? unsnooze.error ?? dismiss.error} onRetry={reminders.error ? reminders.reload : undefined} />
      {open.length === 0 ? <p className="muted small">Nothing to check right now.</p> : null}
      {open.length > 0 ? (
        <ul className="reminders" aria-label="Reminders">
          {open.map((r) => (
            <li key={r.id} data-state={r.state}>
              <span>
                {r.message} <span className="muted small">{stateText(r, zone)}</span>
              </span>
              <span className="row-actions">
                {r.kind === 'month_final' && r.state === 'due' ? (
                  <a className="btn btn-small btn-primary" href={hashOf({ surface: 'window', view: 'readings', provider: r.provider, action: 'final', month: r.period })}>
                    Enter {monthName(r.period)}&apos;s final figure
                  </a>
                ) : null}
                {r.state === 'snoozed' ? (
                  <button type="button" className="btn btn-small btn-secondary" onClick={async () => then(await unsnooze.run({ id: r.id }))}>
                    Un-snooze
                  </button>
                ) : (
                  <SnoozeControl onSnooze={async (hours) => then(await snooze.run({ id: r.id, hours }))} />
                )}
                <button type="button" className="btn btn-small btn-ghost" onClick={async () => then(await dismiss.run({ id: r.id }))}>
                  Dismiss
                </button>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {dismissed.length > 0 ? (
        <details>
          <summary className="muted small">Dismissed ({dismissed.length})</summary>
          <ul className="reminders" aria-label="Dismissed reminders">
            {dismissed.map((r) => (
              <li key={r.id} data-state={r.state}>
                <span>
                  {r.message} <span className="muted small">{stateText(r, zone)}</span>
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </Card>
  );
}
