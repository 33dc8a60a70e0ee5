import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseUsd } from '../../../../src/money';
import type { KeyTestResult, ProviderClient, ProviderClientContext, SyncPage, SyncWindow } from '../../../../src/providers/types';
import { authError, malformedError, transientError } from '../../../../src/sync/errors';

/**
 * A tiny provider for runner and schedule tests: a real HTTP server on 127.0.0.1 with a small
 * documented shape, and a real ProviderClient that speaks it. (The shipped clients have their own
 * servers in test/fixtures/servers; these tests are about the runner, not a provider's format.)
 *
 *   GET /v1/costs?start=UNIX&end=UNIX&page=N   Authorization: Bearer KEY
 *   200 { "data": [{ "day": "2026-03-01", "line": "gpt, input", "amount": "1.25" }], "next": "1" | null,
 *         "balance"?: "12.50" }
 */

export interface Row {
  day: string;
  line: string;
  amount: string;
}

export interface TinyServer {
  url: string;
  /** Rows the provider "billed". */
  rows: Row[];
  pageSize: number;
  /** Requests seen (path + query). */
  requests: string[];
  /** Override the answer to page N (e.g. a 500 or garbage). */
  override: Map<number, { status: number; body: string }>;
  /** Every request waits on this before answering when set (overlap tests release it). */
  gate: Promise<void> | null;
  /** Resolves when the next request arrives. */
  nextRequest(): Promise<string>;
  balance: string | null;
  close(): Promise<void>;
}

export async function startTinyServer(): Promise<TinyServer> {
  const waiters: ((path: string) => void)[] = [];
  const state: Omit<TinyServer, 'url' | 'close' | 'nextRequest'> = {
    rows: [],
    pageSize: 2,
    requests: [],
    override: new Map(),
    gate: null,
    balance: null,
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push(url.pathname + url.search);
    for (const w of waiters.splice(0)) w(url.pathname + url.search);
    if (state.gate) await state.gate;
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.headers.authorization !== 'Bearer tk-admin-0123456789abcdef') {
      return send(401, JSON.stringify({ error: `Incorrect API key provided: ${req.headers.authorization?.slice(7) ?? ''}` }));
    }
    if (url.pathname === '/v1/me') return send(200, JSON.stringify({ admin: true }));
    if (url.pathname !== '/v1/costs') return send(404, '{}');
    const page = Number(url.searchParams.get('page') ?? '0');
    const forced = state.override.get(page);
    if (forced) return send(forced.status, forced.body);
    const start = Number(url.searchParams.get('start')) * 1000;
    const end = Number(url.searchParams.get('end')) * 1000;
    const inWindow = state.rows.filter((r) => {
      const t = Date.parse(`${r.day}T00:00:00Z`);
      return t >= start && t < end;
    });
    const slice = inWindow.slice(page * state.pageSize, (page + 1) * state.pageSize);
    const more = (page + 1) * state.pageSize < inWindow.length;
    send(200, JSON.stringify({ data: slice, next: more ? String(page + 1) : null, ...(state.balance ? { balance: state.balance } : {}) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    nextRequest: () => new Promise<string>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export const TINY_KEY = 'tk-admin-0123456789abcdef';

function isRow(v: unknown): v is Row {
  const r = v as Row;
  return typeof r === 'object' && r !== null && /^\d{4}-\d{2}-\d{2}$/.test(r.day) && typeof r.line === 'string' && typeof r.amount === 'string';
}

export function tinyClient(provider = 'tinyco'): ProviderClient {
  return {
    provider,
    defaultBaseUrl: 'http://127.0.0.1:9',
    classifyKey: (key) => (key.startsWith('tk-admin-') ? 'admin' : 'normal'),
    async testKey(ctx: ProviderClientContext): Promise<KeyTestResult> {
      const res = await ctx.fetch(`${ctx.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${ctx.key}` } });
      if (res.status === 401) return { ok: false, kind: 'unknown', can: [], cannot: ['read costs'], message: await res.text() };
      return { ok: true, kind: 'admin', can: ['read costs'], cannot: [], message: 'An admin key.' };
    },
    async *sync(ctx: ProviderClientContext, window: SyncWindow): AsyncIterable<SyncPage> {
      let page: string | null = '0';
      while (page !== null) {
        const url = `${ctx.baseUrl}/v1/costs?start=${window.start.getTime() / 1000}&end=${Math.floor(window.end.getTime() / 1000)}&page=${page}`;
        const res = await ctx.fetch(url, { headers: { authorization: `Bearer ${ctx.key}` }, ...(ctx.signal ? { signal: ctx.signal } : {}) });
        const text = await res.text();
        if (res.status === 401) throw authError(provider, text);
        if (!res.ok) throw transientError(provider, `answered HTTP ${res.status}`, res.status);
        let json: { data?: unknown; next?: unknown; balance?: unknown };
        try {
          json = JSON.parse(text) as typeof json;
        } catch {
          throw malformedError(provider, 'JSON');
        }
        if (!Array.isArray(json.data) || !json.data.every(isRow) || (json.next !== null && typeof json.next !== 'string')) {
          throw malformedError(provider, 'a page of costs');
        }
        const rows = json.data;
        const out: SyncPage = {
          billed: rows.map((r) => {
            const start = new Date(`${r.day}T00:00:00Z`);
            return {
              provider,
              externalId: `${r.day}|${r.line}`,
              bucketStart: start,
              bucketEnd: new Date(start.getTime() + 86_400_000),
              lineItem: r.line,
              amountNano: parseUsd(r.amount),
            };
          }),
        };
        if (typeof json.balance === 'string') out.balance = { amountNano: parseUsd(json.balance), currency: 'USD', at: ctx.clock.now() };
        yield out;
        page = json.next as string | null;
      }
    },
  };
}
