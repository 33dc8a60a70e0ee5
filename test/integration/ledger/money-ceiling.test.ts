import { afterEach, describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';
import { startMcp, withoutCurrency } from '../mcp/helpers';
import { request } from '../server/http';
import { killServed, serve, URL_LINE } from '../server/serve-process';

/**
 * Issue 13, "a money ceiling that bricks the ledger", as a user meets it: two accepted records of
 * $5,000,000 (past 2^53 nano-USD together) through the real CLI, then every way of reading the
 * ledger (CLI, HTTP, MCP) answers with the exact figure, and a budget can still be set.
 */

const NOW = '2026-11-28T18:00:00Z';
const ROOM = 240_000; // every step spawns a whole process; no assertion is about time
const EXACT = '10000000.000000003';

afterEach(killServed);

describe('two records of $5,000,000 leave every reader working with exact figures', () => {
  it('CLI: record, status, summary, export (CSV and JSON), budget set and show', { timeout: ROOM }, () => {
    const home = tempHome('burnrate-ceiling-');
    const run = (args: string[]) => {
      const r = burnrate(args, { BURNRATE_HOME: home, BURNRATE_NOW: NOW });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    run(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '5000000.000000001', '--at', '2026-11-10T10:00:00Z', '--id', 'a']);
    run(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '5000000.000000002', '--at', '2026-11-10T11:00:00Z', '--id', 'b']);

    expect(run(['status', '--json']).json().month).toMatchObject({ month: '2026-11', spentUsd: EXACT });
    expect(run(['summary', '--from', '2026-11-01', '--to', '2026-11-30', '--by', 'day', '--json']).json()).toMatchObject({ totalUsd: EXACT });
    const json = JSON.parse(run(['export', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json']).stdout) as { rowCount: number; countedTotalUsd: string };
    expect(json).toMatchObject({ rowCount: 2, countedTotalUsd: EXACT });
    const csv = run(['export', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'csv']).stdout.trim().split(/\r?\n/);
    expect(csv).toHaveLength(3);
    expect(csv.slice(1).map((line) => line.split(',').find((field) => field.startsWith('5000000.')))).toEqual(['5000000.000000001', '5000000.000000002']);

    // A budget is one amount (at most $9,007,199.25); spend past it is a total and stays exact.
    const set = run(['budget', 'set', '--monthly', '9000000', '--json']).json();
    expect(set.month).toMatchObject({ budgetUsd: '9000000.00', spendableUsd: '7200000.00', spentUsd: EXACT, leftUsd: '-2800000.000000003', health: 'exceeded' });
    expect(run(['budget', 'show', '--json']).json().month.spentUsd).toBe(EXACT);
    const human = run(['status']).stdout;
    expect(human).toContain('$10,000,000.00');
  });

  it('HTTP (burnrate serve) and MCP answer the same exact figures', { timeout: ROOM }, async () => {
    const home = tempHome('burnrate-ceiling-http-');
    for (const [id, cost] of [['a', '5000000.000000001'], ['b', '5000000.000000002']]) {
      const r = burnrate(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', cost!, '--at', '2026-11-10T10:00:00Z', '--id', id!], { BURNRATE_HOME: home, BURNRATE_NOW: NOW });
      expect(r.code, r.stderr).toBe(0);
    }
    const s = await serve(['--port', '0', '--no-jobs'], { BURNRATE_HOME: home });
    const [, port, token] = URL_LINE.exec(s.line)!;
    const headers = { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const get = async (path: string) => {
      const reply = await request(Number(port), { path, headers });
      expect(reply.status, reply.body).toBe(200);
      return reply.json();
    };
    expect((await get('/api/status')).month.spentUsd).toBe(EXACT);
    expect((await get('/api/spendSummary?from=2026-11-01&to=2026-11-30')).totalUsd).toBe(EXACT);
    const exported = await get('/api/export?format=json&from=2026-11-01&to=2026-11-30');
    expect(JSON.parse(exported.content)).toMatchObject({ countedTotalUsd: EXACT });
    const set = await request(Number(port), { method: 'POST', path: '/api/budgetSet', headers, body: JSON.stringify({ monthly: '9000000' }) });
    expect(set.status, set.body).toBe(200);
    expect(set.json().month).toMatchObject({ spentUsd: EXACT, health: 'exceeded' });

    const mcp = await startMcp({ BURNRATE_HOME: home, BURNRATE_NOW: NOW, TZ: 'UTC' });
    try {
      const summary = withoutCurrency<{ totalUsd: string }>((await mcp.call('spend_summary', { from: '2026-11-01', to: '2026-11-30' })).structuredContent);
      expect(summary.totalUsd).toBe(EXACT);
      const status = withoutCurrency<{ month: { spentUsd: string } }>((await mcp.call('budget_status')).structuredContent);
      expect(status.month.spentUsd).toBe(EXACT);
    } finally {
      await mcp.close();
    }
  });
});
