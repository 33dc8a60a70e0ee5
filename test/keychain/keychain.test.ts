import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeychainStore } from '../../src/secrets/keychain';
import { BIN } from '../helpers/cli';

/**
 * Against the REAL Secret Service (scripts/test-keychain.sh starts a private gnome-keyring under
 * dbus-run-session). Refuses to run elsewhere so a developer's own keychain is never touched.
 */
const enabled = process.env.BURNRATE_KEYCHAIN_TEST === '1' && process.platform === 'linux';

const service = `Burnrate-test-${process.pid}`;
const store = new KeychainStore({ service });
const used: string[] = [];

afterEach(async () => {
  for (const account of used.splice(0)) await store.delete(account).catch(() => undefined);
});

function run(cmd: string, args: string[], env: Record<string, string | undefined>, input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe.runIf(enabled)('the OS keychain (Secret Service)', () => {
  it('sets, gets and deletes a real secret', async () => {
    used.push('openai');
    const secret = 'sk-admin-RealSecret0123456789abcdef';
    expect(await store.get('openai')).toBeNull();
    await store.set('openai', secret);
    expect(await store.get('openai')).toBe(secret);
    // A second store object (another process would do the same) reads it back from the service.
    expect(await new KeychainStore({ service }).get('openai')).toBe(secret);
    expect(await store.delete('openai')).toBe(true);
    expect(await store.get('openai')).toBeNull();
    expect(await store.delete('openai')).toBe(false);
  });

  it('keeps one secret per provider and replaces it on set', async () => {
    used.push('openai', 'anthropic');
    await store.set('openai', 'sk-admin-first-0000000000');
    await store.set('anthropic', 'sk-ant-admin01-1111111111');
    await store.set('openai', 'sk-admin-second-222222222');
    expect(await store.get('openai')).toBe('sk-admin-second-222222222');
    expect(await store.get('anthropic')).toBe('sk-ant-admin01-1111111111');
  });

  it('pins Linux entries to the Secret Service', () => {
    expect(store.entryOptions()).toEqual({ linux: { store: 'secret-service' } });
    expect(store.description).toBe('Secret Service');
  });

  it('detects the fallback to the kernel keyring and refuses to store there', async () => {
    // Same machine, no Secret Service reachable: what a headless box or a broken session looks like.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-kc-'));
    const key = 'sk-admin-WouldVanishAtReboot0123456789';
    const r = await run(process.execPath, [BIN, 'keys', 'set', 'openai'], { BURNRATE_HOME: home, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, `${key}\n`);
    expect(r.code).toBe(1);
    const kernel = await store.kernelKeyringReachable();
    if (kernel) expect(r.stderr).toMatch(/only keyring left is the Linux kernel keyring, which forgets keys at reboot.*will not store the key there/s);
    else expect(r.stderr).toMatch(/No keychain is available/);
    expect(r.stderr).toMatch(/gnome-keyring-daemon --start --components=secrets/);
    expect(r.stderr).not.toContain(key.slice(0, 12));
    // The window's code for it: a bus address with nothing there is no desktop session.
    const json = await run(process.execPath, [BIN, 'keys', 'set', 'openai', '--json'], { BURNRATE_HOME: home, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, `${key}\n`);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { reason: 'keychain_unavailable', facts: { trouble: 'no_session_bus' } } });
    // Nothing reached the kernel keyring either: the key is in no store at all.
    if (kernel) {
      const { Entry } = await import('@napi-rs/keyring');
      let leaked: string | null = null;
      try {
        leaked = new Entry('Burnrate', 'openai', { linux: { store: 'keyutils' } }).getPassword();
      } catch {
        // The kernel keyring may refuse reads in a container; then nothing can be in it for us either.
      }
      expect(leaked).toBeNull();
    }
  });

  it.each([
    ['a keyring that exists but is locked', true, 'locked'],
    ['no keyring at all yet', false, 'no_keyring'],
  ])('%s: says so and how to unlock it', async (_label, createFirst, trouble) => {
    // A second private session whose gnome-keyring cannot prompt (no display).
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-locked-'));
    fs.mkdirSync(path.join(scratch, 'run'), { mode: 0o700 });
    const env = { XDG_DATA_HOME: path.join(scratch, 'data'), XDG_RUNTIME_DIR: path.join(scratch, 'run'), DISPLAY: undefined, WAYLAND_DISPLAY: undefined };
    if (createFirst) {
      // Create a login keyring with a password in an earlier session; it is locked in the next one.
      // The daemon runs in the foreground so it ends with this session (a bounded wait for its file).
      const made = await run(
        'dbus-run-session',
        [
          '--',
          'bash',
          '-c',
          'echo -n pw | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null & pid=$!; ' +
            'for i in $(seq 1 200); do ls "$XDG_DATA_HOME"/keyrings/login.keyring >/dev/null 2>&1 && break; sleep 0.05; done; ' +
            'kill $pid; wait $pid; test -f "$XDG_DATA_HOME"/keyrings/login.keyring',
        ],
        env,
      );
      expect(made.code).toBe(0);
      expect(fs.readdirSync(path.join(scratch, 'data', 'keyrings')).length).toBeGreaterThan(0);
    }
    const r = await run(
      'dbus-run-session',
      ['--', process.execPath, BIN, 'keys', 'set', 'openai'],
      { ...env, BURNRATE_HOME: path.join(scratch, 'home') },
      'sk-admin-LockedOut0123456789abcd\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/keyring is locked.*unlock it/s);
    expect(r.stderr).toMatch(/gnome-keyring-daemon --unlock/);
    expect(r.stderr).not.toContain('LockedOut');
    // The window's code for it, from the same native answer.
    const json = await run(
      'dbus-run-session',
      ['--', process.execPath, BIN, 'keys', 'set', 'openai', '--json'],
      { ...env, BURNRATE_HOME: path.join(scratch, 'home') },
      'sk-admin-LockedOut0123456789abcd\n',
    );
    expect(JSON.parse(json.stderr.split('\n').find((line) => line.startsWith('{'))!)).toMatchObject({ error: { reason: 'keychain_unavailable', facts: { trouble } } });
  });
});

describe.runIf(!enabled)('the OS keychain', () => {
  it.skip('runs only under scripts/test-keychain.sh (a private Secret Service)', () => undefined);
});
