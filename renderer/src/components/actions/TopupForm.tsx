import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../../src/api/contract/odometer';
import { formatMoney } from '../../format/money';
import { useAction } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { Field } from '../Field';
import { FormFooter } from '../FormFooter';
import { ProviderSelect } from '../ProviderSelect';
import { validateAmount } from '../reading';

/** Providers with a prepaid balance read by hand: a top-up is what explains a rise of theirs. */
export function topupProviders(providers: readonly ProviderView[]): ProviderView[] {
  return providers.filter((p) => p.mode === 'balance');
}

/**
 * Money added to a prepaid balance (the `topup` method, as `reading topup`), so the balance's rise
 * is not taken for negative spend.
 */
export function TopupForm({ providers, provider: initialProvider, onSaved }: { providers: readonly ProviderView[]; provider?: string | undefined; onSaved?: () => void }) {
  const choices = topupProviders(providers);
  const [provider, setProvider] = useState(() => (initialProvider && choices.some((p) => p.provider === initialProvider) ? initialProvider : (choices[0]?.provider ?? '')));
  const [amount, setAmount] = useState('');
  const [at, setAt] = useState('');
  const [note, setNote] = useState('');
  const save = useAction('topup');
  const form = useFieldErrors<'amount'>(save, { amount: 'amount' });
  const current = choices.find((p) => p.provider === provider);

  if (choices.length === 0) return <p className="muted small">No provider is tracked by its prepaid balance. Switch one to Prepaid balance under How each provider is tracked.</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateAmount(amount, 'topup');
    const amountError =
      'error' in checked
        ? checked.error
        : /^0*\.?0*$/.test(checked.amount)
          ? 'A top-up adds money: enter the amount you added, such as 20.00.'
          : undefined;
    if (!form.check({ amount: amountError }) || 'error' in checked) return;
    const result = await save.run({
      provider,
      amount: checked.amount,
      ...(at ? { at: new Date(at).toISOString() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    if (!result) return;
    form.setDone(`Recorded a top-up of ${formatMoney(result.topup.amountUsd)} for ${current?.name ?? provider}${result.balance ? `; the balance is now ${formatMoney(result.balance.balanceUsd)}` : ''}.`);
    setAmount('');
    setNote('');
    onSaved?.();
  };

  return (
    <form ref={form.formRef} className="action-form" onSubmit={submit} noValidate aria-label="Record a top-up">
      <div className="form-row">
        <Field label="Provider">
          <ProviderSelect providers={choices} value={provider} onChange={(next) => (setProvider(next), form.edited())} />
        </Field>
        <Field label="Added (USD)" error={form.errorOf('amount')} className="field-amount">
          <input type="text" inputMode="decimal" autoComplete="off" placeholder="20.00" value={amount} onChange={form.onEdit('amount', setAmount)} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="When" hint="Leave empty for now.">
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </Field>
        <Field label="Note" className="grow">
          <input type="text" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </Field>
      </div>
      {current?.balance ? <p className="field-hint">Last balance: {formatMoney(current.balance.balanceUsd)}.</p> : null}
      <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
        Record top-up
      </FormFooter>
    </form>
  );
}
