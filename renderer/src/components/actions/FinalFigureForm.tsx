import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../../src/api/contract/odometer';
import { formatMoney } from '../../format/money';
import { monthName } from '../../format/time';
import { useAction } from '../../hooks/useCall';
import { ErrorNote, SuccessNote } from '../Feedback';
import { Field } from '../Field';
import { ProviderSelect } from '../ProviderSelect';
import { validateAmount } from '../reading';
import { SaveButton } from '../SaveButton';

/** The month before `today` (YYYY-MM-DD): the one a month-end figure is usually for. */
export function previousMonth(today: string): string {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Odometer providers: the ones whose months close on a final figure. */
export function finalFigureProviders(providers: readonly ProviderView[]): ProviderView[] {
  return providers.filter((p) => p.mode === 'odometer');
}

/**
 * A past month's final figure, from the provider's console or invoice (readingAdd with month and
 * final, as `reading add --month --final`): the month's total becomes exactly that figure.
 */
export function FinalFigureForm({
  providers,
  provider: initialProvider,
  month: initialMonth,
  today,
  onSaved,
  compact,
}: {
  providers: readonly ProviderView[];
  provider?: string | undefined;
  month?: string | undefined;
  /** Today's date (YYYY-MM-DD), for the default month. */
  today: string;
  onSaved?: () => void;
  compact?: boolean;
}) {
  const choices = finalFigureProviders(providers);
  const [provider, setProvider] = useState(() => (initialProvider && choices.some((p) => p.provider === initialProvider) ? initialProvider : (choices[0]?.provider ?? '')));
  const [month, setMonth] = useState(initialMonth ?? previousMonth(today));
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<{ month?: string; amount?: string }>({});
  const [done, setDone] = useState<string>();
  const save = useAction('readingAdd');
  const name = choices.find((p) => p.provider === provider)?.name ?? provider;

  if (choices.length === 0) return <p className="muted small">No provider is tracked by month-to-date readings, so no month waits for a final figure.</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const next: typeof errors = {};
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) next.month = 'Choose the month the figure is for, such as 2026-10.';
    else if (month >= today.slice(0, 7)) next.month = 'A final figure is for a month that has ended; pick an earlier month.';
    const checked = validateAmount(amount);
    if ('error' in checked) next.amount = checked.error.replace('the figure the console shows', `${monthName(month.length === 7 ? month : today.slice(0, 7))}'s total`);
    setErrors(next);
    if (Object.keys(next).length > 0 || 'error' in checked) return;
    const result = await save.run({ provider, amount: checked.amount, month, final: true });
    if (!result) return;
    const total = result.month?.totalUsd ?? result.reading.amountUsd;
    setDone(`${name} ${monthName(month, true)} is final at ${formatMoney(total)}.`);
    setAmount('');
    onSaved?.();
  };

  return (
    <form className={`action-form${compact ? ' action-form-compact' : ''}`} onSubmit={submit} noValidate aria-label="Enter a month's final figure">
      <div className="form-row">
        <Field label="Provider">
          <ProviderSelect providers={choices} value={provider} onChange={setProvider} />
        </Field>
        <Field label="Month" error={errors.month}>
          <input type="month" value={month} max={previousMonth(today)} onChange={(e) => (setMonth(e.target.value), setErrors({ ...errors, month: undefined }))} />
        </Field>
        <Field label="Final total (USD)" error={errors.amount} className="field-amount">
          <input type="text" inputMode="decimal" autoComplete="off" placeholder="12.34" value={amount} onChange={(e) => (setAmount(e.target.value), setErrors({ ...errors, amount: undefined }))} />
        </Field>
      </div>
      <p className="field-hint">The month&apos;s total from {name}&apos;s console or invoice; it replaces what the readings made of that month.</p>
      <div className="form-actions">
        <SaveButton busy={save.busy}>Save final figure</SaveButton>
      </div>
      <ErrorNote error={save.error} />
      {done ? <SuccessNote>{done}</SuccessNote> : null}
    </form>
  );
}
