import { useEffect, useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../../src/api/contract/settings';
import type { ChannelView } from '../../../../src/api/contract/budget';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { Card, EmptyState, ErrorNote, Loading, OutcomeNote, SuccessNote, type Outcome } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { FormFooter } from '../../components/FormFooter';
import { BackupsCard } from '../../components/BackupsCard';
import { ChannelReceives } from '../../components/ChannelReceives';
import { EmailChannelForm } from '../../components/EmailChannelForm';
import { ThemeSwitch } from '../../components/ThemeSwitch';
import { useAction, useCall } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { ProxyCard } from './ProxySettings';

const CHANNEL_KINDS = [
  { value: 'slack', label: 'Slack incoming webhook' },
  { value: 'discord', label: 'Discord webhook' },
  { value: 'ntfy', label: 'ntfy topic' },
  { value: 'webhook', label: 'Any URL (JSON POST)' },
] as const;

/** App settings, the theme, where alerts are sent, and backups of the ledger. */
export function Settings() {
  const settings = useCall('settingsGet', {}, { refreshOn: [] });
  return (
    <div className="stack">
      <div className="grid grid-2">
        <Card title="General">
          <ErrorNote error={settings.error} onRetry={settings.reload} />
          {settings.data ? <SettingsForm value={settings.data} onSaved={settings.reload} /> : settings.loading ? <Loading /> : null}
        </Card>
        <Card title="Appearance">
          <div className="field">
            <span className="label-text" id="theme-label">
              Theme
            </span>
            <ThemeSwitch />
            <span className="field-hint">System follows your OS's light or dark setting. Your choice is remembered on this device.</span>
          </div>
          <p className="muted small">
            Reserve and budgets are under <a href="#/budgets">Budgets & caps</a>.
          </p>
        </Card>
      </div>
      <ProxyCard />
      <Channels />
      <BackupsCard />
    </div>
  );
}

function SettingsForm({ value, onSaved }: { value: SettingsView; onSaved: () => void }) {
  const [interval, setSyncInterval] = useState(String(value.syncIntervalMinutes));
  const [drift, setDrift] = useState(String(value.driftThresholdBp / 100));
  const [paused, setPaused] = useState(value.notificationsPaused);
  const [login, setLogin] = useState(value.startAtLogin);
  const save = useAction('settingsSet');
  const form = useFieldErrors<'interval' | 'drift'>(save, { syncIntervalMinutes: 'interval', driftThresholdPct: 'drift' });

  useEffect(() => {
    setSyncInterval(String(value.syncIntervalMinutes));
    setDrift(String(value.driftThresholdBp / 100));
    setPaused(value.notificationsPaused);
    setLogin(value.startAtLogin);
  }, [value]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const minutes = Number(interval);
    const pct = Number(drift);
    const ok = form.check({
      interval: !/^\d+$/.test(interval.trim()) || minutes < 5 || minutes > 1440 ? 'Enter whole minutes from 5 to 1440 (a day), such as 60.' : undefined,
      drift: !/^\d+(\.\d+)?$/.test(drift.trim()) || pct > 100 ? 'Enter a percentage from 0 to 100, such as 5.' : undefined,
    });
    if (!ok) return;
    const result = await save.run({ syncIntervalMinutes: minutes, driftThresholdPct: pct, notificationsPaused: paused, startAtLogin: login });
    if (result) {
      form.setDone('Settings saved.');
      onSaved();
    }
  };

  return (
    <form ref={form.formRef} className="form" onSubmit={submit} noValidate aria-label="General settings">
      <Field label="Sync every (minutes)" hint="How often billed figures are fetched from providers with a key." error={form.errorOf('interval')}>
        <input type="number" min={5} max={1440} value={interval} onChange={form.onEdit('interval', setSyncInterval)} />
      </Field>
      <Field label="Flag drift above (%)" hint="Estimates further than this from the bill are listed under Needs attention." error={form.errorOf('drift')}>
        <input type="number" min={0} max={100} step="0.5" value={drift} onChange={form.onEdit('drift', setDrift)} />
      </Field>
      <label className="check">
        <input type="checkbox" checked={paused} onChange={(e) => (setPaused(e.target.checked), form.edited())} />
        Pause notifications (alerts are still recorded)
      </label>
      <label className="check">
        <input type="checkbox" checked={login} onChange={(e) => (setLogin(e.target.checked), form.edited())} />
        Start Burnrate at login (desktop app)
      </label>
      <FormFooter busy={save.busy} refusal={form.refusal} done={form.done}>
        Save settings
      </FormFooter>
    </form>
  );
}

const REMOVE_CHANNEL = { ask: 'Remove…', yes: 'Remove channel', keep: 'Keep' };

function Channels() {
  const channels = useCall('channels', {}, { refreshOn: ['alertFired'] });
  const add = useAction('channelAdd');
  const remove = useAction('channelRemove');
  const test = useAction('channelTest');
  const [kind, setKind] = useState<(typeof CHANNEL_KINDS)[number]['value']>('slack');
  const [url, setUrl] = useState('');
  const form = useFieldErrors<'url'>(add, { url: 'url' });
  const setDone = form.setDone;
  // A test's outcome, apart from the form's success note: a failed test is shown as a failure.
  const [tested, setTested] = useState<Outcome>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check({ url: /^https?:\/\/\S+$/.test(url.trim()) ? undefined : 'Paste the full webhook URL, starting with https://.' })) return;
    const result = await add.run({ kind, url: url.trim() });
    if (!result) return;
    setUrl('');
    setTested(undefined);
    setDone(result.created ? `Alerts now go to ${result.channel.url}.` : 'That channel was already there.');
    channels.reload();
  };
  // The channel whose removal awaits confirmation: its URL is gone once removed.
  const [removing, setRemoving] = useState<number | null>(null);
  const removeChannel = async (ch: ChannelView) => {
    const result = await remove.run({ id: ch.id });
    setRemoving(null);
    if (!result) return;
    setTested(undefined);
    setDone(`Removed ${ch.url}: nothing is sent there any more.`);
    channels.reload();
  };
  const runTest = async (ch: ChannelView) => {
    setDone(undefined);
    setTested(undefined);
    const result = await test.run({ id: ch.id });
    if (result) setTested(result.ok ? { kind: 'ok', text: `Test message delivered to ${ch.url}.` } : { kind: 'failed', text: `The test to ${ch.url} failed: ${result.error ?? 'no answer'}.` });
    channels.reload();
  };

  return (
    <Card title="Notification channels">
      <ErrorNote error={channels.error ?? remove.error ?? test.error} onRetry={channels.reload} />
      {channels.data && channels.data.channels.length === 0 ? (
        <EmptyState title="Alerts show as desktop notifications only">Add a Slack, Discord or ntfy webhook, or an email address, to get them on your phone too.</EmptyState>
      ) : null}
      {channels.data && channels.data.channels.length > 0 ? (
        <ul className="key-list">
          {channels.data.channels.map((ch) => (
            <li key={ch.id} className="key-row">
              <div className="key-main">
                <span className="pill pill-neutral">{ch.kind}</span>
                <span className="mono ellipsis">{ch.emailTo ? `${ch.url} → ${ch.emailTo}` : ch.url}</span>
                <span className="muted small num">
                  {ch.delivered} delivered · {ch.pending} waiting · {ch.failed} failed{ch.lastError ? ` · last error: ${ch.lastError}` : ''}
                </span>
              </div>
              <div className="key-actions">
                <button type="button" className="btn btn-small btn-secondary" onClick={() => runTest(ch)} disabled={test.busy}>
                  Send test
                </button>
                <ConfirmRemove
                  asking={removing === ch.id}
                  busy={remove.busy}
                  label={`Remove ${ch.url}…`}
                  words={REMOVE_CHANNEL}
                  onAsk={() => setRemoving(ch.id)}
                  onKeep={() => setRemoving(null)}
                  onRemove={() => void removeChannel(ch)}
                />
              </div>
              {/* The choices take the row's whole width, under the channel (no stylesheet class does this). */}
              <div style={{ gridColumn: '1 / -1' }}>
                <ChannelReceives channel={ch} onChanged={channels.reload} />
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <form ref={form.formRef} className="form-row" onSubmit={submit} noValidate aria-label="Add a notification channel">
        <Field label="Kind">
          <select value={kind} onChange={(e) => (setKind(e.target.value as typeof kind), form.edited())}>
            {CHANNEL_KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Webhook URL" error={form.errorOf('url')} className="grow" hint="Kept in the ledger and shown redacted: the URL works like a password.">
          <input type="url" value={url} onChange={form.onEdit('url', setUrl)} placeholder="https://hooks.slack.com/services/…" autoComplete="off" />
        </Field>
        <button type="submit" className="btn btn-secondary" disabled={add.busy}>
          Add channel
        </button>
      </form>
      <ErrorNote error={form.refusal} />
      {form.done ? <SuccessNote>{form.done}</SuccessNote> : null}
      <OutcomeNote outcome={tested} />
      <details>
        <summary>Add an email channel (SMTP)</summary>
        <EmailChannelForm onAdded={channels.reload} />
      </details>
    </Card>
  );
}
