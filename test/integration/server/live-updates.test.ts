import { afterEach, describe, expect, it } from 'vitest';
import { burnrateAsync, tempHome } from '../../helpers/cli';
import { openEvents, request } from './http';
import { killServed, NOW, serve, URL_LINE } from './serve-process';

afterEach(killServed);

/**
 * The requirement is 1 s from the other process's commit (the watcher polls every 250 ms). The
 * bound is doubled because on a loaded 2-core machine (a full suite beside seven others, load
 * average 18) the server process itself waited over a second for the CPU once.
 */
const LATENCY_BOUND_MS = 2000;

/** Resolves with `promise`, or rejects once `ms` have passed: the requirement's latency bound. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('burnrate serve sees writes made by another process', () => {
  it('a `burnrate record` in a second process reaches an SSE client as statusChanged within 1 s (bound doubled for loaded machines)', async () => {
    const home = tempHome();
    const s = await serve(['--port', '0', '--no-jobs'], { BURNRATE_HOME: home });
    const [, portText, token] = URL_LINE.exec(s.line)!;
    const port = Number(portText);
    const headers = { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}` };
    const stream = await openEvents(port, headers);
    expect(stream.status).toBe(200);
    await stream.waitFor(/: connected/);

    const recorded = await burnrateAsync(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '1.25'], { BURNRATE_HOME: home, BURNRATE_NOW: NOW });
    expect(recorded.code, recorded.stderr).toBe(0);
    // The event may already be there: the watcher can see the commit while the CLI is still exiting.
    const [, payload] = await within(stream.waitFor(/event: statusChanged\ndata: (.*)\n\n/), LATENCY_BOUND_MS, 'statusChanged after the CLI exited');
    expect(JSON.parse(payload!)).toEqual({ reason: 'external' }); // from the watcher, not an in-process write
    const status = await request(port, { path: '/api/status', headers });
    expect(status.json()).toMatchObject({ day: { spentUsd: '1.25' } });
    stream.close();
  });
});
