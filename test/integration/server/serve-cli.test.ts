import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';
import { request } from './http';
import { killServed, serve, URL_LINE } from './serve-process';

afterEach(killServed);

describe('burnrate serve (the command)', () => {
  it('prints exactly one line with the URL, answers the API, and exits cleanly on SIGTERM', async () => {
    const s = await serve(['--port', '0', '--no-jobs']);
    const m = URL_LINE.exec(s.line);
    expect(m, s.line).not.toBeNull();
    const port = Number(m![1]);
    const token = m![2]!;

    const status = await request(port, { path: '/api/status', headers: { Host: `127.0.0.1:${port}`, Authorization: `Bearer ${token}` } });
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ asOf: '2026-11-28T18:00:00.000Z', timezone: 'UTC' });
    const refused = await request(port, { path: '/api/status', headers: { Host: `127.0.0.1:${port}` } });
    expect(refused.status).toBe(401);

    s.child.kill('SIGTERM');
    const { code, signal } = await s.exited;
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(s.stdout()).toBe(`${s.line}\n`);
  });

  it('runs the scheduled jobs by default, and still stops cleanly on SIGTERM (cron stopped, nothing left running)', async () => {
    const s = await serve(['--port', '0']);
    expect(s.line).toMatch(URL_LINE);
    s.child.kill('SIGTERM');
    const { code } = await s.exited;
    expect(code).toBe(0);
    expect(s.stderr()).not.toMatch(/did not stop in time|failed/);
  });

  it('takes a fixed token from BURNRATE_TOKEN and stops on SIGINT', async () => {
    const token = 'fixed-token-for-a-test-1234567890';
    const s = await serve(['--port', '0', '--no-jobs'], { BURNRATE_TOKEN: token });
    expect(s.line.endsWith(`/?token=${token}`)).toBe(true);
    s.child.kill('SIGINT');
    expect((await s.exited).code).toBe(0);
  });

  it('a port in use is a clear error and a non-zero exit, with nothing on stdout', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = burnrate(['serve', '--port', String(port), '--no-jobs'], { BURNRATE_HOME: tempHome() });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad port or a weak token with a sentence', () => {
    const badPort = burnrate(['serve', '--port', 'http'], { BURNRATE_HOME: tempHome() });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/port must be a whole number from 0 to 65535/);
    const weak = burnrate(['serve', '--port', '0', '--token', 'abc'], { BURNRATE_HOME: tempHome() });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/16 to 256 characters/);
  });
});
