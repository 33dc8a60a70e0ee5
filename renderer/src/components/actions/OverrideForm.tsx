import { useState, type FormEvent } from 'react';
import type { OverridesView } from '../../../../src/api/contract/proxy';
import { formatMoney, isUsdString } from '../../format/money';
import { localDateTime } from '../../format/time';
import { useAction } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { Field } from '../Field';
import { FormFooter } from '../FormFooter';

/** The lengths offered; "midnight" is worked out when the form is sent, in the budget day's zone. */
export const OVERRIDE_LENGTHS = [
  { value: '30m', label: '30 minutes' },
  { value: '2h', label: '2 hours' },
  { value: 'midnight', label: 'Until midnight' },
] as const;
type Length = (typeof OVERRIDE_LENGTHS)[number]['value'];

/** Whole minutes from `now` to the next midnight in `timeZone` (at least 1), as the contract's "90m". */
export function minutesToMidnight(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = get('hour') * 60 + get('minute') + (get('second') > 0 ? 1 : 0);
  return Math.max(1, 24 * 60 - elapsed);
}

/**
 * Emergency override (the `override` method): lift every enforced budget line by an amount for a
 * while, so the metering proxy lets requests through again. Compact in the popover.
 */
export function OverrideForm({ timeZone, compact = false, onSaved }: { timeZone: string; compact?: boolean; onSaved?: (view: OverridesView) => void }) {
  const [amount, setAmount] = useState('5.00');
  const [length, setLength] = useState<Length>('2h');
  const save = useAction('override');
  const form = useFieldErrors<'amount'>(save, { usd: 'amount' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = amount.trim().replace(/^\$/, '');
    const bad = !isUsdString(text) || text.startsWith('-') || /^0*\.?0*$/.test(text);
    if (!form.check({ amount: bad ? 'Enter how far to lift the budgets in US dollars, such as 5.00.' : undefined })) return;
    const duration = length === 'midnight' ? `${minutesToMidnight(new Date(), timeZone)}m` : length;
    const result = await save.run({ usd: text, for: duration, note: compact ? 'from the tray' : 'from the window' });
    if (!result) return;
    const added = result.overrides[0];
    form.setDone(added ? `Budgets lifted by ${formatMoney(added.amountUsd)} until ${localDateTime(added.endsAt, timeZone)}.` : 'Override saved.');
    onSaved?.(result);
  };

  return (
    <form ref={form.formRef} className={compact ? 'form-row' : 'form'} onSubmit={submit} noValidate aria-label="Override the budgets">
      <Field label="Lift by (USD)" error={form.errorOf('amount')} {...(compact ? {} : { hint: 'Every enforced budget lets this much more through while the override lasts.' })}>
        <input type="text" inputMode="decimal" value={amount} onChange={form.onEdit('amount', setAmount)} placeholder="5.00" />
      </Field>
      <Field label="For">
        <select value={length} onChange={(e) => (setLength(e.target.value as Length), form.edited())}>
          {OVERRIDE_LENGTHS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </Field>
      <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
        Override
      </FormFooter>
    </form>
  );
}
