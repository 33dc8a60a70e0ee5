import type { SelectHTMLAttributes } from 'react';

/**
 * A picker of providers by display name. `anyLabel` adds a first choice of no provider (the empty
 * value), for a filter ("All providers"). Other props (the id and descriptions a Field adds, a
 * disabled flag) go to the select itself.
 */
export function ProviderSelect({
  providers,
  anyLabel,
  onChange,
  ...select
}: { providers: readonly { provider: string; name: string }[]; anyLabel?: string; value: string; onChange: (provider: string) => void } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'>) {
  return (
    <select {...select} onChange={(e) => onChange(e.target.value)}>
      {anyLabel !== undefined ? <option value="">{anyLabel}</option> : null}
      {providers.map((p) => (
        <option key={p.provider} value={p.provider}>
          {p.name}
        </option>
      ))}
    </select>
  );
}
