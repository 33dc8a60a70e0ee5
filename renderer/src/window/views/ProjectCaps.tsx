import { useState, type FormEvent } from 'react';
import type { BudgetView, CapView } from '../../../../src/api/contract/budget';
import { Card, EmptyState, ErrorNote } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { HealthBadge } from '../../components/Health';
import { Money } from '../../components/Money';
import { SaveButton } from '../../components/SaveButton';
import { ACTIONS, right, Table } from '../../components/Table';
import { isUsdString } from '../../format/money';
import { formatPct } from '../../format/numbers';
import { useAction } from '../../hooks/useCall';
import { PROJECT_NAME } from '../../../../src/model/input-patterns';

/** A cap's figures and its Remove button, the same for a provider's and a project's cap. */
export function CapCells({ cap, busy, onRemove }: { cap: Pick<CapView, 'spentUsd' | 'capUsd' | 'usedPct' | 'health'>; busy: boolean; onRemove: () => void }) {
  return (
    <>
      <td className="right">
        <Money usd={cap.spentUsd} />
      </td>
      <td className="right">
        <Money usd={cap.capUsd} />
      </td>
      <td className="right num">{formatPct(cap.usedPct)}</td>
      <td>
        <HealthBadge health={cap.health} />
      </td>
      <td className="right">
        <button type="button" className="btn btn-small btn-ghost" onClick={onRemove} disabled={busy}>
          Remove
        </button>
      </td>
    </>
  );
}

/**
 * Monthly caps per project: the project a request names (X-Burnrate-Project or /p/NAME/ on the
 * proxy) or an agent log's project. Health and alerts as a provider cap; what the proxy does at
 * each is chosen with the other budgets' policies.
 */
export function ProjectCapsCard({ view, onSaved }: { view: BudgetView; onSaved: () => void }) {
  const [project, setProject] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<{ project?: string; amount?: string }>({});
  const save = useAction('budgetSet');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = project.trim();
    const cap = amount.trim().replace(/^\$/, '');
    const next: typeof errors = {};
    if (!PROJECT_NAME.test(name)) next.project = 'Enter the project name as requests give it: 1 to 100 letters, digits, spaces or . @ : / - _';
    if (!isUsdString(cap) || cap.startsWith('-') || Number(cap) === 0) next.amount = 'Enter the monthly cap in US dollars, such as 20.00.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    if (await save.run({ project: name, monthly: cap })) {
      setProject('');
      setAmount('');
      onSaved();
    }
  };
  const remove = async (name: string) => {
    if (await save.run({ project: name, monthly: null })) onSaved();
  };

  return (
    <div id="project-caps">
      <Card title="Project caps">
        {view.projectCaps.length === 0 ? (
          <EmptyState title="No project caps">
            A project cap limits the spend filed under one project in a month: requests through the proxy with the header X-Burnrate-Project or the path /p/NAME/, and
            coding agents' logs of that project.
          </EmptyState>
        ) : (
          <Table columns={['Project', right('Spent'), right('Cap'), right('Used'), 'Health', ACTIONS]}>
            {view.projectCaps.map((c) => (
              <tr key={c.project}>
                <td>{c.project}</td>
                <CapCells cap={c} busy={save.busy} onRemove={() => remove(c.project)} />
              </tr>
            ))}
          </Table>
        )}
        <form className="form-row" onSubmit={submit} noValidate aria-label="Add a project cap">
          <Field label="Project" error={errors.project}>
            <input type="text" value={project} onChange={(e) => setProject(e.target.value)} placeholder="web-app" />
          </Field>
          <Field label="Monthly cap (USD)" error={errors.amount}>
            <input type="text" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="20.00" />
          </Field>
          <SaveButton busy={save.busy}>Set project cap</SaveButton>
        </form>
        <ErrorNote error={save.error} />
      </Card>
    </div>
  );
}
