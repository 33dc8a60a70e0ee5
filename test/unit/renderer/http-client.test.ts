import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import type { Core } from '../../../src/app/open';
import { startServer, type RunningServer } from '../../../src/server';
import { createHttpClient, queryOf } from '../../../renderer/src/api/http';
import { CallError, NEEDS_TOKEN_MESSAGE } from '../../../renderer/src/api/errors';
import { testCore } from './core-bridge';

// The renderer's HTTP transport against the REAL server of `burnrate serve` (src/server) on an
// in-memory core. The browser would send the session cookie; here the Bearer header stands in.
let core: Core;
let server: RunningServer;

const withToken =
  (token: string): typeof fetch =>
  (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), Authorization: `Bearer ${token}` } });

beforeAll(async () => {
  core = testCore();
  server = await startServer(core, { port: 0 });
});

afterAll(async () => {
  await server.close();
  core.close();
});

describe('queryOf', () => {
  it('puts a read\'s input in the query string, repeating arrays and leaving out empty values', () => {
    expect(queryOf({ provider: 'groq', limit: 20, all: true, model: '', project: undefined })).toBe('?provider=groq&limit=20&all=true');
    expect(queryOf({ provider: ['openai', 'groq'] })).toBe('?provider=openai&provider=groq');
    expect(queryOf({})).toBe('');
    expect(queryOf(undefined)).toBe('');
  });
});

describe('the HTTP transport', () => {
  it('reads with GET and writes with POST, as the contract says', async () => {
    const seen: string[] = [];
    const base = withToken(server.token);
    const client = createHttpClient({ base: server.origin, fetch: (input, init) => (seen.push(`${init?.method} ${String(input).replace(server.origin, '')}`), base(input, init)) });
    expect(client.transport).toBe('http');

    const set = await client.call('budgetSet', { daily: '2.00' });
    expect(set.day.budgetUsd).toBe('2.00');
    await client.call('record', { provider: 'openai', model: 'gpt-4o-mini', cost: '0.25', at: '2026-11-28T10:00:00Z', id: 'r1' });
    const status = await client.call('status', {});
    expect(status.day).toMatchObject({ spentUsd: '0.25', budgetUsd: '2.00', health: 'good' });
    const page = await client.call('history', { provider: 'openai', limit: 5 });
    expect(page.rows.map((r) => r.externalId)).toEqual(['r1']);
    expect(seen).toEqual(['POST /api/budgetSet', 'POST /api/record', 'GET /api/status', 'GET /api/history?provider=openai&limit=5']);
  });

  it("turns the server's error body into a CallError carrying its sentence", async () => {
    const client = createHttpClient({ base: server.origin, fetch: withToken(server.token) });
    const error = await client.call('readingAdd', { provider: 'groq', amount: 'lots' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallError);
    expect(error).toMatchObject({ code: 'invalid_input', status: 400 });
    expect((error as CallError).message).toMatch(/amount must be an amount in US dollars/);
  });

  it('says to open the printed URL when the page has no token (401)', async () => {
    const client = createHttpClient({ base: server.origin, fetch: withToken('not-the-token-at-all-0000') });
    const error = await client.call('status', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, message: NEEDS_TOKEN_MESSAGE });
    const bare = createHttpClient({ base: server.origin });
    await expect(bare.call('status', {})).rejects.toMatchObject({ code: 'unauthorized', message: NEEDS_TOKEN_MESSAGE });
  });

  it('says the server is gone when nothing answers', async () => {
    const client = createHttpClient({ base: 'http://127.0.0.1:9', fetch: withToken(server.token) });
    await expect(client.call('status', {})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/burnrate serve/) });
  });

  it('gets the same answers as the in-process contract', async () => {
    const client = createHttpClient({ base: server.origin, fetch: withToken(server.token) });
    expect(await client.call('budgetShow', {})).toEqual(await dispatch(core, 'budgetShow', {}));
  });
});
