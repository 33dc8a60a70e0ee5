import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE } from '../../../src/ledger/db';
import { burnrateAsync, tempHome } from '../../helpers/cli';
import { commitClock, EXTERNAL_CHANGE_BOUND_MS } from '../../helpers/commit-clock';
import { openEvents, request } from './http';
import { killServed, NOW, serve, URL_LINE } from './serve-process';

afterEach(killServed);

/**
 * The requirement is 1 s from the other process's commit. The watcher polls every 250 ms, so the
 * bound leaves 750 ms for a loaded machine to schedule the server and this test: a bound on the
 * requirement, not a benchmark.
 */
describe('burnrate serve sees writes made by another process', () => {
  it('a `burnrate record` in a second process reaches an SSE client as statusChanged within 1 s of its commit', async () => {
    const home = tempHome();
    const s = await serve(['--port', '0', '--no-jobs'], { BURNRATE_HOME: home });
    const [, portText, token] = URL_LINE.exec(s.line)!;
    const port = Number(portText);
    const headers = { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}` };
    const stream = await openEvents(port, headers);
    expect(stream.status).toBe(200);
    await stream.waitFor(/: connected/);

    const clock = commitClock(path.join(home, LEDGER_FILE));
    try {
      const heard = stream.waitFor(/event: statusChanged\ndata: (.*)\n\n/).then((m) => ({ payload: m[1]!, at: performance.now() }));
      const recorded = await burnrateAsync(['record', '--provider', 'openai', '--model', 'gpt-4o', '--cost', '1.25'], { BURNRATE_HOME: home, BURNRATE_NOW: NOW });
      expect(recorded.code, recorded.stderr).toBe(0);
      // Waits without a clock of its own: a statusChanged that never comes fails on the test's timeout.
      const event = await heard;
      expect(JSON.parse(event.payload)).toEqual({ reason: 'external' }); // from the watcher, not an in-process write
      // The watcher may beat this clock's poll to the commit: then the commit is dated by the event.
      const committedAt = clock.seenAt() ?? event.at;
      expect(event.at - committedAt).toBeLessThanOrEqual(EXTERNAL_CHANGE_BOUND_MS);
    } finally {
      clock.stop();
    }
    const status = await request(port, { path: '/api/status', headers });
    expect(status.json()).toMatchObject({ day: { spentUsd: '1.25' } });
    stream.close();
  });
});
