import type { ProxyStatusView } from '../api/contract/proxy';
import { startProxy, DEFAULT_PROXY_PORT } from '../proxy/server';
import type { TeamSpendSource } from '../proxy/team-source';
import { readSettings } from '../settings';
import type { Core } from './open';

/**
 * The metering proxy as a long-running process keeps it (the tray app, `burnrate serve`): started
 * when the setting proxyEnabled is on, stopped when it is turned off or the process quits, started
 * again when it is turned back on. A port already in use (another proxy, another app) leaves the
 * process running without it, says so once (log and notification) and shows "port in use" in the
 * window's Settings, which reads the state through the contract (proxyStatus).
 *
 * Every change of state is announced as statusChanged { reason: 'proxy' }, so open windows re-read
 * it. `apply` runs on every statusChanged (a settings write here or, through the change watcher,
 * in another process): it only reads one setting unless something is to be done.
 */
type ProxyRunState = Omit<ProxyStatusView, 'enabled' | 'runHere' | 'configuredPort' | 'portLocked'>;

export interface StartedProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ProxyServiceOptions {
  /**
   * The port given at start (serve's --proxy-port; 0: a free one), which the setting proxyPort does
   * not change. Default BURNRATE_PROXY_PORT; without either the setting decides, else defaultPort.
   */
  port?: number;
  /** The port when neither the process nor the setting names one (default 4318; serve on a free port: 0). */
  defaultPort?: number;
  /** False when this process was told not to run it (serve --no-proxy): the setting is not read. */
  allowed?: boolean;
  /** Lines for the process's log (serve's stderr, the app's console). */
  log?: (line: string) => void;
  /** Starts the proxy; default the real one, with the team's figure when this machine is in a team. */
  start?: (core: Core, port: number) => Promise<StartedProxy>;
}

/** The proxy's port from the environment (BURNRATE_PROXY_PORT), if it names one; a bad value is said and ignored. */
export function proxyPortFrom(env: Readonly<Record<string, string | undefined>>, log: (line: string) => void = () => {}): number | undefined {
  const text = env.BURNRATE_PROXY_PORT?.trim();
  if (!text) return undefined;
  if (/^\d{1,5}$/.test(text) && Number(text) <= 65535) return Number(text);
  log(`BURNRATE_PROXY_PORT="${text}" is not a port (0 to 65535); the metering proxy uses the port set in Settings, else ${DEFAULT_PROXY_PORT}.`);
  return undefined;
}

/**
 * The team's figure for the metering proxy (docs/team.md). Injected in or out of a team, so a proxy
 * picks up a join or leave while it runs; the PostgreSQL client loads only once in a team.
 */
export async function teamSourceFor(core: Core): Promise<TeamSpendSource> {
  const { teamSpendForEnforcement } = await import('../team/enforcement');
  // The proxy's cache sets the cadence (every 30 s): each of its reads goes to the store.
  return teamSpendForEnforcement(core, { refreshMs: 0 });
}

async function startRealProxy(core: Core, port: number, log: (line: string) => void): Promise<StartedProxy> {
  const team = await teamSourceFor(core);
  return startProxy(core, core.prices, { port, log, team });
}

export class ProxyService {
  private running: StartedProxy | null = null;
  private view: ProxyRunState;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  /** The port given at start, if any (then the setting does not apply). */
  private readonly fixedPort: number | undefined;
  private readonly defaultPort: number;
  /** The port asked for when the proxy was last started (0: any): a different one asked for restarts it. */
  private openedFor: number | null = null;
  private readonly log: (line: string) => void;
  private readonly start: (core: Core, port: number) => Promise<StartedProxy>;

  constructor(
    private readonly core: Core,
    private readonly options: ProxyServiceOptions = {},
  ) {
    this.log = options.log ?? (() => {});
    this.fixedPort = options.port ?? proxyPortFrom(core.env, this.log);
    this.defaultPort = options.defaultPort ?? DEFAULT_PROXY_PORT;
    this.start = options.start ?? ((c, port) => startRealProxy(c, port, this.log));
    this.view = { state: 'off', url: null, port: this.configuredPort(), message: null };
    core.services.proxy = this;
  }

