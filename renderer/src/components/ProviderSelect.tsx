import type { SelectHTMLAttributes } from 'react';

/**
 * A picker of providers by display name. Other props (the id and descriptions a Field adds, a
 * disabled flag) go to the select itself.
 */
export function ProviderSelect({
  providers,
  onChange,
  ...select
}: { providers: readonly { provider: string; name: string }[]; value: string; onChange: (provider: string) => void } & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'>) {
  return (
    <select {...select} onChange={(e) => onChange(e.target.value)}>
      {providers.map((p) => (
        <option key={p.provider} value={p.provider}>
          {p.name}
        </option>
      ))}
    </select>
  );
}
