import { useEffect, useState, type FormEvent } from 'react';
import type { ProxyStatusView } from '../../../../src/api/contract/proxy';
import { Card, ErrorNote, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { SaveButton } from '../../components/SaveButton';
import { useAction, useCall } from '../../hooks/useCall';

const STATE_WORDS: Record<ProxyStatusView['state'], string> = {
  running: 'Running',
  off: 'Off',
  'port-in-use': 'Port in use',
  failed: 'Not running',
};

/** Where each client is pointed, with this proxy's base URL (docs/proxy.md, "Pointing clients at it"). */
function clientLines(base: string): { client: string; setting: string }[] {
  return [
    { client: 'Claude Code, Anthropic SDKs', setting: `ANTHROPIC_BASE_URL=${base}/anthropic` },
    { client: 'OpenAI SDKs and tools reading OPENAI_BASE_URL', setting: `OPENAI_BASE_URL=${base}/openai/v1` },
    { client: 'Codex (a model provider in ~/.codex/config.toml)', setting: `base_url = "${base}/openai/v1"` },
    { client: 'Groq, OpenRouter, DeepSeek, xAI, Mistral', setting: `${base}/<provider>/v1` },
  ];
}

/** The port as typed, or why it is not one (the contract checks it again). */
function portOf(text: string): number | string {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return 'Enter a port number from 1024 to 65535, or 0 for any free port.';
  const port = Number(t);
  return port === 0 || (port >= 1024 && port <= 65535) ? port : 'Enter a port from 1024 to 65535 (lower ones need administrator rights), or 0 for any free port.';
}

/**
 * The port the proxy listens on (the setting proxyPort): saving it restarts the proxy there. A
 * process given its port at start keeps that one, and the field says so instead.
 */
function PortForm({ status, onSaved }: { status: ProxyStatusView; onSaved: () => void }) {
  const save = useAction('settingsSet');
  const [text, setText] = useState(String(status.configuredPort ?? ''));
  const [problem, setProblem] = useState<string>();
  useEffect(() => setText(String(status.configuredPort ?? '')), [status.configuredPort]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const port = portOf(text);
    setProblem(typeof port === 'string' ? port : undefined);
    if (typeof port === 'string') return;
    if (await save.run({ proxyPort: port })) onSaved();
  };

  if (status.portLocked) {
    return <p className="small muted">Port {status.configuredPort}: this Burnrate was started with that port, so the port setting does not apply to it.</p>;
  }
  return (
    <form className="form-row" onSubmit={submit} noValidate aria-label="Metering proxy port">
      <Field label="Port" hint="1024 to 65535, or 0 for any free port. Saving restarts the proxy on it." error={problem}>
        <input type="text" inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} />
      </Field>
      <SaveButton busy={save.busy}>Save port</SaveButton>
      <ErrorNote error={save.error} />
    </form>
  );
}

/**
 * The metering proxy of the process serving this window (the app or burnrate serve): its state and
 * URL, the switch that starts it with the app, and how to point the agents and SDKs at it.
 */
export function ProxyCard() {
  const status = useCall('proxyStatus', {}, { refreshOn: ['statusChanged'] });
  const save = useAction('settingsSet');
  // The switch moves at once; the state beside it follows once the process has started or stopped the proxy.
  const [asked, setAsked] = useState<boolean | null>(null);
  const s = status.data;

  useEffect(() => {
    if (asked !== null && s?.enabled === asked) setAsked(null);
  }, [asked, s?.enabled]);

  const toggle = async (enabled: boolean) => {
    setAsked(enabled);
    if (await save.run({ proxyEnabled: enabled })) status.reload();
    else setAsked(null); // not saved: the switch shows the setting again, the error says why
  };

  const base = s?.url ?? `http://127.0.0.1:${s?.port ?? 4318}`;
  return (
    <Card title="Metering proxy">
      <ErrorNote error={status.error ?? save.error} onRetry={status.reload} />
      {!s && status.loading ? <Loading /> : null}
      {s ? (
        <div className="stack" data-testid="proxy-card">
          <p>
            <span className={`pill ${s.state === 'running' ? 'pill-ok' : s.state === 'off' ? '' : 'pill-bad'}`} data-testid="proxy-state">
              {STATE_WORDS[s.state]}
            </span>{' '}
            {s.url ? <span className="mono" data-testid="proxy-url">{s.url}</span> : null}
          </p>
          {s.message ? <p className="small" role="status">{s.message}</p> : null}
          <label className="check">
            <input type="checkbox" checked={asked ?? s.enabled} disabled={save.busy} onChange={(e) => void toggle(e.target.checked)} />
            Run the metering proxy with Burnrate (meters every request of the agents and SDKs pointed at it, and stops those that would pass an enforced budget)
          </label>
          <PortForm status={s} onSaved={status.reload} />
          <details>
            <summary>Point your tools at it</summary>
            <ul className="small key-list">
              {clientLines(base).map((l) => (
                <li key={l.client}>
                  {l.client}: <span className="mono">{l.setting}</span>
                </li>
              ))}
            </ul>
            <p className="small muted">Name a project with the header X-Burnrate-Project: NAME, or the path prefix {base}/p/NAME/openai/v1.</p>
          </details>
        </div>
      ) : null}
    </Card>
  );
}
