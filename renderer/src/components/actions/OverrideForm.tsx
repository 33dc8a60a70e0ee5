import { useRef, useState, type FormEvent } from 'react';
import type { BudgetView } from '../../../../src/api/contract/budget';
import type { OverridesView } from '../../../../src/api/contract/proxy';
import { formatMoney, isUsdString, toNano } from '../../format/money';
import { localDateTime } from '../../format/time';
import { useAction } from '../../hooks/useCall';
import { useConfirmFocus } from '../../hooks/useConfirmFocus';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { Field } from '../Field';
import { FormFooter } from '../FormFooter';
import { providerName } from '../providers';

/** The contract's limit on an override's note (src/api/contract/proxy.ts), checked here first. */
const NOTE_MAX = 200;

/** The lengths offered; "midnight" is worked out when the form is sent, in the budget day's zone. */
export const OVERRIDE_LENGTHS = [
  { value: '30m', label: '30 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '2h', label: '2 hours' },
  { value: '4h', label: '4 hours' },
  { value: '8h', label: '8 hours' },
  { value: 'midnight', label: 'Until midnight' },
  { value: '1d', label: '1 day' },
  { value: '3d', label: '3 days' },
  { value: '7d', label: '1 week' },
] as const;
type Length = (typeof OVERRIDE_LENGTHS)[number]['value'];

/** The form as it opens, and as it is again after an override is saved. */
const FRESH: { amount: string; length: Length; note: string } = { amount: '5.00', length: '2h', note: '' };

/** Whole minutes from `now` to the next midnight in `timeZone` (at least 1), as the contract's "90m". */
export function minutesToMidnight(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = get('hour') * 60 + get('minute') + (get('second') > 0 ? 1 : 0);
  return Math.max(1, 24 * 60 - elapsed);
}

/** A budget an override lifts, as the confirmation names it. */
export interface LiftedBudget {
  name: string;
  usd: string;
}

/** The largest budget set (daily, monthly, a provider or project cap); null when none is. */
export function largestBudget(view: BudgetView | undefined): LiftedBudget | null {
  if (!view) return null;
  const all: LiftedBudget[] = [
    ...(view.day.budgetUsd ? [{ name: 'daily budget', usd: view.day.budgetUsd }] : []),
    ...(view.month.budgetUsd ? [{ name: 'monthly budget', usd: view.month.budgetUsd }] : []),
    ...view.caps.filter((c) => c.proxied).map((c) => ({ name: `${providerName(c.provider)} cap`, usd: c.capUsd })), // an override lifts no cap the proxy cannot meter
    ...view.projectCaps.map((c) => ({ name: `project "${c.project}" cap`, usd: c.capUsd })),
  ];
  return all.reduce<LiftedBudget | null>((max, b) => (max === null || toNano(b.usd) > toNano(max.usd) ? b : max), null);
}

/**
 * Emergency override (the `override` method): lift every enforced budget line by an amount for a
 * while, so the metering proxy lets requests through again. Compact in the popover (no note there).
 * A lift above the largest budget (`budgets`) switches enforcement off in effect, so it asks first.
 */
export function OverrideForm({ timeZone, budgets, compact = false, onSaved }: { timeZone: string; budgets?: BudgetView; compact?: boolean; onSaved?: (view: OverridesView) => void }) {
  const [amount, setAmount] = useState(FRESH.amount);
  const [length, setLength] = useState<Length>(FRESH.length);
  const [note, setNote] = useState(FRESH.note);
  // The lift waiting for Confirm: asked when it is more than the largest budget.
  const [confirming, setConfirming] = useState<{ usd: string; over: LiftedBudget }>();
  const amountRef = useRef<HTMLInputElement>(null);
  const save = useAction('override');
  const form = useFieldErrors<'amount' | 'note'>(save, { usd: 'amount', note: 'note' });
  // Asked, the focus is on Change (nothing is sent); Escape withdraws the question and hands the focus back to Override.
  const question = useConfirmFocus(confirming !== undefined, () => setConfirming(undefined), () => form.formRef.current?.querySelector<HTMLElement>('button[type="submit"]'));

  const send = async (usd: string) => {
    setConfirming(undefined);
    const duration = length === 'midnight' ? `${minutesToMidnight(new Date(), timeZone)}m` : length;
    const result = await save.run({ usd, for: duration, by: compact ? 'tray' : 'window', ...(note.trim() ? { note: note.trim() } : {}) });
    if (!result) return;
    // The amount, length and note were this override's, not the next one's: the form starts afresh
    // (keeping the amount while the note went read as if half of it had been kept on purpose).
    setAmount(FRESH.amount);
    setLength(FRESH.length);
    setNote(FRESH.note);
    const added = result.overrides[0];
    form.setDone(added ? `Budgets lifted by ${formatMoney(added.amountUsd)} until ${localDateTime(added.endsAt, timeZone)}.` : 'Override saved.');
    onSaved?.(result);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = amount.trim().replace(/^\$/, '');
    const bad = !isUsdString(text) || text.startsWith('-') || /^0*\.?0*$/.test(text);
    if (
      !form.check({
        amount: bad ? 'Enter how far to lift the budgets in US dollars, such as 5.00.' : undefined,
        note: note.trim().length > NOTE_MAX ? `Shorten the note to ${NOTE_MAX} characters or fewer.` : undefined,
      })
    )
      return;
    const over = largestBudget(budgets);
    if (over && toNano(text) > toNano(over.usd)) {
      setConfirming({ usd: text, over });
      return;
    }
    await send(text);
  };

  /** Back to the form with everything as typed, the amount focused. */
  const change = () => {
    setConfirming(undefined);
    amountRef.current?.focus();
  };

  // Editing anything while asked withdraws the question: the next Override checks again.
  const edit = (field: 'amount' | 'note', set: (v: string) => void) => form.onEdit(field, (v: string) => (set(v), setConfirming(undefined)));

  return (
    <form ref={form.formRef} className={compact ? 'form-row' : 'form'} onSubmit={submit} noValidate aria-label="Override the budgets">
      <Field label="Lift by (USD)" error={form.errorOf('amount')} {...(compact ? {} : { hint: 'Every enforced budget lets this much more through while the override lasts.' })}>
        <input ref={amountRef} type="text" inputMode="decimal" value={amount} onChange={edit('amount', setAmount)} placeholder="5.00" />
      </Field>
      <Field label="For">
        <select value={length} onChange={(e) => (setLength(e.target.value as Length), setConfirming(undefined), form.edited())}>
          {OVERRIDE_LENGTHS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </Field>
      {compact ? null : (
        <Field label="Note" error={form.errorOf('note')} hint="Optional: why, kept in the list of overrides.">
          <input type="text" value={note} onChange={edit('note', setNote)} placeholder="Demo for the board" />
        </Field>
      )}
      {confirming ? (
        <div {...question.scope} className="note note-warning" role="alert" aria-label="Confirm the override">
          <p>
            Lift by {formatMoney(confirming.usd)}? That is more than the whole {confirming.over.name} ({formatMoney(confirming.over.usd)}).
          </p>
          <div className="form-actions">
            <button type="button" className="btn btn-small btn-primary" disabled={save.busy} onClick={() => void send(confirming.usd)}>
              Confirm
            </button>
            <button ref={question.answerRef} type="button" className="btn btn-small btn-ghost" onClick={change}>
              Change
            </button>
          </div>
        </div>
      ) : (
        <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
          Override
        </FormFooter>
      )}
    </form>
  );
}
