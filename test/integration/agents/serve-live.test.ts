import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../../helpers/cli';
import { openEvents, request } from '../server/http';
import { killServed, serve, URL_LINE } from '../server/serve-process';

afterEach(killServed);

/** The requirement: new lines reach the ledger (and every window) within 5 s of being written. */
const LIVE_BOUND_MS = 5000;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const line = (id: string, output: number) =>
  JSON.stringify({
    type: 'assistant',
    cwd: '/home/dev/live',
    sessionId: 'live',
    requestId: `req_${id}`,
    timestamp: '2026-11-28T17:00:00.000Z',
    message: { id, model: 'claude-haiku-4-5', usage: { input_tokens: 100_000, output_tokens: output } },
  }) + '\n';

describe('burnrate serve watches the agents\' logs', () => {
  it('imports a line appended to a Claude Code transcript and tells SSE clients (statusChanged) with the new spend, within 5 s', async () => {
    const userHome = tempHome('burnrate-agent-home-');
    const project = path.join(userHome, '.claude', 'projects', '-home-dev-live');
    fs.mkdirSync(project, { recursive: true });
    const log = path.join(project, 'live.jsonl');
    fs.writeFileSync(log, '');
    const s = await serve(['--port', '0', '--no-jobs'], { HOME: userHome, XDG_CONFIG_HOME: path.join(userHome, '.config') });
    const [, portText, token] = URL_LINE.exec(s.line)!;
    const port = Number(portText);
    const headers = { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}` };
    const stream = await openEvents(port, headers);
    await stream.waitFor(/: connected/);
    const before = await request(port, { path: '/api/status', headers });
    expect(before.json()).toMatchObject({ day: { spentUsd: '0.00' } });

    fs.appendFileSync(log, line('msg_live1', 20_000));
    const [, payload] = await within(stream.waitFor(/event: statusChanged\ndata: (\{"reason":"agent-import"\})\n\n/), LIVE_BOUND_MS, 'statusChanged after the line was written');
    expect(JSON.parse(payload!)).toEqual({ reason: 'agent-import' });
    // 100 000 × $1/M + 20 000 × $5/M = $0.20
    const after = await request(port, { path: '/api/status', headers });
    expect(after.json()).toMatchObject({ day: { spentUsd: '0.20' } });
    stream.close();
  });
});
