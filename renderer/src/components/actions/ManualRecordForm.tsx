import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../../src/api/contract/odometer';
import { formatMoney } from '../../format/money';
import { useAction } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { Field } from '../Field';
import { FormFooter } from '../FormFooter';
import { ProviderSelect } from '../ProviderSelect';
import { exampleModel } from '../providers';
import { validateAmount } from '../reading';

/** Manual-mode providers first (the ones whose spend is only what is recorded), then the rest. */
export function recordProviders(providers: readonly ProviderView[]): ProviderView[] {
  return [...providers].filter((p) => p.mode !== 'subscription').sort((a, b) => Number(b.mode === 'manual' && b.configured) - Number(a.mode === 'manual' && a.configured) || a.name.localeCompare(b.name));
}

const WHOLE = /^\d+$/;

/**
 * One usage event typed in by hand (the `record` method, as `record`): a model and either what it
 * cost or its tokens (priced from the catalogue).
 */
export function ManualRecordForm({ providers, provider: initialProvider, onSaved }: { providers: readonly ProviderView[]; provider?: string | undefined; onSaved?: () => void }) {
  const choices = recordProviders(providers);
  const [provider, setProvider] = useState(() => (initialProvider && choices.some((p) => p.provider === initialProvider) ? initialProvider : (choices[0]?.provider ?? '')));
  const [model, setModel] = useState('');
  const [cost, setCost] = useState('');
  const [inputTokens, setInputTokens] = useState('');
  const [outputTokens, setOutputTokens] = useState('');
  const [at, setAt] = useState('');
  const [project, setProject] = useState('');
  const save = useAction('record');
  const form = useFieldErrors<'model' | 'cost' | 'input' | 'output'>(save, { model: 'model', cost: 'cost', inputTokens: 'input', outputTokens: 'output' });
  const name = choices.find((p) => p.provider === provider)?.name ?? provider;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const costChecked = cost.trim() ? validateAmount(cost) : null;
    const ok = form.check({
      model: model.trim() ? undefined : `Name the model, such as ${exampleModel(provider)}.`,
      cost:
        costChecked && 'error' in costChecked
          ? costChecked.error.replace('the figure the console shows', 'what it cost')
          : !cost.trim() && !inputTokens.trim() && !outputTokens.trim()
            ? 'Give what it cost, or its input and output tokens.'
            : undefined,
      input: inputTokens.trim() && !WHOLE.test(inputTokens.trim()) ? 'Tokens are whole numbers, such as 1200.' : undefined,
      output: outputTokens.trim() && !WHOLE.test(outputTokens.trim()) ? 'Tokens are whole numbers, such as 1200.' : undefined,
    });
    if (!ok) return;
    const result = await save.run({
      provider,
      model: model.trim(),
      source: 'manual',
      ...(costChecked && 'amount' in costChecked ? { cost: costChecked.amount } : {}),
      ...(inputTokens.trim() ? { inputTokens: Number(inputTokens) } : {}),
      ...(outputTokens.trim() ? { outputTokens: Number(outputTokens) } : {}),
      ...(at ? { at: new Date(at).toISOString() } : {}),
      ...(project.trim() ? { project: project.trim() } : {}),
    });
    if (!result) return;
    form.setDone(`Recorded ${result.model} for ${name} on ${result.localDay}: ${result.costUsd !== null ? formatMoney(result.costUsd) : 'no known price'}.`);
    setCost('');
    setInputTokens('');
    setOutputTokens('');
    onSaved?.();
  };

  return (
    <form ref={form.formRef} className="action-form" onSubmit={submit} noValidate aria-label="Record usage by hand">
      <div className="form-row">
        <Field label="Provider">
          <ProviderSelect providers={choices} value={provider} onChange={(next) => (setProvider(next), form.edited())} />
        </Field>
        <Field label="Model" error={form.errorOf('model')} className="grow">
          <input type="text" autoComplete="off" placeholder={exampleModel(provider)} value={model} onChange={form.onEdit('model', setModel)} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Cost (USD)" error={form.errorOf('cost')} hint="Or leave empty and give tokens.">
          <input type="text" inputMode="decimal" autoComplete="off" placeholder="0.42" value={cost} onChange={form.onEdit('cost', setCost)} />
        </Field>
        <Field label="Input tokens" error={form.errorOf('input')}>
          <input type="text" inputMode="numeric" autoComplete="off" value={inputTokens} onChange={form.onEdit('input', setInputTokens)} />
        </Field>
        <Field label="Output tokens" error={form.errorOf('output')}>
          <input type="text" inputMode="numeric" autoComplete="off" value={outputTokens} onChange={form.onEdit('output', setOutputTokens)} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="When" hint="Leave empty for now.">
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
        </Field>
        <Field label="Project" className="grow">
          <input type="text" value={project} maxLength={200} onChange={(e) => setProject(e.target.value)} />
        </Field>
      </div>
      <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
        Record usage
      </FormFooter>
    </form>
  );
}
