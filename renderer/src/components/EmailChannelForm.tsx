import { useState, type FormEvent } from 'react';
import { EMAIL_ADDRESS } from '../../../src/model/input-patterns';
import { useAction } from '../hooks/useCall';
import { useFieldErrors } from '../hooks/useFieldErrors';
import { Field } from './Field';
import { FormFooter } from './FormFooter';

type EmailField = 'url' | 'password' | 'to' | 'from';
const addresses = (text: string) => text.split(',').map((a) => a.trim()).filter(Boolean);

/** The email channel as typed, checked in the form's order (the server checks again, and says which field). */
export function checkEmailChannel(d: { url: string; to: string; from: string; password: string | undefined }): Record<EmailField, string | undefined> {
  const url = d.url.trim();
  const to = addresses(d.to);
  return {
    url: !url
      ? 'Enter the SMTP server, such as smtp://me@mail.example.com:587.'
      : !/^smtps?:\/\/[^/]+/i.test(url)
        ? 'Start the SMTP server with smtp:// or smtps://, such as smtp://me@mail.example.com:587.'
        : undefined,
    password: d.password !== undefined && !d.password ? 'Enter the password of the SMTP account; it is kept in the system keychain.' : undefined,
    to: to.length === 0 ? 'Enter an address to send to, such as me@example.com.' : to.some((a) => !EMAIL_ADDRESS.test(a)) ? 'Give each address as name@domain, separated by commas.' : undefined,
    from: addresses(d.from).some((a) => !EMAIL_ADDRESS.test(a)) ? 'Give the sender as name@domain, or leave it empty.' : undefined,
  };
}

/**
 * Adding an email channel (SMTP): the monthly report and alerts by mail. In Settings beside the
 * webhooks and in Month close beside the reports it sends; `onAdded` lets the page list it.
 */
export function EmailChannelForm({ onAdded }: { onAdded: () => void }) {
  const add = useAction('channelAdd');
  const [url, setUrl] = useState('');
  const [to, setTo] = useState('');
  const [from, setFrom] = useState('');
  const [password, setPassword] = useState('');
  const [alerts, setAlerts] = useState<'info' | 'warning' | 'critical' | 'none'>('warning');
  const [reports, setReports] = useState(true);
  const form = useFieldErrors<EmailField>(add, { url: 'url', password: 'password', to: 'to', from: 'from' });
  const needsPassword = /^smtps?:\/\/[^/@]+@/i.test(url.trim());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form.check(checkEmailChannel({ url, to, from, password: needsPassword ? password : undefined }))) return;
    const r = await add.run({ kind: 'email', url: url.trim(), to: to.trim(), ...(from.trim() ? { from: from.trim() } : {}), ...(needsPassword ? { password } : {}), alerts, reports });
    if (r) {
      form.setDone(r.created ? `Added email channel #${r.channel.id} to ${r.channel.emailTo}.` : `That email channel exists already (#${r.channel.id}).`);
      setPassword('');
      onAdded();
    }
  };

  return (
    <form ref={form.formRef} className="form" onSubmit={submit} noValidate aria-label="Add an email channel">
        <Field label="SMTP server" hint="smtp://[user@]host:587 (STARTTLS) or smtps://[user@]host:465 (TLS)" error={form.errorOf('url')}>
          <input type="text" value={url} onChange={form.onEdit('url', setUrl)} placeholder="smtp://me@mail.example.com:587" />
        </Field>
        {needsPassword ? (
          <Field label="Password" hint="Kept in the system keychain, never in the ledger" error={form.errorOf('password')}>
            <input type="password" value={password} onChange={form.onEdit('password', setPassword)} autoComplete="off" />
          </Field>
        ) : null}
        <Field label="To" hint="One or more addresses, comma-separated" error={form.errorOf('to')}>
          <input type="text" value={to} onChange={form.onEdit('to', setTo)} placeholder="me@example.com" />
        </Field>
        <Field label="From" hint="Default: the first recipient" error={form.errorOf('from')}>
          <input type="text" value={from} onChange={form.onEdit('from', setFrom)} placeholder="burnrate@example.com" />
        </Field>
        <Field label="Alerts">
          <select value={alerts} onChange={(e) => (setAlerts(e.target.value as typeof alerts), form.edited())}>
            <option value="info">Every alert</option>
            <option value="warning">Warnings and critical</option>
            <option value="critical">Critical only</option>
            <option value="none">None</option>
          </select>
        </Field>
        <label className="check">
          <input type="checkbox" checked={reports} onChange={(e) => (setReports(e.target.checked), form.edited())} /> Monthly reports
        </label>
        <FormFooter busy={add.busy} refusal={form.refusal} done={form.done}>
          Add email channel
        </FormFooter>
      </form>
  );
}
