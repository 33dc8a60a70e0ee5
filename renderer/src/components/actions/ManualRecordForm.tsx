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

type RecordField = 'model' | 'cost' | 'input' | 'output' | 'cached' | 'cacheWrite' | 'id';

/** A token count typed in: empty (none), or a whole number. */
const tokenError = (raw: string) => (raw.trim() && !/^\d+$/.test(raw.trim()) ? 'Tokens are whole numbers, such as 1200.' : undefined);

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
  const [cachedTokens, setCachedTokens] = useState('');
  const [cacheWriteTokens, setCacheWriteTokens] = useState('');
  const [id, setId] = useState('');
  const [at, setAt] = useState('');
  const [project, setProject] = useState('');
  const save = useAction('record');
  const form = useFieldErrors<RecordField>(save, { model: 'model', cost: 'cost', inputTokens: 'input', outputTokens: 'output', cachedInputTokens: 'cached', cacheWriteTokens: 'cacheWrite', id: 'id' });
  const name = choices.find((p) => p.provider === provider)?.name ?? provider;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const costChecked = cost.trim() ? validateAmount(cost, 'cost') : null;
    const tokens = { input: inputTokens, output: outputTokens, cached: cachedTokens, cacheWrite: cacheWriteTokens };
    const ok = form.check({
      model: model.trim() ? undefined : `Name the model, such as ${exampleModel(provider)}.`,
      cost:
        costChecked && 'error' in costChecked
          ? costChecked.error
          : !cost.trim() && !inputTokens.trim() && !outputTokens.trim()
            ? 'Give what it cost, or its input and output tokens.'
            : undefined,
      input: tokenError(tokens.input),
      output: tokenError(tokens.output),
      cached: tokenError(tokens.cached),
      cacheWrite: tokenError(tokens.cacheWrite),
    });
    if (!ok) return;
    const result = await save.run({
      provider,
      model: model.trim(),
      source: 'manual',
      ...(costChecked && 'amount' in costChecked ? { cost: costChecked.amount } : {}),
      ...(inputTokens.trim() ? { inputTokens: Number(inputTokens) } : {}),
      ...(outputTokens.trim() ? { outputTokens: Number(outputTokens) } : {}),
      ...(cachedTokens.trim() ? { cachedInputTokens: Number(cachedTokens) } : {}),
      ...(cacheWriteTokens.trim() ? { cacheWriteTokens: Number(cacheWriteTokens) } : {}),
      ...(id.trim() ? { id: id.trim() } : {}),
      ...(at ? { at: new Date(at).toISOString() } : {}),
      ...(project.trim() ? { project: project.trim() } : {}),
    });
    if (!result) return;
    form.setDone(`Recorded ${result.model} for ${name} on ${result.localDay}: ${result.costUsd !== null ? formatMoney(result.costUsd) : 'no known price'}.`);
    setCost('');
    setInputTokens('');
    setOutputTokens('');
    setCachedTokens('');
    setCacheWriteTokens('');
    setId('');
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
          <input type="text" inputMode="decimal" autoComplete="off" value={cost} onChange={form.onEdit('cost', setCost)} />
        </Field>
        <Field label="Input tokens" error={form.errorOf('input')}>
          <input type="text" inputMode="numeric" autoComplete="off" value={inputTokens} onChange={form.onEdit('input', setInputTokens)} />
        </Field>
        <Field label="Output tokens" error={form.errorOf('output')}>
          <input type="text" inputMode="numeric" autoComplete="off" value={outputTokens} onChange={form.onEdit('output', setOutputTokens)} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Cached input tokens" error={form.errorOf('cached')} hint="Input read from the cache, if any.">
          <input type="text" inputMode="numeric" autoComplete="off" value={cachedTokens} onChange={form.onEdit('cached', setCachedTokens)} />
        </Field>
        <Field label="Cache write tokens" error={form.errorOf('cacheWrite')} hint="Input written to the cache, if any.">
          <input type="text" inputMode="numeric" autoComplete="off" value={cacheWriteTokens} onChange={form.onEdit('cacheWrite', setCacheWriteTokens)} />
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
      <div className="form-row">
        <Field label="Event ID (optional)" error={form.errorOf('id')} hint="The same ID again counts once, so recording it twice is safe." className="grow">
          <input type="text" autoComplete="off" value={id} maxLength={200} onChange={form.onEdit('id', setId)} />
        </Field>
      </div>
      <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
        Record usage
      </FormFooter>
    </form>
  );
}