  /** What the window's Settings shows. */
  status(): ProxyStatusView {
    const enabled = this.core.db.open ? readSettings(this.core.db).proxyEnabled : false;
    const message = this.options.allowed === false && this.view.state === 'off' ? 'This server was started with its metering proxy turned off, so the switch below has no effect until it is started again with the proxy.' : this.view.message;
    return { ...this.view, message, enabled, runHere: true, configuredPort: this.configuredPort(), portLocked: this.fixedPort !== undefined };
  }

  /** The port to listen on: the one given at start, else the setting, else the default. */
  private configuredPort(): number {
    if (this.fixedPort !== undefined) return this.fixedPort;
    const set = this.core.db.open ? readSettings(this.core.db).proxyPort : null;
    return set ?? this.defaultPort;
  }

  /** Start or stop as the setting says; calls are run one after another. */
  apply(): Promise<void> {
    this.queue = this.queue.then(() => this.reconcile()).catch((error: unknown) => this.log(`the metering proxy failed: ${error instanceof Error ? error.message : String(error)}`));
    return this.queue;
  }

  /** Re-apply on every statusChanged (settings written here or by another process). Returns the unsubscribe. */
  watch(): () => void {
    return this.core.events.on('statusChanged', ({ reason }) => {
      if (reason !== 'proxy') void this.apply();
    });
  }

  /** The process quits: stop for good (later applies do nothing). */
  stop(): Promise<void> {
    this.stopped = true;
    this.queue = this.queue.then(() => this.close());
    return this.queue;
  }

  private wanted(): boolean {
    if (this.stopped || this.options.allowed === false || !this.core.db.open) return false;
    return readSettings(this.core.db).proxyEnabled;
  }

  private async reconcile(): Promise<void> {
    if (!this.wanted()) {
      if (this.running !== null || this.view.state !== 'off') await this.close();
      return;
    }
    // A start that failed is not retried on every change of status (one notification, not one a
    // minute): turning the setting off and on again, another port, or restarting, tries again.
    const port = this.configuredPort();
    if (this.running !== null || this.view.state === 'port-in-use' || this.view.state === 'failed') {
      if (this.openedFor === port) return;
      await this.close(); // the port setting changed: start again on the new one
    }
    await this.open(port);
  }

  private async open(port: number): Promise<void> {
    this.openedFor = port;
    try {
      this.running = await this.start(this.core, port);
      this.set({ state: 'running', url: this.running.url, port: this.running.port, message: null });
      this.log(`metering proxy on ${this.running.url} (docs/proxy.md).`);
    } catch (error) {
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      const locked = this.fixedPort !== undefined;
      // The window's words: what to do there. The process's log may name how the port was given.
      const message = inUse
        ? `Port ${port} on 127.0.0.1 is already in use (another Burnrate proxy, or another program?), so this metering proxy did not start; everything else works. ` +
          (locked ? 'Stop the other one, or start this Burnrate again with another proxy port.' : 'Stop the other one, or pick another port under Settings → Metering proxy.')
        : `The metering proxy did not start (${error instanceof Error ? error.message : String(error)}); everything else works.`;
      this.set({ state: inUse ? 'port-in-use' : 'failed', url: null, port, message });
      this.log(`the metering proxy did not start: ${message}${inUse ? (locked ? ' (Its port comes from BURNRATE_PROXY_PORT or --proxy-port.)' : ' (Or set BURNRATE_PROXY_PORT, or burnrate settings set --proxy-port N.)') : ''}`);
      try {
        await this.core.notifier.notify({ kind: 'proxy', title: inUse ? 'Metering proxy: port in use' : 'Metering proxy did not start', body: message, target: { view: 'settings' } });
      } catch {
        // a notification that cannot be shown changes nothing: the state is in Settings
      }
    }
  }

  private async close(): Promise<void> {
    const running = this.running;
    this.running = null;
    if (running) {
      await running.close();
      this.log('metering proxy stopped.');
    }
    this.set({ state: 'off', url: null, port: this.configuredPort(), message: null });
  }

  private set(next: ProxyRunState): void {
    const same = JSON.stringify(next) === JSON.stringify(this.view);
    this.view = next;
    // Quitting announces nothing: the windows are closing, and their re-reads would meet a closed ledger.
    if (!same && !this.stopped && this.core.db.open) this.core.events.emit('statusChanged', { reason: 'proxy' });
  }
}
