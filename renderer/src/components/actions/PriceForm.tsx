import { useEffect, useState, type FormEvent } from 'react';
import { formatMoney } from '../../format/money';
import { useAction } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { Field } from '../Field';
import { FormFooter } from '../FormFooter';
import { ProviderSelect } from '../ProviderSelect';
import { exampleModel } from '../providers';
import { validateAmount } from '../reading';

type Prices = { input: string; output: string; cachedInput: string; cacheWrite: string };
const EMPTY: Prices = { input: '', output: '', cachedInput: '', cacheWrite: '' };
const LABELS: Record<keyof Prices, string> = { input: 'Input', output: 'Output', cachedInput: 'Cache read', cacheWrite: 'Cache write' };

/**
 * Your own price for a model, in USD per million tokens (the `priceSet` method, as `prices set`).
 * It wins over the bundled price and prices the usage that had none.
 */
export function PriceForm({
  providers,
  provider: initialProvider,
  model: initialModel,
  onSaved,
}: {
  providers: readonly { provider: string; name: string }[];
  provider?: string | undefined;
  model?: string | undefined;
  onSaved?: () => void;
}) {
  const [provider, setProvider] = useState(initialProvider ?? providers[0]?.provider ?? '');
  const [model, setModel] = useState(initialModel ?? '');
  const [prices, setPrices] = useState<Prices>(EMPTY);
  const save = useAction('priceSet');
  const form = useFieldErrors<keyof Prices | 'model'>(save, { model: 'model', input: 'input', output: 'output', cachedInput: 'cachedInput', cacheWrite: 'cacheWrite' });
  // A link ("Set a price" beside an unpriced model) fills the form for that model.
  useEffect(() => {
    if (initialProvider) setProvider(initialProvider);
    if (initialModel) setModel(initialModel);
  }, [initialProvider, initialModel]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<keyof Prices | 'model', string>> = {};
    if (!model.trim()) next.model = 'Name the model, as its usage shows it.';
    const checked: Partial<Prices> = {};
    for (const key of Object.keys(EMPTY) as (keyof Prices)[]) {
      const raw = prices[key];
      if (!raw.trim()) {
        if (key === 'input' || key === 'output') next[key] = `Enter the ${LABELS[key].toLowerCase()} price per million tokens, such as 1.25.`;
        continue;
      }
      const v = validateAmount(raw, 'price');
      if ('error' in v) next[key] = v.error;
      else checked[key] = v.amount;
    }
    if (!form.check(next)) return;
    const result = await save.run({ provider, model: model.trim(), input: checked.input!, output: checked.output!, ...(checked.cachedInput ? { cachedInput: checked.cachedInput } : {}), ...(checked.cacheWrite ? { cacheWrite: checked.cacheWrite } : {}) });
    if (!result) return;
    const repriced = result.repricedEvents > 0 ? ` ${result.repricedEvents} earlier usage ${result.repricedEvents === 1 ? 'row is' : 'rows are'} now priced.` : '';
    form.setDone(`${result.model} now costs ${formatMoney(result.perMillion.input)} in and ${formatMoney(result.perMillion.output)} out per million tokens.${repriced}`);
    setPrices(EMPTY);
    onSaved?.();
  };

  return (
    <form ref={form.formRef} className="action-form" onSubmit={submit} noValidate aria-label="Set a price">
      <div className="form-row">
        <Field label="Provider">
          <ProviderSelect providers={providers} value={provider} onChange={(next) => (setProvider(next), form.edited())} />
        </Field>
        <Field label="Model" error={form.errorOf('model')} className="grow">
          <input type="text" autoComplete="off" placeholder={exampleModel(provider)} value={model} onChange={form.onEdit('model', setModel)} />
        </Field>
      </div>
      <div className="form-row">
        {(Object.keys(EMPTY) as (keyof Prices)[]).map((key) => (
          <Field key={key} label={`${LABELS[key]} (USD / 1M)`} error={form.errorOf(key)} className="field-amount" hint={key === 'cachedInput' || key === 'cacheWrite' ? 'Empty: as input.' : undefined}>
            <input type="text" inputMode="decimal" autoComplete="off" value={prices[key]} onChange={form.onEdit(key, (value) => setPrices((p) => ({ ...p, [key]: value })))} />
          </Field>
        ))}
      </div>
      <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
        Save price
      </FormFooter>
    </form>
  );
}
