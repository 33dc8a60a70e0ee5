import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../../helpers/cli';
import { burnrateAsync } from './helpers/run-cli';

// A sync whose key the REAL OS keychain will not give (KeychainStore, through @napi-rs/keyring), on
// two machines the user would put right differently: one started outside a desktop session (the
// session bus address points at nothing), and one whose session bus runs no keyring service (a
// private dbus-daemon with no services to start). The run keeps a sentence that names no command,
// with the trouble beside it; the CLI still prints the keychain's whole diagnosis, commands and all.

const NOW = '2026-11-10T12:00:00Z';
/** What a window user would have to type: shell commands, environment variables, a docs path. */
const TERMINAL_WORDS = /`|\bburnrate [a-z]|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|docs\/|gnome-keyring-daemon/;
const NEUTRAL = 'Burnrate could not read the key for OpenAI from the system keychain.';

const haveDbus = process.platform === 'linux' && spawnSync('dbus-daemon', ['--version']).status === 0;

let home: string;
let bus: ChildProcess | undefined;
let busAddress = '';

/** A session bus of our own with no service files: nothing on it can answer for org.freedesktop.secrets. */
async function startBareBus(dir: string): Promise<{ child: ChildProcess; address: string }> {
  const config = path.join(dir, 'bare-bus.conf');
  fs.writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
  );
  const child = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before printing its address`)));
  });
  return { child, address };
}

function env(busAddr: string): Record<string, string | undefined> {
  return { BURNRATE_HOME: home, BURNRATE_NOW: NOW, TZ: 'UTC', BURNRATE_OPENAI_KEY: undefined, DBUS_SESSION_BUS_ADDRESS: busAddr };
}

/** A key stored in the keychain earlier, when it still answered: only its index row is in the ledger. */
function indexKeychainKey(provider: string): void {
  const db = new Database(path.join(home, 'ledger.sqlite'));
  db.prepare("INSERT INTO key_metadata (provider, kind, last4, stored_in, updated_at) VALUES (?, 'admin', 'cdef', 'keychain', ?)").run(provider, NOW);
  db.close();
}

interface RunRecord {
  provider: string;
  outcome: string;
  errorKind: string | null;
  message: string | null;
  keychainTrouble: string | null;
}

async function storedRuns(busAddr: string): Promise<RunRecord[]> {
  const r = await burnrateAsync(['sync', '--history', '--json'], env(busAddr));
  expect(r.code).toBe(0);
  return r.json<{ runs: RunRecord[] }>().runs;
}

async function attention(busAddr: string): Promise<{ kind: string; message: string; keychainTrouble?: string }[]> {
  const r = await burnrateAsync(['status', '--json'], env(busAddr));
  expect(r.code).toBe(0);
  return r.json<{ attention: { kind: string; message: string; keychainTrouble?: string }[] }>().attention;
}

beforeAll(async () => {
  if (!haveDbus) return;
  const dir = tempHome('burnrate-bare-bus-');
  ({ child: bus, address: busAddress } = await startBareBus(dir));
});

afterAll(() => {
  bus?.kill();
});

beforeEach(async () => {
  home = tempHome('burnrate-keychain-sync-');
  // Opens (and migrates) the ledger the way any command does.
  expect((await burnrateAsync(['status', '--json'], env('unix:path=/nonexistent/burnrate-test-bus'))).code).toBe(0);
});

describe.runIf(haveDbus)('a sync whose key the keychain will not give', () => {
  it('outside a desktop session: the run keeps a neutral sentence and no_session_bus; `burnrate sync openai` prints the commands', async () => {
    const nowhere = 'unix:path=/nonexistent/burnrate-test-bus';
    indexKeychainKey('openai');
    const r = await burnrateAsync(['sync', 'openai'], env(nowhere));
    expect(r.code).not.toBe(0);
    // The terminal gets the sentence, then the keychain's diagnosis: what to run, and the variable.
    expect(r.stderr).toContain(NEUTRAL);
    expect(r.stderr).toMatch(/nothing answers at the D-Bus session bus address/);
    expect(r.stderr).toMatch(/`gnome-keyring-daemon --start --components=secrets`/);
    expect(r.stderr).toContain('BURNRATE_OPENAI_KEY');

    const [run] = await storedRuns(nowhere);
    expect(run).toMatchObject({ provider: 'openai', outcome: 'error', errorKind: 'config', message: NEUTRAL, keychainTrouble: 'no_session_bus' });

    const failed = (await attention(nowhere)).find((a) => a.kind === 'sync_failed');
    expect(failed).toMatchObject({ message: `OpenAI sync failed 0 hours ago: ${NEUTRAL.slice(0, -1)}.`, keychainTrouble: 'no_session_bus' });
    expect(failed!.message).not.toMatch(TERMINAL_WORDS);

    // As JSON, the error carries the trouble for a window's remedy, and the diagnosis as a fact beside the
    // neutral sentence (the CLI's own message adds it, as it adds its commands to every error).
    const json = await burnrateAsync(['sync', 'openai', '--json'], env(nowhere));
    const body = JSON.parse(json.stderr) as { error: { reason: string; message: string; facts: Record<string, unknown> } };
    expect(body.error).toMatchObject({ reason: 'key_unreadable', facts: { provider: 'openai', trouble: 'no_session_bus' } });
    expect(body.error.message.startsWith(`${NEUTRAL} No Secret Service is available`) || body.error.message.startsWith(`${NEUTRAL} No keychain is available`)).toBe(true);
    expect(body.error.facts.diagnosis).toMatch(/gnome-keyring-daemon/);
    expect(body.error.message).toContain(String(body.error.facts.diagnosis));
  });

  it('a session bus with no keyring service: the scheduled-style sync of every keyed provider stores no_secret_service; `burnrate sync` prints the commands', async () => {
    indexKeychainKey('openai');
    const r = await burnrateAsync(['sync'], env(busAddress));
    // One line per provider: FAIL, the neutral sentence, then the diagnosis for a terminal.
    const line = r.stdout.split('\n').find((l) => l.startsWith('FAIL'));
    expect(line).toBeDefined();
    expect(line).toContain(NEUTRAL);
    expect(line).toMatch(/no Secret Service \(GNOME Keyring, KWallet, KeePassXC\) is running on the D-Bus session bus/);
    expect(line).toMatch(/`gnome-keyring-daemon --start --components=secrets`/);
    expect(line).toContain('BURNRATE_OPENAI_KEY');

    const runs = await storedRuns(busAddress);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ provider: 'openai', outcome: 'error', errorKind: 'config', message: NEUTRAL, keychainTrouble: 'no_secret_service' });
    expect(runs[0]!.message).not.toMatch(TERMINAL_WORDS);

    const failed = (await attention(busAddress)).find((a) => a.kind === 'sync_failed');
    expect(failed).toMatchObject({ keychainTrouble: 'no_secret_service' });
    expect(failed!.message).not.toMatch(TERMINAL_WORDS);
  });
});
