import { useEffect, useState } from 'react';
import type { BudgetView } from '../../../../src/api/contract/budget';
import type { OverrideOrigin, OverrideView } from '../../../../src/api/contract/proxy';
import type { Policy } from '../../../../src/budget/policies';
import { OverrideForm } from '../../components/actions/OverrideForm';
import { Card, EmptyState, ErrorNote, SuccessNote } from '../../components/Feedback';
import { Money } from '../../components/Money';
import { providerName } from '../../components/providers';
import { Table, right } from '../../components/Table';
import { formatMoney } from '../../format/money';
import { localDateTime } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { noteOf, type NoteTurn } from './noteTurn';

/** What the metering proxy does at a budget's line, as the window words it (docs/proxy.md). */
export const POLICY_CHOICES: { value: Policy; label: string; explains: string }[] = [
  { value: 'enforce', label: 'Enforce', explains: 'Enforce: the proxy refuses a request that would pass this budget, before it reaches the provider.' },
  { value: 'warn', label: 'Warn', explains: 'Warn: requests go through; you get the usual alerts as spend nears the budget.' },
  { value: 'off', label: 'Off', explains: 'Off: the proxy ignores this budget.' },
];

interface PolicyRow {
  key: string;
  title: string;
  policy: Policy;
  /** budgetSet's input that names this budget (its current amount unchanged) with the new policy. */
  input: (policy: Policy) => { daily?: string; monthly?: string; provider?: string; project?: string; policy: Policy };
}

function policyRows(view: BudgetView, names?: ReadonlyMap<string, string>): PolicyRow[] {
  const rows: PolicyRow[] = [];
  const { daily, monthly, caps, projects } = view.policies;
  if (view.day.budgetUsd) {
    const amount = view.day.budgetUsd;
    rows.push({ key: 'daily', title: 'Daily budget', policy: daily, input: (policy) => ({ daily: amount, policy }) });
  }
  if (view.month.budgetUsd) {
    const amount = view.month.budgetUsd;
    rows.push({ key: 'monthly', title: 'Monthly budget', policy: monthly, input: (policy) => ({ monthly: amount, policy }) });
  }
  for (const cap of view.caps) {
    if (!cap.proxied) continue; // no request to it passes the proxy: its cap has alerts alone (said under the rows)
    rows.push({
      key: `cap:${cap.provider}`,
      title: `${providerName(cap.provider, names)} cap`,
      policy: caps[cap.provider] ?? 'warn',
      input: (policy) => ({ provider: cap.provider, monthly: cap.capUsd, policy }),
    });
  }
  for (const cap of view.projectCaps) {
    rows.push({
      key: `project:${cap.project}`,
      title: `Project "${cap.project}" cap`,
      policy: projects[cap.project] ?? 'warn',
      input: (policy) => ({ project: cap.project, monthly: cap.capUsd, policy }),
    });
  }
  return rows;
}

/** Each budget's proxy policy (Enforce / Warn / Off), saved as soon as it is picked. */
export function PolicyCard({ view, names, onSaved, turn }: { view: BudgetView; names?: ReadonlyMap<string, string>; onSaved: () => void; turn?: NoteTurn }) {
  const save = useAction('budgetSet');
  const [done, setDone] = useState<string>();
  // A saved choice shows at once, not only once the view is read again (the radio flicked back meanwhile).
  const [saved, setSaved] = useState<Readonly<Record<string, Policy>>>({});
  useEffect(() => setSaved({}), [view]);
  const rows = policyRows(view, names).map((row) => ({ ...row, policy: saved[row.key] ?? row.policy }));
  const unproxied = view.caps.filter((c) => !c.proxied).map((c) => providerName(c.provider, names));

  const choose = async (row: PolicyRow, policy: Policy) => {
    setDone(undefined);
    if (await save.run(row.input(policy))) {
      setSaved((s) => ({ ...s, [row.key]: policy }));
      setDone(`${row.title}: ${POLICY_CHOICES.find((c) => c.value === policy)!.label}.`);
      turn?.take('policies');
      onSaved();
    }
  };

  return (
    <Card title="What the proxy does at each budget">
      <ul className="small muted policy-help">
        {POLICY_CHOICES.map((c) => (
          <li key={c.value}>{c.explains}</li>
        ))}
      </ul>
      {rows.length === 0 ? (
        <EmptyState title="No budget yet">Set a daily or monthly budget or a provider cap, then choose what the proxy does at it.</EmptyState>
      ) : (
        <div className="policy-rows">
          {rows.map((row) => (
            <div key={row.key} className="policy-row">
              <strong>{row.title}</strong>
              <fieldset className="segmented" aria-label={`${row.title} policy`}>
                <legend className="sr-only">{row.title} policy</legend>
                {POLICY_CHOICES.map((c) => (
                  <label key={c.value} className={`segment${row.policy === c.value ? ' checked' : ''}`}>
                    <input type="radio" className="sr-only" name={row.key} value={c.value} checked={row.policy === c.value} disabled={save.busy} onChange={() => void choose(row, c.value)} />
                    {c.label}
                  </label>
                ))}
              </fieldset>
              <p className="small muted">{POLICY_CHOICES.find((c) => c.value === row.policy)!.explains}</p>
            </div>
          ))}
        </div>
      )}
      {unproxied.length > 0 ? (
        <p className="small muted" data-testid="caps-without-proxy">
          No request to {unproxied.join(', ')} passes through the proxy, so {unproxied.length === 1 ? 'its cap raises' : 'their caps raise'} alerts only.
        </p>
      ) : null}
      <ErrorNote error={save.error} />
      {noteOf(turn, 'policies', done) ? <SuccessNote>{done}</SuccessNote> : null}
    </Card>
  );
}

