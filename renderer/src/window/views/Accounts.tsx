import { useState, type FormEvent } from 'react';
import type { KeyTestView, KeyView } from '../../../../src/api/contract/keys';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { BillingZoneForm } from '../../components/BillingZoneForm';
import { Field } from '../../components/Field';
import { SaveButton } from '../../components/SaveButton';
import { providerName } from '../../components/providers';
import { right, Table } from '../../components/Table';
import { useAction, useCall } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useProviderNames } from '../../hooks/useProviderNames';
import { useClient } from '../../hooks/client';
import { useLedgerZone } from '../../hooks/useLedgerZone';
import { localDateTime } from '../../format/time';
import { toCallError } from '../../api';
import { syncFailureWords } from '../../api/remedies';

/** Provider keys (only their last 4 characters are ever shown), their test, the zone of each billing month, and recent syncs. */
export function Accounts() {
  const keys = useCall('keysList', {}, { refreshOn: ['syncFinished'] });
  const providers = useCall('providers', {}, { refreshOn: [] });
  const runs = useCall('syncRuns', { limit: 10 }, { refreshOn: ['syncFinished', 'statusChanged'] });
  const zone = useLedgerZone();
  const names = useProviderNames(providers.data);
  const data = keys.data;

  return (
    <div className="stack">
      <Card title="Provider keys">
        <ErrorNote error={keys.error} onRetry={keys.reload} />
        {!data && keys.loading ? <Loading /> : null}
        {data && data.keys.length === 0 ? (
          <EmptyState title="No keys yet">
            Add an admin or usage key below and Burnrate fetches what each provider billed, every hour. Keys go to your system's keychain
            ({data.keychain}), never into Burnrate's files.
          </EmptyState>
        ) : null}
        {data && data.keys.length > 0 ? <KeyTable keys={data.keys} names={names} zone={zone} onChanged={keys.reload} /> : null}
        {data ? <KeyForm syncable={data.syncable} names={names} keychain={data.keychain} onSaved={keys.reload} /> : null}
      </Card>
      <Card title="Billing months">
        <ErrorNote error={providers.error} onRetry={providers.reload} />
        {providers.data ? <BillingZoneForm providers={providers.data.providers} onSaved={providers.reload} /> : providers.loading ? <Loading /> : null}
      </Card>
      <Card title="Recent syncs">
        <ErrorNote error={runs.error} onRetry={runs.reload} />
        {runs.data && runs.data.runs.length === 0 ? <EmptyState title="No syncs yet">A sync runs on its own once a key is stored; "Sync now" at the top runs one at once.</EmptyState> : null}
        {runs.data && runs.data.runs.length > 0 ? (
          <Table columns={['Provider', 'Started', 'Outcome', right('Rows'), 'Message']}>
            {runs.data.runs.map((r) => (
              <tr key={r.id}>
                <td>{providerName(r.provider, names)}</td>
                <td className="nowrap num">{localDateTime(r.startedAt, zone)}</td>
                <td>
                  <span className={`pill pill-${r.outcome === 'ok' ? 'ok' : r.outcome === 'error' ? 'bad' : 'neutral'}`}>{r.outcome}</span>
                  {r.trigger === 'schedule' ? <span className="muted small"> scheduled</span> : null}
                </td>
                <td className="right num">{r.rows}</td>
                <SyncMessageCell message={r.message ?? ''} keychainTrouble={r.keychainTrouble} />
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
    </div>
  );
}

const DELETE_KEY = { ask: 'Delete…', yes: 'Delete key', keep: 'Keep' };

/** A run's message; one the user must act on (a key the keychain would not give) wraps whole instead of being cut short. */
function SyncMessageCell({ message, keychainTrouble }: { message: string; keychainTrouble: string | null }) {
  const words = syncFailureWords(message, keychainTrouble);
  return (
    <td className={keychainTrouble ? 'wide' : 'ellipsis wide'} title={words}>
      {words}
    </td>
  );
}

function KeyTable({ keys, names, zone, onChanged }: { keys: KeyView[]; names: ReadonlyMap<string, string>; zone: string | undefined; onChanged: () => void }) {
  const client = useClient();
  const [tests, setTests] = useState<Record<string, KeyTestView | { error: string } | 'running'>>({});
  const del = useAction('keysDelete');
  const [confirming, setConfirming] = useState<string | null>(null);

  const test = async (provider: string) => {
    setTests((t) => ({ ...t, [provider]: 'running' }));
    try {
      const result = await client.call('keysTest', { provider });
      setTests((t) => ({ ...t, [provider]: result }));
    } catch (e) {
      setTests((t) => ({ ...t, [provider]: { error: toCallError(e).message } }));
    }
  };
  const remove = async (provider: string) => {
    const result = await del.run({ provider });
    setConfirming(null);
    if (result) onChanged();
  };

  return (
    <>
      <ErrorNote error={del.error} />
      <ul className="key-list">
        {keys.map((k) => {
          const t = tests[`${k.provider}`];
          return (
            <li key={`${k.provider}-${k.storedIn}`} className="key-row">
              <div className="key-main">
                <span className="provider-name">{providerName(k.provider, names)}</span>
                <span className="mono key-mask" aria-label={`key ending in ${k.last4}`}>
                  ••••{k.last4}
                </span>
                <span className="pill pill-neutral">{k.kind === 'unknown' ? 'key' : `${k.kind} key`}</span>
                <span className="muted small">
                  {k.storedIn === 'env' ? `from ${k.envVar}` : 'in the keychain'}
                  {k.active ? '' : ' (not used: the environment wins)'}
                  {k.updatedAt ? ` · saved ${localDateTime(k.updatedAt, zone)}` : ''}
                </span>
              </div>
              <div className="key-actions">
                <button type="button" className="btn btn-small btn-secondary" onClick={() => test(k.provider)} disabled={t === 'running'}>
                  {t === 'running' ? 'Testing…' : 'Test'}
                </button>
                {k.storedIn === 'keychain' ? (
                  <ConfirmRemove
                    asking={confirming === k.provider}
                    busy={del.busy}
                    label={`Delete the ${providerName(k.provider, names)} key from the keychain`}
                    words={DELETE_KEY}
                    onAsk={() => setConfirming(k.provider)}
                    onKeep={() => setConfirming(null)}
                    onRemove={() => void remove(k.provider)}
                  />
                ) : null}
              </div>
              {t && t !== 'running' ? (
                'error' in t ? (
                  <p className="note note-error key-test" role="alert">
                    {t.error}
                  </p>
                ) : (
                  <div className={`note ${t.ok ? 'note-ok' : 'note-error'} key-test`} role="status">
                    <p>{t.message}</p>
                    {t.can.length > 0 ? <p className="small">Can: {t.can.join(', ')}</p> : null}
                    {t.cannot.length > 0 ? <p className="small">Cannot: {t.cannot.join(', ')}</p> : null}
                  </div>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}

function KeyForm({ syncable, names, keychain, onSaved }: { syncable: string[]; names: ReadonlyMap<string, string>; keychain: string; onSaved: () => void }) {
  const [provider, setProvider] = useState(syncable[0] ?? '');
  const [key, setKey] = useState('');
  const save = useAction('keysSet');
  const form = useFieldErrors<'key'>(save, { key: 'key' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // One message at a time: a new attempt clears the last refusal before anything else is said.
    if (!form.check({ key: key.trim() ? undefined : "Paste the provider's key." })) return;
    const result = await save.run({ provider, key: key.trim() });
    // A refused key stays in the field, to be corrected rather than pasted again.
    if (!result) return;
    setKey('');
    form.setDone(
      `Saved ${providerName(result.provider, names)}'s ${result.kind === 'unknown' ? '' : `${result.kind} `}key ending in ${result.last4} to ${result.keychain}.${result.notes.length ? ` ${result.notes.join(' ')}` : ''}`,
    );
    onSaved();
  };
  return (
    <form ref={form.formRef} className="key-form" onSubmit={submit} noValidate aria-label="Add or replace a key">
      <h3 className="subhead">Add or replace a key</h3>
      <div className="form-row">
        <Field label="Provider">
          <select value={provider} onChange={(e) => (setProvider(e.target.value), form.edited())}>
            {syncable.map((p) => (
              <option key={p} value={p}>
                {providerName(p, names)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="API key" hint={`Stored in ${keychain}. Only its last 4 characters are shown afterwards.`} error={form.errorOf('key')} className="grow">
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={form.onEdit('key', setKey)}
            placeholder="sk-…"
          />
        </Field>
        <SaveButton busy={save.busy}>Save key</SaveButton>
      </div>
      <ErrorNote error={form.refusal} />
      {form.done ? <SuccessNote>{form.done}</SuccessNote> : null}
    </form>
  );
}
