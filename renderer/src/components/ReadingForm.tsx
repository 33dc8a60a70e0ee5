import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../src/api/contract/odometer';
import type { Input } from '../api';
import { useAction } from '../hooks/useCall';
import { useFieldErrors } from '../hooks/useFieldErrors';
import { formatMoney } from '../format/money';
import { ErrorNote, SuccessNote } from './Feedback';
import { Field } from './Field';
import { ProviderSelect } from './ProviderSelect';
import { providerName } from './providers';
import { describeReading, validateAmount } from './reading';
import { SaveButton } from './SaveButton';

/** Providers whose spend comes from figures typed in: odometer (month-to-date) or balance (prepaid). */
export function readingProviders(providers: ProviderView[]): ProviderView[] {
  // The ones the user set up or already read come first: they are what the form is for.
  const rank = (p: ProviderView) => (p.configured ? 0 : 2) + (p.lastReading ? 0 : 1);
  return providers.filter((p) => p.mode === 'odometer' || p.mode === 'balance').sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/**
 * Enter a figure from a provider's console. Validates before sending, then says what changed
 * ("Groq November: $1.06 → $1.42"); the server's sentence is shown when it refuses.
 */
export function ReadingForm({
  providers,
  initialProvider,
  autoFocus,
  advanced,
  onSaved,
  onProviderChange,
}: {
  providers: ProviderView[];
  initialProvider?: string | undefined;
  autoFocus?: boolean;
  /** The window's form: date, note and "correct the last reading". */
  advanced?: boolean;
  onSaved?: () => void;
  /** Told when the user picks another provider (the window shows that provider's readings). */
  onProviderChange?: (provider: string) => void;
}) {
  const choices = useMemo(() => readingProviders(providers), [providers]);
  const [provider, setProvider] = useState(() => (initialProvider && choices.some((p) => p.provider === initialProvider) ? initialProvider : (choices[0]?.provider ?? '')));
  const [amount, setAmount] = useState('');
  const [at, setAt] = useState('');
  const [note, setNote] = useState('');
  const [replace, setReplace] = useState(false);
  const save = useAction('readingAdd');
  const form = useFieldErrors<'amount' | 'at'>(save, { amount: 'amount', ...(advanced ? { at: 'at' } : {}) });
  const amountRef = useRef<HTMLInputElement>(null);
  /** What was last sent, so a refusal's fix ("Correct the latest reading") re-sends the same figure. */
  const sent = useRef<Input<'readingAdd'>>(undefined);

  // The provider asked for (a link, a reminder) is taken once per request. A reload of the list after a
  // save must not take the user's choice back: a second save would then correct another provider.
  const applied = useRef(initialProvider && choices.some((p) => p.provider === initialProvider) ? initialProvider : undefined);
  useEffect(() => {
    if (!initialProvider || applied.current === initialProvider || !choices.some((p) => p.provider === initialProvider)) return;
    applied.current = initialProvider;
    setProvider(initialProvider);
  }, [initialProvider, choices]);
  useEffect(() => {
    if (!provider && choices[0]) setProvider(choices[0].provider);
  }, [provider, choices]);
  useEffect(() => {
    if (autoFocus) amountRef.current?.focus();
  }, [autoFocus]);

  const current = choices.find((p) => p.provider === provider);
  if (choices.length === 0) return null;

  const hint = current
    ? current.mode === 'odometer'
      ? `Month-to-date spend from ${current.name}'s console${current.monthToDateUsd ? ` (last: ${formatMoney(current.monthToDateUsd)})` : ''}.`
      : `The prepaid balance ${current.name} shows${current.balance ? ` (last: ${formatMoney(current.balance.balanceUsd)})` : ''}.`
    : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateAmount(amount);
    if (!form.check({ amount: 'error' in checked ? checked.error : undefined }) || 'error' in checked) return;
    await send({
      provider,
      amount: checked.amount,
      ...(advanced && at ? { at: new Date(at).toISOString() } : {}),
      ...(advanced && note.trim() ? { note: note.trim() } : {}),
      ...(advanced && replace ? { replace: true } : {}),
    });
  };

  const send = async (input: Input<'readingAdd'>) => {
    sent.current = input;
    const result = await save.run(input);
    if (!result) return;
    form.setDone(describeReading(result, current?.name ?? providerName(provider)));
    setAmount('');
    // A past time typed for this reading is not the next one's: leave it empty (now) again.
    setAt('');
    setNote('');
    setReplace(false);
    onSaved?.();
  };

  return (
    <form ref={form.formRef} className="reading-form" onSubmit={submit} noValidate aria-label="Enter a reading">
      <div className="form-row">
        <Field label="Provider" className="field-provider">
          <ProviderSelect
            providers={choices}
            value={provider}
            onChange={(next) => {
              setProvider(next);
              form.edited();
              onProviderChange?.(next);
            }}
          />
        </Field>
        <Field label={current?.mode === 'balance' ? 'Balance (USD)' : 'Month to date (USD)'} error={form.errorOf('amount')} className="field-amount">
          <input
            ref={amountRef}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            placeholder="1.42"
            value={amount}
            onChange={form.onEdit('amount', setAmount)}
          />
        </Field>
        {!advanced ? (
          <SaveButton busy={save.busy}>Save</SaveButton>
        ) : null}
      </div>
      {hint ? <p className="field-hint">{hint}</p> : null}
      {advanced ? (
        <>
          <div className="form-row">
            <Field label="Taken at" hint="Leave empty for now." error={form.errorOf('at')}>
              <input type="datetime-local" value={at} onChange={form.onEdit('at', setAt)} />
            </Field>
            <Field label="Note">
              <input type="text" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
            </Field>
          </div>
          <label className="check">
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
            Correct the latest reading instead of adding one
          </label>
          <div className="form-actions">
            <SaveButton busy={save.busy}>Save reading</SaveButton>
          </div>
        </>
      ) : null}
      <ErrorNote error={form.refusal} />
      {save.error?.fix?.action === 'correct_latest_reading' && sent.current?.provider === save.error.fix.provider ? (
        <button type="button" className="btn btn-small btn-secondary" disabled={save.busy} onClick={() => sent.current && void send({ ...sent.current, replace: true })}>
          {save.error.fix.label}
        </button>
      ) : null}
      {form.done ? <SuccessNote>{form.done}</SuccessNote> : null}
    </form>
  );
}
