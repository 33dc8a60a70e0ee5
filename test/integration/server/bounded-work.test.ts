import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { EXPORT_CHUNK_ROWS } from '../../../src/export/document';
import { startServer, type RunningServer } from '../../../src/server';
import { fixedClock } from '../../../src/time';
import { openEvents, request } from './http';

/**
 * Issue 14, "unbounded work in one request": ranges are capped with a sentence, exports stream
 * (other requests are answered while one runs), and the live-update streams are capped.
 */

const ROWS = EXPORT_CHUNK_ROWS * 8 + 7;

let core: Core;
let server: RunningServer;
let bearer: Record<string, string>;

beforeAll(async () => {
  core = openCore({ memory: true, clock: fixedClock('2026-03-10T12:00:00Z'), timeZone: 'UTC' });
  const start = Date.parse('2026-01-01T00:00:00Z');
  const events = Array.from({ length: ROWS }, (_, i) => ({
    source: 'manual' as const,
    provider: 'openai',
    model: 'gpt-4o-mini',
    externalId: `e${i}`,
    costNano: 1000 + i,
    occurredAt: new Date(start + i * 60_000),
  }));
  core.usage.write(events);
  server = await startServer(core, { port: 0, staticDir: '/nonexistent', maxEventClients: 2 });
  bearer = { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await server?.close();
  core?.close();
});

/** GET a path and report, in order, the moments the body starts and ends. */
function streamed(path: string, onFirstByte: () => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path, headers: bearer, agent: false }, (res) => {
        let body = '';
        let first = true;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (first) onFirstByte();
          first = false;
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('exports stream', () => {
  it('answers a status request while a large export is still being written', async () => {
    const order: string[] = [];
    let status: Promise<unknown> | undefined;
    const exported = streamed('/api/export?format=json&from=2026-01-01&to=2026-03-10', () => {
      order.push('export started');
      status = request(server.port, { path: '/api/status', headers: bearer }).then((r) => {
        expect(r.status).toBe(200);
        order.push('status answered');
      });
    });
    const result = await exported;
    order.push('export finished');
    await status;
    expect(result.status).toBe(200);
    expect(order).toEqual(['export started', 'status answered', 'export finished']);
    // The streamed answer is the contract's ExportResult, the same as an in-process call.
    const body = JSON.parse(result.body) as { rows: number; content: string; format: string };
    const direct = await dispatch(core, 'export', { format: 'json', from: '2026-01-01', to: '2026-03-10' });
    expect(body).toEqual(direct);
    const document = JSON.parse(body.content) as { rows: unknown[]; rowCount: number; countedTotalUsd: string };
    expect(body.rows).toBe(ROWS);
    expect(document.rows).toHaveLength(ROWS);
    expect(document.rowCount).toBe(ROWS);
    // sum of 1000 + i nano for i < ROWS
    const nano = 1000 * ROWS + (ROWS * (ROWS - 1)) / 2;
    expect(document.countedTotalUsd).toBe(`0.${String(nano).padStart(9, '0')}`.replace(/0+$/, ''));
  });

  it('keeps every row once, in order, across chunk boundaries', async () => {
    const { content } = await dispatch(core, 'export', { format: 'csv', from: '2026-01-01', to: '2026-03-10' });
    const lines = content.trimEnd().split('\r\n');
    expect(lines).toHaveLength(ROWS + 1);
    const ids = lines.slice(1).map((l) => l.split(',').at(-1));
    expect(new Set(ids).size).toBe(ROWS);
    const times = lines.slice(1).map((l) => l.split(',')[2]!);
    expect([...times].sort()).toEqual(times);
  });

  it('writes the header row of an empty CSV export', async () => {
    const r = await request(server.port, { path: '/api/export?format=csv&from=2025-01-01&to=2025-01-31', headers: bearer });
    expect(r.status).toBe(200);
    expect(r.json().content).toBe('kind,local_day,occurred_at,provider,source,model,project,line_item,input_tokens,output_tokens,cached_input_tokens,cache_write_tokens,cost_usd,cost_origin,counted,external_id\r\n');
    expect(r.json().rows).toBe(0);
  });

  it('refuses an impossible date before writing anything', async () => {
    const r = await request(server.port, { path: '/api/export?from=2026-02-30', headers: bearer });
    expect(r.status).toBe(400);
    expect(r.json().error.message).toBe('Invalid input: from must be a real calendar date from 2000-01-01 to 2199-12-31, such as 2026-11-28.');
  });
});

describe('ranges are capped with a sentence', () => {
  it('refuses a series over centuries at once, with a 400 and no work', async () => {
    const r = await request(server.port, { path: '/api/series?from=0100-01-01&to=9999-12-31', headers: bearer });
    expect(r.status).toBe(400);
    expect(r.json().error.code).toBe('invalid_input');
    expect(r.json().error.message).toMatch(/from must be a real calendar date from 2000-01-01 to 2199-12-31/);
  });

  it('refuses a series longer than about three years, and serves one just inside', async () => {
    const long = await request(server.port, { path: '/api/series?from=2020-01-01&to=2026-03-10', headers: bearer });
    expect(long.status).toBe(400);
    expect(long.json().error.message).toBe('A chart covers at most 1100 days (about three years) and 2020-01-01 to 2026-03-10 is longer; shorten the range.');
    const ok = await request(server.port, { path: '/api/series?from=2023-03-12&to=2026-03-10', headers: bearer });
    expect(ok.status).toBe(200);
    expect(ok.json().days).toHaveLength(1095);
  });

  it('refuses a reading in year 0050 over HTTP instead of hanging the server', async () => {
    const body = JSON.stringify({ provider: 'groq', amount: '1', at: '0050-06-01T00:00:00Z' });
    const r = await request(server.port, { method: 'POST', path: '/api/readingAdd', headers: { ...bearer, 'Content-Type': 'application/json' }, body });
    expect(r.status).toBe(400);
    const month = JSON.stringify({ provider: 'groq', amount: '1', month: '0042-01', final: true });
    const m = await request(server.port, { method: 'POST', path: '/api/readingAdd', headers: { ...bearer, 'Content-Type': 'application/json' }, body: month });
    expect(m.status).toBe(400);
    expect((await request(server.port, { path: '/api/status', headers: bearer })).status).toBe(200);
  });
});

describe('live-update streams are capped', () => {
  it('refuses one stream past the cap with a sentence, and takes it again once one closes', async () => {
    const a = await openEvents(server.port, bearer);
    const b = await openEvents(server.port, bearer);
    try {
      const refused = await request(server.port, { path: '/api/events', headers: bearer });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('10');
      expect(refused.json().error.message).toMatch(/^Too many live-update streams are open on this server; close some dashboard tabs/);
      expect(server.eventClients()).toBe(2);
    } finally {
      a.close();
    }
    // Closing is asynchronous on the server's side: wait until it has let go of the stream.
    await new Promise<void>((resolve) => {
      const check = () => (server.eventClients() < 2 ? resolve() : setImmediate(check));
      check();
    });
    const c = await openEvents(server.port, bearer);
    expect(c.status).toBe(200);
    b.close();
    c.close();
  });
});
