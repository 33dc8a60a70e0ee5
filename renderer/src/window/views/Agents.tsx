import { AGENT_TITLES } from '../../../../src/model/agent-titles';
import { useState, type FormEvent } from 'react';
import type { AgentFamilyView, AgentView, ImportResultView } from '../../../../src/api/contract/agents';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { Money } from '../../components/Money';
import { right, Table } from '../../components/Table';
import { localDateTime } from '../../format/time';
import { useClient } from '../../hooks/client';
import { useAction, useCall } from '../../hooks/useCall';
import { useLedgerZone } from '../../hooks/useLedgerZone';
import { useFieldErrors } from '../../hooks/useFieldErrors';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;


/**
 * The coding agents whose local logs feed the ledger: where their logs are, what was imported, and
 * how each is billed. An agent found whose billing is not set yet is asked about here (once).
 */
export function Agents() {
  const agents = useCall('agentsList', {}, { refreshOn: ['statusChanged'] });
  const zone = useLedgerZone();
  const list = agents.data?.agents ?? [];
  const found = list.filter((a) => a.found);

  return (
    <div className="stack">
      <ErrorNote error={agents.error} onRetry={agents.reload} />
      {agents.loading && !agents.data ? <Loading /> : null}
      {agents.data && found.length === 0 ? (
        <EmptyState title="No coding agent logs on this computer">
          Burnrate reads the local logs of Claude Code, the Codex CLI and Gemini CLI. None of their folders exists yet; they are imported as soon as an agent writes one.
        </EmptyState>
      ) : null}
      {found.map((a) => (
        <AgentCard key={a.agent} agent={a} zone={zone} onChanged={agents.reload} />
      ))}
      {agents.data ? <ImportCard onImported={agents.reload} /> : null}
    </div>
  );
}

type AgentChoice = AgentView['agent'] | '';

/**
 * Import now: every agent from its usual folders, or one agent from a folder the user names (logs
 * copied from another computer, a custom config folder), as the import method allows.
 */
function ImportCard({ onImported }: { onImported: () => void }) {
  const importNow = useAction('agentsImport');
  // A folder of the user's choosing is read only for the desktop app: over HTTP (burnrate serve) a
  // holder of the token must not make the core read any path of this machine (src/server/api.ts).
  const local = useClient().transport === 'ipc';
  const [agent, setAgent] = useState<AgentChoice>('');
  const [folder, setFolder] = useState('');
  const [imported, setImported] = useState<ImportResultView>();
  const form = useFieldErrors<'agent' | 'folder'>(importNow, { agent: 'agent', path: 'folder' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setImported(undefined);
    // A folder holds one agent's logs: read as every agent's, they would be misread.
    if (!form.check({ agent: folder.trim() && !agent ? 'Choose whose logs the folder holds.' : undefined })) return;
    const r = await importNow.run({ ...(agent ? { agent } : {}), ...(folder.trim() ? { path: folder.trim() } : {}) });
    if (r) {
      setImported(r);
      onImported();
    }
  };

  return (
    <Card title="Import">
      <p className="muted small">New lines are imported within seconds while Burnrate runs. Import now picks up at once whatever the logs gained since the last import.</p>
      <form ref={form.formRef} className="action-form" onSubmit={submit} noValidate aria-label="Import agent logs">
        <div className="form-row">
          <Field label="Agent" error={form.errorOf('agent')}>
            <select value={agent} onChange={form.onEdit('agent', (v) => setAgent(v as AgentChoice))}>
              <option value="">Every agent</option>
              {(Object.keys(AGENT_TITLES) as AgentView['agent'][]).map((a) => (
                <option key={a} value={a}>
                  {AGENT_TITLES[a]}
                </option>
              ))}
            </select>
          </Field>
          {local ? (
            <Field label="Folder (optional)" error={form.errorOf('folder')} hint="Leave empty for the agent's usual folders." className="grow">
              <input type="text" autoComplete="off" spellCheck={false} value={folder} onChange={form.onEdit('folder', setFolder)} />
            </Field>
          ) : null}
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={importNow.busy}>
            {importNow.busy ? 'Importing…' : 'Import now'}
          </button>
        </div>
        <ErrorNote error={form.refusal} />
      </form>
      {imported ? (
        <SuccessNote>
          {imported.agents
            .filter((r) => r.files > 0)
            .map((r) => `${AGENT_TITLES[r.agent]}: ${plural(r.added, 'response')} added, ${r.updated} updated${r.skipped ? `, ${plural(r.skipped, 'line')} skipped` : ''}.`)
            .join(' ') || 'Nothing new.'}
        </SuccessNote>
      ) : null}
      {imported?.agents.flatMap((r) => r.problems).map((p) => (
        <p key={p} className="text-warn small">
          {p}
        </p>
      ))}
    </Card>
  );
}

function AgentCard({ agent: a, zone, onChanged }: { agent: AgentView; zone: string | undefined; onChanged: () => void }) {
  const setBilling = useAction('agentsSetBilling');
  const choose = async (mode: 'api' | 'subscription') => {
    if (await setBilling.run({ agent: a.agent, mode })) onChanged();
  };
  return (
    <Card title={AGENT_TITLES[a.agent]}>
      {a.billing === null ? (
        <div className="note agent-ask" role="group" aria-label={`How is ${AGENT_TITLES[a.agent]} billed?`}>
          <p>
            <strong>How is {AGENT_TITLES[a.agent]} billed?</strong> Until you say, its cost counts as spend.
          </p>
          <div className="agent-actions">
            <button type="button" className="btn btn-secondary" onClick={() => void choose('api')} disabled={setBilling.busy}>
              With an API key (counts as spend)
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => void choose('subscription')} disabled={setBilling.busy}>
              On a subscription (value only)
            </button>
          </div>
        </div>
      ) : null}
      <ErrorNote error={setBilling.error} />
      <dl className="agent-facts">
        <dt>Billing</dt>
        <dd>
          {a.billing === null ? 'Not set' : a.billing === 'api' ? 'API key: its cost is spend.' : 'Subscription: shown as API-equivalent value, not spend.'}
          {a.billing !== null ? (
            <>
              {' '}
              <button type="button" className="link" onClick={() => void choose(a.billing === 'api' ? 'subscription' : 'api')} disabled={setBilling.busy}>
                {a.billing === 'api' ? 'Change to subscription' : 'Change to API key'}
              </button>
            </>
          ) : null}
        </dd>
        <dt>{a.countsAsSpend ? 'Cost at API prices' : 'API-equivalent value'}</dt>
        <dd>
          <Money usd={a.apiValueUsd} />
          {a.unpricedRows > 0 ? <span className="muted"> (+{plural(a.unpricedRows, 'response')} of unpriced models)</span> : null}
        </dd>
        <dt>Responses</dt>
        <dd>
          {plural(a.rows, 'response')} from {plural(a.files, 'log')}{a.skipped > 0 ? `; ${plural(a.skipped, 'unreadable line')} skipped` : ''}
        </dd>
        <dt>Last import</dt>
        <dd>{a.lastImport ? localDateTime(a.lastImport, zone) : 'Never'}</dd>
        <dt>Folders</dt>
        <dd>
          {a.roots.map((r) => (
            <div key={r.path} className="mono small">
              {r.path}
              {r.exists ? '' : <span className="muted"> (absent)</span>}
            </div>
          ))}
        </dd>
      </dl>
      {/* Under the facts with a heading of its own: a table is no value of a "label: value" line. */}
      {a.families.length > 0 ? (
        <section className="agent-families" aria-labelledby={`${a.agent}-families`}>
          <h3 className="subhead" id={`${a.agent}-families`}>
            How each model family is billed
          </h3>
          <FamilyBilling agent={a} onChanged={onChanged} />
        </section>
      ) : null}
    </Card>
  );
}

