import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../../src/api/contract/odometer';
import { formatMoney } from '../../format/money';
import { useAction } from '../../hooks/useCall';
import { ErrorNote, SuccessNote } from '../Feedback';
import { Field } from '../Field';
import { ProviderSelect } from '../ProviderSelect';
import { validateAmount } from '../reading';
import { SaveButton } from '../SaveButton';

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
  const [errors, setErrors] = useState<{ model?: string; cost?: string; tokens?: string }>({});
  const [done, setDone] = useState<string>();
  const save = useAction('record');
  const name = choices.find((p) => p.provider === provider)?.name ?? provider;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const next: typeof errors = {};
    if (!model.trim()) next.model = 'Name the model, such as llama-3.3-70b.';
    const costChecked = cost.trim() ? validateAmount(cost) : null;
    if (costChecked && 'error' in costChecked) next.cost = costChecked.error.replace('the figure the console shows', 'what it cost');
    for (const t of [inputTokens, outputTokens]) if (t.trim() && !WHOLE.test(t.trim())) next.tokens = 'Tokens are whole numbers, such as 1200.';
    if (!cost.trim() && !inputTokens.trim() && !outputTokens.trim()) next.cost = 'Give what it cost, or its input and output tokens.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
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
    setDone(`Recorded ${result.model} for ${name} on ${result.localDay}: ${result.costUsd !== null ? formatMoney(result.costUsd) : 'no known price'}.`);
    setCost('');
    setInputTokens('');
    setOutputTokens('');
    onSaved?.();
  };

  return (
    <form className="action-form" onSubmit={submit} noValidate aria-label="Record usage by hand">
      <div className="form-row">
        <Field label="Provider">
          <ProviderSelect providers={choices} value={provider} onChange={setProvider} />
        </Field>
        <Field label="Model" error={errors.model} className="grow">
          <input type="text" autoComplete="off" placeholder="llama-3.3-70b" value={model} onChange={(e) => (setModel(e.target.value), setErrors({ ...errors, model: undefined }))} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Cost (USD)" error={errors.cost} hint="Or leave empty and give tokens.">
          <input type="text" inputMode="decimal" autoComplete="off" placeholder="0.42" value={cost} onChange={(e) => (setCost(e.target.value), setErrors({ ...errors, cost: undefined }))} />
        </Field>
        <Field label="Input tokens" error={errors.tokens}>
          <input type="text" inputMode="numeric" autoComplete="off" value={inputTokens} onChange={(e) => (setInputTokens(e.target.value), setErrors({ ...errors, tokens: undefined }))} />
        </Field>
        <Field label="Output tokens">
          <input type="text" inputMode="numeric" autoComplete="off" value={outputTokens} onChange={(e) => (setOutputTokens(e.target.value), setErrors({ ...errors, tokens: undefined }))} />
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
      <div className="form-actions">
        <SaveButton busy={save.busy}>Record usage</SaveButton>
      </div>
      <ErrorNote error={save.error} />
      {done ? <SuccessNote>{done}</SuccessNote> : null}
    </form>
  );
}
