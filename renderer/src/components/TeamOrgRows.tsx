import { useId } from 'react';
import { Field } from './Field';
import { ProviderSelect } from './ProviderSelect';
import { providerName } from './providers';

/** One line of the Join form: this provider's bills belong to that organisation. */
export interface OrgRow {
  /** Stable across edits, for React and the row's field error. */
  key: number;
  provider: string;
  org: string;
}

/** The form field of a row, for useFieldErrors. */
export type OrgField = `org-${number}`;
export const orgField = (row: OrgRow): OrgField => `org-${row.key}`;

/** An organisation id as the contract takes it (src/api/contract/team.ts): org-abc123, a UUID. */
const ORG_ID = /^[\w.:@-]{1,200}$/;

/** Each row's problem, in the rows' order: an id that is not one, or a provider named twice. Rows left empty declare nothing. */
export function orgProblems(rows: readonly OrgRow[], names?: ReadonlyMap<string, string>): Record<OrgField, string | undefined> {
  const out: Record<OrgField, string | undefined> = {};
  rows.forEach((row, i) => {
    const org = row.org.trim();
    if (!org) return;
    if (!ORG_ID.test(org)) out[orgField(row)] = "Enter the organisation id as the provider's console shows it, such as org-abc123.";
    else if (rows.slice(0, i).some((r) => r.org.trim() && r.provider === row.provider)) {
      out[orgField(row)] = `${providerName(row.provider, names)} already has an organisation above: keep one line per provider.`;
    }
  });
  return out;
}

/** The rows as teamJoin takes them ({ openai: "org-abc" }), or undefined when none is filled in. */
export function orgsInput(rows: readonly OrgRow[]): Record<string, string> | undefined {
  const filled = rows.filter((r) => r.org.trim());
  return filled.length > 0 ? Object.fromEntries(filled.map((r) => [r.provider, r.org.trim()])) : undefined;
}

/**
 * Which organisation each provider's bills belong to, a line per provider. Optional: a provider
 * that names its organisation at each sync (OpenAI, Anthropic) is filed under it without one
 * (docs/team.md); a line here overrides that, so an organisation's bill is counted once.
 */
export function TeamOrgRows({
  rows,
  providers,
  onChange,
  errorOf,
}: {
  rows: readonly OrgRow[];
  providers: readonly { provider: string; name: string }[];
  onChange: (rows: OrgRow[], edited?: OrgField) => void;
  errorOf: (field: OrgField) => string | undefined;
}) {
  const labelId = useId();
  const set = (key: number, patch: Partial<OrgRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)), `org-${key}`);
  const add = () => {
    const unused = providers.find((p) => !rows.some((r) => r.provider === p.provider)) ?? providers[0];
    if (unused) onChange([...rows, { key: Math.max(0, ...rows.map((r) => r.key)) + 1, provider: unused.provider, org: '' }]);
  };
  return (
    <div role="group" aria-labelledby={labelId} className="stack-tight">
      <div>
        <span className="label-text" id={labelId}>
          Organisations (optional)
        </span>
        <p className="field-hint">
          Which organisation each provider&apos;s bills belong to, so members of one organisation count its bill once. Without a line, what the provider
          says at each sync is used.
        </p>
      </div>
      {rows.map((row) => (
        <div className="form-row" key={row.key}>
          <Field label="Provider">
            <ProviderSelect providers={providers} value={row.provider} onChange={(provider) => set(row.key, { provider })} />
          </Field>
          <Field label="Organisation id" className="grow" error={errorOf(orgField(row))}>
            <input type="text" autoComplete="off" spellCheck={false} value={row.org} onChange={(e) => set(row.key, { org: e.target.value })} placeholder="org-abc123" />
          </Field>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange(rows.filter((r) => r.key !== row.key), orgField(row))} aria-label={`Remove the organisation line of ${providerName(row.provider)}`}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="btn btn-small btn-secondary" onClick={add} disabled={providers.length === 0}>
          Add an organisation
        </button>
      </div>
    </div>
  );
}
