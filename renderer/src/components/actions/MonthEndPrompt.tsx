import { useState } from 'react';
import type { Reminder } from '../../../../src/api/contract';
import type { ProviderView } from '../../../../src/api/contract/odometer';
import { monthName } from '../../format/time';
import { hashOf } from '../../routes';
import { FinalFigureForm } from './FinalFigureForm';

/** The attention items the prompt already shows (each with its action): the popover leaves them out of its list. */
export function promptedByMonthEnd(item: { kind: string }): boolean {
  return item.kind === 'reminder_month_final' || item.kind === 'reminder_month_end';
}

/**
 * The month-end prompt at the top of the popover: a month that closed without a final figure
 * offers "Enter October's final figure" right there (the form opens in place, one click from the
 * tray); a billing month about to end offers the reading form.
 */
export function MonthEndPrompt({ reminders, providers, today, onSaved }: { reminders: readonly Reminder[]; providers: readonly ProviderView[]; today: string; onSaved?: () => void }) {
  // Kept once opened: saving answers the reminder, and the form stays to say what was saved.
  const [open, setOpen] = useState<Reminder>();
  const finals = reminders.filter((r) => r.kind === 'month_final');
  const ending = reminders.find((r) => r.kind === 'month_end');
  const first = open ?? finals[0];
  if (!first && !ending) return null;
  const nameOf = (slug: string) => providers.find((p) => p.provider === slug)?.name ?? slug;
  return (
    <section className="month-end" aria-label="Month end">
      {first ? (
        <>
          <span>{first.message}</span>
          {open ? (
            <FinalFigureForm providers={providers} provider={open.provider} month={open.period} today={today} onSaved={onSaved} compact />
          ) : (
            <div className="month-end-actions">
              {finals.map((r) => (
                <button key={r.id} type="button" className="btn btn-small btn-primary" onClick={() => setOpen(r)}>
                  Enter {finals.length > 1 ? `${nameOf(r.provider)} ` : ''}
                  {monthName(r.period)}&apos;s final figure
                </button>
              ))}
            </div>
          )}
        </>
      ) : null}
      {ending && !open ? (
        <>
          {first ? null : <span>{ending.message}</span>}
          <div className="month-end-actions">
            <a className="btn btn-small btn-secondary" href={hashOf({ surface: 'popover', provider: ending.provider, focus: 'reading' })}>
              Enter {nameOf(ending.provider)}&apos;s month to date
            </a>
          </div>
        </>
      ) : null}
    </section>
  );
}
