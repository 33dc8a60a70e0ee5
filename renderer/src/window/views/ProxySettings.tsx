import { useEffect, useState } from 'react';
import type { ProxyStatusView } from '../../../../src/api/contract/proxy';
import { Card, ErrorNote, Loading } from '../../components/Feedback';
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
