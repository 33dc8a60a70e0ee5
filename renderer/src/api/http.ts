import { CallError, fromBody, isErrorBody, NEEDS_TOKEN_MESSAGE } from './errors';
import { METHOD_KIND } from './kinds';
import type { ApiClient, ClientEventName, ClientEvents, LiveState } from './types';
import { EVENT_NAMES_FOR_HTTP } from './events';

export interface HttpClientOptions {
  /** Where /api lives; default: this page's origin. */
  base?: string;
  fetch?: typeof fetch;
  /** EventSource constructor; default the browser's. */
  EventSource?: typeof EventSource;
}

/** A read's input as a query string: arrays repeat their key, empty values are left out. */
export function queryOf(input: unknown): string {
  if (input === undefined || input === null) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === undefined || v === null || v === '') continue;
      params.append(key, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
  }
  const q = params.toString();
  return q ? `?${q}` : '';
}

async function errorFrom(response: Response): Promise<CallError> {
  if (response.status === 401) return new CallError('unauthorized', NEEDS_TOKEN_MESSAGE, 401);
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: a proxy or a crash page; the status line is all we have.
  }
  if (isErrorBody(body)) return fromBody(body.error, response.status);
  return new CallError('internal', `Burnrate's server answered ${response.status} ${response.statusText}; try again, or restart Burnrate.`, response.status);
}

/**
 * The HTTP transport of `burnrate serve` (docs/http-api.md): reads are GET with the input in the
 * query string, writes are POST with a JSON body, pushes arrive over one EventSource. The session
 * cookie (set when the page was opened with ?token=) authenticates every request.
 */
export function createHttpClient(options: HttpClientOptions = {}): ApiClient {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const ES = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);

  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const liveWatchers = new Set<(state: LiveState) => void>();
  let source: EventSource | null = null;
  let live: LiveState = 'connecting';

  const setLive = (state: LiveState) => {
    if (state === live) return;
    live = state;
    for (const watcher of liveWatchers) watcher(state);
  };

  const ensureSource = () => {
    if (source || !ES) return;
    source = new ES(`${base}/api/events`, { withCredentials: true });
    source.onopen = () => setLive('live');
    // EventSource reconnects by itself (the server sends retry: 3000); we only show the state.
    source.onerror = () => setLive(source?.readyState === 2 ? 'offline' : 'connecting');
    for (const name of EVENT_NAMES_FOR_HTTP) {
      source.addEventListener(name, (event) => {
        let payload: unknown = null;
        try {
          payload = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const cb of listeners.get(name) ?? []) cb(payload);
      });
    }
  };

  const closeIfUnused = () => {
    const any = [...listeners.values()].some((set) => set.size > 0);
    if (!any && liveWatchers.size === 0 && source) {
      source.close();
      source = null;
      live = 'connecting';
    }
  };

  return {
    transport: 'http',
    backupFileUrl: (name) => `${base}/api/backupFile?name=${encodeURIComponent(name)}`,

    async call(method, input) {
      const kind = METHOD_KIND[method];
      const url = `${base}/api/${method}`;
      let response: Response;
      try {
        response =
          kind === 'read'
            ? await doFetch(url + queryOf(input), { method: 'GET', credentials: 'same-origin', headers: { Accept: 'application/json' } })
            : await doFetch(url, {
                method: 'POST',
                credentials: 'same-origin',
                headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
                body: JSON.stringify(input ?? {}),
              });
      } catch {
        throw new CallError('unavailable', "Burnrate's server is not answering; check that `burnrate serve` is still running, then reload this page.");
      }
      if (!response.ok) throw await errorFrom(response);
      return response.json();
    },

    on<E extends ClientEventName>(name: E, callback: (payload: ClientEvents[E]) => void) {
      // `navigate` comes from the desktop shell only; over HTTP nobody sends it.
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const cb = callback as (payload: unknown) => void;
      set.add(cb);
      ensureSource();
      return () => {
        set.delete(cb);
        closeIfUnused();
      };
    },

    onLive(callback) {
      liveWatchers.add(callback);
      ensureSource();
      callback(ES ? live : 'offline');
      return () => {
        liveWatchers.delete(callback);
        closeIfUnused();
      };
    },
  };
}