/** Where an override was added or ended, as the log words it. */
const ORIGIN_WORDS: Record<OverrideOrigin, string> = {
  window: 'from the window',
  tray: 'from the tray',
  cli: 'from the command line',
  mcp: 'from an assistant (MCP)',
  api: 'through the API',
};

/** An override's state: Active (with End now), ended early (when, from where) or ran its course. */
function OverrideState({ row, timeZone, ending, onEnd }: { row: OverrideView; timeZone: string; ending: boolean; onEnd: () => void }) {
  if (row.active) {
    return (
      <>
        <strong>Active</strong>{' '}
        <button type="button" className="btn btn-small btn-secondary" disabled={ending} onClick={onEnd} aria-label={`End now: the lift of ${formatMoney(row.amountUsd)} until ${localDateTime(row.endsAt, timeZone)}`}>
          End now
        </button>
      </>
    );
  }
  if (row.endedAt === null) return <span className="muted">Ended</span>;
  return (
    <span className="muted">
      Ended early at {localDateTime(row.endedAt, timeZone)}
      {row.endedBy ? ` ${ORIGIN_WORDS[row.endedBy]}` : ''}
    </span>
  );
}

/** Emergency override: the form, the lift in force and the log of every override (each active one can be ended). */
export function OverridesCard({ view, turn }: { view: BudgetView; turn?: NoteTurn }) {
  const overrides = useCall('overrides', {}, { refreshOn: ['statusChanged'] });
  const end = useAction('overrideEnd');
  const o = overrides.data;
  const endNow = async (id: number) => {
    if (await end.run({ id, by: 'window' })) overrides.reload();
  };
  return (
    <div id="override">
      <Card title="Emergency override">
        <p className="small muted">
          When the proxy refuses requests at an enforced budget, lift every budget line by an amount for a while. Each override is kept below.
        </p>
        {/* An override's own note stays in its form; the other cards' notes go (noteTurn.ts). */}
        <OverrideForm timeZone={view.timezone} budgets={view} onSaved={() => (overrides.reload(), turn?.take('override'))} />
        <ErrorNote error={overrides.error} onRetry={overrides.reload} />
        <ErrorNote error={end.error} />
        {o ? (
          <>
            {/* Only a lift in force is news; "lifted by $0.00" read as if one were. */}
            {o.overrides.some((row) => row.active) ? (
              <p className="small">
                Lifted now by <Money usd={o.liftUsd} />.
              </p>
            ) : null}
            {o.overrides.length === 0 ? (
              <p className="muted small">No override yet.</p>
            ) : (
              <Table columns={[right('Lift'), 'From', 'Until', 'State', 'Note']}>
                {o.overrides.map((row) => (
                  <tr key={row.id}>
                    <td className="right">
                      <Money usd={row.amountUsd} />
                    </td>
                    <td>{localDateTime(row.startsAt, view.timezone)}</td>
                    <td>{localDateTime(row.endsAt, view.timezone)}</td>
                    <td>
                      <OverrideState row={row} timeZone={view.timezone} ending={end.busy} onEnd={() => void endNow(row.id)} />
                    </td>
                    <td>
                      {row.note}
                      {row.by ? <span className="muted">{row.note ? ' · ' : ''}{ORIGIN_WORDS[row.by]}</span> : null}
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </>
        ) : null}
      </Card>
    </div>
  );
}
