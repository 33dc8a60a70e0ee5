import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tempHome } from '../../helpers/cli';
import { childEnv } from './helpers';

// The stdio process itself, spoken to line by line without the SDK: what stdout carries, how it
// stops. Waits are on explicit signals (a response line, the exit event), never on time.

interface Proc {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: () => string;
  send(message: unknown): void;
  response(id: number): Promise<any>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) fs.rmSync(h, { recursive: true, force: true });
});

function start(): Proc {
  const home = tempHome('burnrate-mcp-stdio-');
  homes.push(home);
  const child = spawn(process.execPath, [BIN, 'mcp'], { env: childEnv({ BURNRATE_HOME: home, BURNRATE_NOW: '2026-03-10T12:00:00Z', TZ: 'UTC' }) });
  const lines: string[] = [];
  const waiting = new Map<number, (message: any) => void>();
  let buffer = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      const message = JSON.parse(line);
      waiting.get(message.id)?.(message);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    stderr: () => stderr,
    send: (message) => child.stdin.write(typeof message === 'string' ? message + '\n' : JSON.stringify(message) + '\n'),
    response: (id) => new Promise((resolve) => waiting.set(id, resolve)),
    exited,
  };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

describe('burnrate mcp as a stdio process', () => {
  it('writes only JSON-RPC on stdout, survives a garbage line, and exits 0 when the client closes stdin', async () => {
    const p = start();
    const ready = p.response(1);
    p.send(initialize);
    expect((await ready).result.serverInfo).toMatchObject({ name: 'burnrate' });
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    p.send('this is not JSON');
    const sync = p.response(2);
    p.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'sync_now', arguments: {} } });
    // No key anywhere: sync says so in its answer rather than failing.
    const syncResult = (await sync).result;
    expect(syncResult.isError).toBeFalsy();
    expect(syncResult.structuredContent).toMatchObject({ runs: [], message: expect.stringMatching(/^No provider has a key yet/) });
    const status = p.response(3);
    p.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'budget_status', arguments: {} } });
    expect((await status).result.structuredContent).toMatchObject({ day: { date: '2026-03-10', spentUsd: '0.00', health: null }, currency: 'USD' });

    p.child.stdin.end();
    expect(await p.exited).toEqual({ code: 0, signal: null });
    for (const line of p.lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    // The garbage line got JSON-RPC's parse error (issue 14), and nothing else changed.
    expect(p.lines).toHaveLength(4);
    expect(JSON.parse(p.lines[1]!)).toMatchObject({ id: null, error: { code: -32700 } });
    expect(p.stderr()).toContain('burnrate mcp: serving the ledger');
  });

  it('answers a line that is not JSON with -32700, a message that is no request with -32600, and arguments of the wrong type with -32602 and a sentence', async () => {
    const p = start();
    const ready = p.response(1);
    p.send(initialize);
    await ready;
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const replies: unknown[] = [];
    const next = () =>
      new Promise<any>((resolve) => {
        const seen = p.lines.length;
        const check = () => (p.lines.length > seen ? resolve(JSON.parse(p.lines[seen]!)) : p.child.stdout.once('data', () => setImmediate(check)));
        check();
      });
    let reply = next();
    p.send('{"jsonrpc":"2.0","id":7,"method":"tools/call",');
    replies.push(await reply);
    reply = next();
    p.send({ id: 8, method: 'ping' });
    replies.push(await reply);
    const wrongType = p.response(9);
    p.send({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'record_reading', arguments: 'groq 1.42' } });
    replies.push(await wrongType);
    const noName = p.response(10);
    p.send({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 42 } });
    replies.push(await noName);
    // Still serving: a ping is answered.
    const ping = p.response(11);
    p.send({ jsonrpc: '2.0', id: 11, method: 'ping' });
    expect((await ping).result).toEqual({});
    expect(replies).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: the line is not JSON; send one JSON-RPC 2.0 message per line.' } },
      { jsonrpc: '2.0', id: 8, error: { code: -32600, message: expect.stringMatching(/^Invalid Request: a message needs "jsonrpc": "2.0"/) } },
      { jsonrpc: '2.0', id: 9, error: { code: -32602, message: expect.stringMatching(/^Invalid input: .*object.* The arguments of record_reading are an object of named fields\.$/) } },
      { jsonrpc: '2.0', id: 10, error: { code: -32602, message: expect.stringMatching(/^A tools\/call needs params.name, the name of one of Burnrate's tools: budget_status, /) } },
    ]);
    for (const r of replies) expect(JSON.stringify(r)).not.toMatch(/"code":"invalid_type"|expected":/);
    p.child.stdin.end();
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });

  it('stops on SIGTERM while the client still holds stdin open', async () => {
    const p = start();
    const ready = p.response(1);
    p.send(initialize);
    await ready;
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });
});