type FamilyChoice = 'inherit' | 'api' | 'subscription';

const AGENT_MODE_LABEL = { api: 'API key', subscription: 'subscription' } as const;

/**
 * Each model family of an agent, with how it is billed: as its agent (the default), or apart
 * (Claude Code on a Max plan for opus and sonnet, an API key for haiku).
 */
function FamilyBilling({ agent: a, onChanged }: { agent: AgentView; onChanged: () => void }) {
  const setBilling = useAction('agentsSetBilling');
  const [said, setSaid] = useState<string>();
  const choose = async (f: AgentFamilyView, mode: FamilyChoice) => {
    if (await setBilling.run({ agent: a.agent, family: f.family, mode })) {
      setSaid(mode === 'inherit' ? `${f.family} is billed as ${AGENT_TITLES[a.agent]} again.` : `${f.family} is billed ${mode === 'api' ? 'with an API key: its cost is spend' : 'on a subscription: value only, not spend'}.`);
      onChanged();
    }
  };
  const asAgent = `As ${AGENT_TITLES[a.agent]}${a.billing ? ` (${AGENT_MODE_LABEL[a.billing]})` : ' (not set)'}`;
  return (
    <div className="stack">
      <Table columns={['Family', 'Models', right('Responses'), right('Value at API prices'), 'Billed']}>
        {a.families.map((f) => (
          <tr key={f.family}>
            <td>{f.family}</td>
            <td className="mono small agent-models">{f.models.length > 0 ? f.models.join(', ') : <span className="muted">none yet</span>}</td>
            <td className="right">{f.rows}</td>
            <td className="right">
              {/* A family of models the catalogue does not price is unpriced, never $0. */}
              {f.rows > 0 && f.unpricedRows === f.rows ? <span className="muted">unpriced</span> : <Money usd={f.apiValueUsd} />}
              {f.unpricedRows > 0 && f.unpricedRows < f.rows ? <span className="muted"> (+{f.unpricedRows} unpriced)</span> : null}
              {f.countsAsSpend ? null : <span className="muted"> (not spend)</span>}
            </td>
            <td>
              <select
                aria-label={`How ${f.family} is billed`}
                value={f.billing ?? 'inherit'}
                disabled={setBilling.busy}
                onChange={(e) => void choose(f, e.target.value as FamilyChoice)}
              >
                <option value="inherit">{asAgent}</option>
                <option value="api">API key (counts as spend)</option>
                <option value="subscription">Subscription (value only)</option>
              </select>
            </td>
          </tr>
        ))}
      </Table>
      <ErrorNote error={setBilling.error} />
      {said ? <SuccessNote>{said}</SuccessNote> : null}
    </div>
  );
}
