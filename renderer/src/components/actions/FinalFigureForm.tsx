import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../../src/api/contract/odometer';
import { formatMoney } from '../../format/money';
import { monthName } from '../../format/time';
import { useAction } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { Field } from '../Field';
import { FormFooter } from '../FormFooter';
import { ProviderSelect } from '../ProviderSelect';
import { validateAmount } from '../reading';

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
  const save = useAction('readingAdd');
  const form = useFieldErrors<'month' | 'amount'>(save, { month: 'month', amount: 'amount' });
  const name = choices.find((p) => p.provider === provider)?.name ?? provider;

  if (choices.length === 0) return <p className="muted small">No provider is tracked by month-to-date readings, so no month waits for a final figure.</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateAmount(amount, 'final');
    const ok = form.check({
      month: !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)
        ? 'Choose the month the figure is for, such as 2026-10.'
        : month >= today.slice(0, 7)
          ? 'A final figure is for a month that has ended; pick an earlier month.'
          : undefined,
      amount: 'error' in checked ? checked.error : undefined,
    });
    if (!ok || 'error' in checked) return;
    const result = await save.run({ provider, amount: checked.amount, month, final: true });
    if (!result) return;
    const total = result.month?.totalUsd ?? result.reading.amountUsd;
    form.setDone(`${name} ${monthName(month, true)} is final at ${formatMoney(total)}.`);
    setAmount('');
    onSaved?.();
  };

  return (
    <form ref={form.formRef} className={`action-form${compact ? ' action-form-compact' : ''}`} onSubmit={submit} noValidate aria-label="Enter a month's final figure">
      <div className="form-row">
        <Field label="Provider">
          <ProviderSelect providers={choices} value={provider} onChange={(next) => (setProvider(next), form.edited())} />
        </Field>
        <Field label="Month" error={form.errorOf('month')}>
          <input type="month" value={month} max={previousMonth(today)} onChange={form.onEdit('month', setMonth)} />
        </Field>
        <Field label="Final total (USD)" error={form.errorOf('amount')} className="field-amount">
          <input type="text" inputMode="decimal" autoComplete="off" placeholder="12.34" value={amount} onChange={form.onEdit('amount', setAmount)} />
        </Field>
      </div>
      <p className="field-hint">The month&apos;s total from {name}&apos;s console or invoice; it replaces what the readings made of that month.</p>
      <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
        Save final figure
      </FormFooter>
    </form>
  );
}
