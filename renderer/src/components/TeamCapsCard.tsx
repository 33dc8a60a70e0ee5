import { useState, type FormEvent } from 'react';
import type { TeamStatus } from '../../../src/api/contract/team';
import { formatMoney } from '../format/money';
import { useAction, useCall } from '../hooks/useCall';
import { useFieldErrors } from '../hooks/useFieldErrors';
import { useProviderNames } from '../hooks/useProviderNames';
import { typedUsd, usdProblem } from './budget-input';
import { ConfirmRemove } from './ConfirmRemove';
import { Card, EmptyState } from './Feedback';
import { Field } from './Field';
import { FormFooter } from './FormFooter';
import { HealthBadge } from './Health';
import { Money } from './Money';
import { ProviderSelect } from './ProviderSelect';
import { providerName } from './providers';
import { ACTIONS, right, Table } from './Table';

/**
 * The team's monthly cap per provider (a provider's spend across every member's machine), set,
 * changed and removed here; alerts fire as the team nears one, as with your own provider caps.
 */
export function TeamCapsCard({ s, onSaved }: { s: TeamStatus; onSaved: () => void }) {
  const providers = useCall('providers', {}, { refreshOn: [] });
  const names = useProviderNames(providers.data);
  const save = useAction('teamBudgetSet');
  const [provider, setProvider] = useState('');
  const [amount, setAmount] = useState('');
  const [confirm, setConfirm] = useState<string>();
  const form = useFieldErrors<'amount'>(save, { monthly: 'amount' });
  const choices = providers.data?.providers ?? [];
  const chosen = provider || choices[0]?.provider || '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check({ amount: usdProblem(amount, 'monthly team cap', false) })) return;
    const r = await save.run({ provider: chosen, monthly: typedUsd(amount) });
    if (!r) return;
    const cap = r.budgets.caps.find((c) => c.provider === chosen);
    setAmount('');
    form.setDone(`${providerName(chosen, names)}: the team's cap is ${cap ? formatMoney(cap.monthlyUsd, { exact: true }) : typedUsd(amount)} a month.`);
    onSaved();
  };
  const remove = async (p: string) => {
    setConfirm(undefined);
    if (!(await save.run({ provider: p, monthly: null }))) return;
    form.setDone(`Removed the team's cap for ${providerName(p, names)}.`);
    // The row and its button are gone: the keyboard carries on at the form, not at the page's top.
    form.formRef.current?.querySelector('select')?.focus();
    onSaved();
  };

  return (
    <Card title="Team provider caps">
      {s.budgets.caps.length === 0 ? (
        <EmptyState title="No team caps">A team cap limits one provider&apos;s spend across every member in a month; the team is alerted as it nears it.</EmptyState>
      ) : (
        <Table columns={['Provider', right('Spent this month'), right('Cap'), 'Health', ACTIONS]}>
          {s.budgets.caps.map((c) => {
            const spend = s.providers.find((p) => p.provider === c.provider);
            return (
              <tr key={c.provider}>
                <td>{providerName(c.provider, names)}</td>
                <td className="right">
                  <Money usd={spend?.monthSpentUsd ?? '0.00'} />
                </td>
                <td className="right">
                  <Money usd={c.monthlyUsd} />
                </td>
                <td>
                  <HealthBadge health={spend?.capHealth ?? 'good'} />
                </td>
                <td className="right nowrap">
                  <ConfirmRemove
                    asking={confirm === c.provider}
                    busy={save.busy}
                    label={`Remove the team's cap for ${providerName(c.provider, names)}`}
                    onAsk={() => setConfirm(c.provider)}
                    onKeep={() => setConfirm(undefined)}
                    onRemove={() => remove(c.provider)}
                  />
                </td>
              </tr>
            );
          })}
        </Table>
      )}
      <form ref={form.formRef} className="form" onSubmit={submit} noValidate aria-label="Set a team provider cap">
        <div className="form-row">
          <Field label="Provider">
            <ProviderSelect providers={choices} value={chosen} onChange={(next) => (setProvider(next), form.edited())} />
          </Field>
          <Field label="Monthly team cap (USD)" hint="Setting it again changes it." error={form.errorOf('amount')}>
            <input type="text" inputMode="decimal" value={amount} onChange={form.onEdit('amount', setAmount)} placeholder="100.00" />
          </Field>
        </div>
        <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
          Set team cap
        </FormFooter>
      </form>
    </Card>
  );
}
