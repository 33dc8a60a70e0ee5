import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../src/api/contract/odometer';
import { useAction } from '../hooks/useCall';
import { useFieldErrors } from '../hooks/useFieldErrors';
import { Field } from './Field';
import { FormFooter } from './FormFooter';
import { ProviderSelect } from './ProviderSelect';

/** The IANA zones this browser knows, UTC first (the default of most providers' billing months). */
function zones(current: readonly string[]): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  // A zone already stored stays choosable even where this browser's list lacks it (an alias).
  return [...new Set(['UTC', ...known, ...current])];
}

/**
 * The zone of each provider's billing month: the month a reading or a bill belongs to turns at
 * midnight there. Saving re-files the provider's readings into the months of the new zone.
 */
export function BillingZoneForm({ providers, onSaved }: { providers: readonly ProviderView[]; onSaved: () => void }) {
  const [provider, setProvider] = useState(providers[0]?.provider ?? '');
  const chosen = providers.find((p) => p.provider === provider) ?? providers[0];
  const [zone, setZone] = useState(chosen?.billingTimeZone ?? 'UTC');
  const save = useAction('providerSet');
  const form = useFieldErrors<'zone'>(save, { billingTz: 'zone' });
  const options = useMemo(() => zones(providers.map((p) => p.billingTimeZone)), [providers]);

  // Choosing another provider shows its own zone.
  const current = chosen?.billingTimeZone;
  useEffect(() => {
    if (current) setZone(current);
  }, [provider, current]);

  if (!chosen) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check({ zone: options.includes(zone) ? undefined : 'Choose a time zone from the list, such as UTC or America/Los_Angeles.' })) return;
    const result = await save.run({ provider: chosen.provider, billingTz: zone });
    if (!result) return;
    form.setDone(`${result.name}'s billing month now runs on ${result.billingTimeZone} time.`);
    onSaved();
  };

  return (
    <form ref={form.formRef} className="form" onSubmit={submit} noValidate aria-label="Billing month time zone">
      <div className="form-row">
        <Field label="Provider">
          <ProviderSelect providers={providers} value={chosen.provider} onChange={(p) => (setProvider(p), form.edited())} />
        </Field>
        <Field
          label="Billing month's time zone"
          className="grow"
          hint={`Now ${chosen.billingTimeZone}. The month turns at midnight in this zone; readings already taken move to the months of the new one.`}
          error={form.errorOf('zone')}
        >
          <select value={zone} onChange={form.onEdit('zone', setZone)}>
            {options.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
        Save time zone
      </FormFooter>
    </form>
  );
}
