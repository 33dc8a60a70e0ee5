import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, errorBody, toApiError } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { classifyNativeFailure, explainProblem, keychainTrouble } from '../../../src/secrets/diagnose';
import { SecretStoreError, type SecretStore, type SecretStoreProblem } from '../../../src/secrets/store';
import { toCallError } from '../../../renderer/src/api/errors';
import type { ErrorFacts } from '../../../src/api/errors';
import type { ContractEvents, Status } from '../../../src/api/contract';
import type { SyncResult, SyncRunsResult } from '../../../src/api/contract/keys';
import { saveKeyMetadata } from '../../../src/secrets/keys';
import { syncFailureWords } from '../../../renderer/src/api/remedies';

// Errors whose core sentence is written for a terminal (a shell command, an environment variable,
// a docs path) or that lacked a what-to-do, as the window words them: produced by the REAL dispatch,
// carried as the plain error body and worded by the renderer.

/** Anything a window user would have to type, or look up outside the window. */
const TERMINAL_WORDS = /--[a-z]|`|\bburnrate [a-z]|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|docs\/|gnome-keyring-daemon|security unlock/;
const sentences = (text: string) => text.split(/(?<=[.?!])\s+(?=[A-Z])/).length;

/**
 * A keychain that fails as a machine's does: the native message diagnosed by the real code
 * (classifyNativeFailure, explainProblem, keychainTrouble), as KeychainStore does. `volatile` when
 * the kernel keyring would have taken the key (Linux without a Secret Service).
 */
function failingKeychain(nativeMessage: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}, volatile = false): SecretStore {
  const classified = classifyNativeFailure(nativeMessage);
  const problem: SecretStoreProblem = volatile && classified === 'unavailable' ? 'volatile' : classified;
  const diagnosis = { problem, platform, nativeMessage, env };
  const fail = async (): Promise<never> => {
    throw new SecretStoreError(problem, explainProblem({ ...diagnosis, provider: 'openai' }), keychainTrouble(diagnosis));
  };
  return { description: 'Secret Service', get: fail, set: fail, delete: fail };
}

let core: Core | undefined;
afterEach(() => core?.close());

function open(secrets?: SecretStore): Core {
  core = openCore({ memory: true, clock: { now: () => new Date('2026-11-20T18:00:00Z') }, timeZone: 'UTC', env: {}, ...(secrets ? { secrets } : {}) });
  return core;
}

async function windowMessage(c: Core, method: string, input: unknown): Promise<{ reason: string; message: string; facts: ErrorFacts }> {
  try {
    await dispatch(c, method, input);
  } catch (error) {
    const shown = toCallError(errorBody(toApiError(error)));
    return { reason: shown.reason, message: shown.message, facts: shown.facts };
  }
  throw new Error(`${method} succeeded`);
}

const BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' };
// Native messages as @napi-rs/keyring gives them (Linux: seen on Debian 12; macOS and Windows: keyring-rs's wording).
const KEYCHAIN_CASES = [
  ['no session bus', 'linux', 'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead', {}, true, 'no_session_bus', /outside a desktop session/],
  ['a bus address with nothing there', 'linux', 'Platform failure: DBus error: Failed to connect to socket /nonexistent/bus: No such file or directory', BUS, false, 'no_session_bus', /outside a desktop session/],
  ['no Secret Service on the bus', 'linux', 'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', BUS, true, 'no_secret_service', /No keychain service .* is running in your desktop session/],
  ['a locked keyring', 'linux', "Couldn't access platform storage: Secret Service: unlock prompt was dismissed", BUS, false, 'locked', /is locked .*unlock it/],
  ['no default keyring yet', 'linux', "Couldn't access platform storage: Secret Service: no result found", BUS, false, 'no_keyring', /no default keyring yet: create one/],
  ['a locked macOS Keychain', 'darwin', 'User interaction is not allowed.', {}, false, 'locked', /is locked .*unlock it/],
  ['access refused at the prompt', 'darwin', 'The user canceled the operation.', {}, false, 'denied', /refused Burnrate access.*allow access/],
  ['access denied on Windows', 'win32', 'Access is denied. (os error 5)', {}, false, 'denied', /refused Burnrate access.*allow access/],
  ['a keychain that does not answer', 'darwin', "Couldn't access platform storage: no storage access", {}, false, 'not_answering', /did not answer: check that it is running/],
  ['another refusal', 'linux', 'Attribute value too long', BUS, false, 'failed', /refused to store or read the key/],
] as const;

describe('a keychain that cannot store a key, in the window', () => {
  it.each(KEYCHAIN_CASES)('%s (%s): its own sentence, what is wrong and what to do on the desktop, no command', async (_, platform, native, env, volatile, trouble, words) => {
    const c = open(failingKeychain(native, platform, env, volatile));
    const shown = await windowMessage(c, 'keysSet', { provider: 'openai', key: 'sk-admin-test-1234567890' });
    expect(shown.reason).toBe('keychain_unavailable');
    expect(shown.facts.trouble).toBe(trouble);
    expect(shown.message).toMatch(words);
    expect(shown.message).not.toMatch(TERMINAL_WORDS);
    expect(sentences(shown.message)).toBe(1);
  });

  it('each trouble has a sentence of its own', async () => {
    const said = new Map<string, string>();
    for (const [, platform, native, env, volatile] of KEYCHAIN_CASES) {
      const shown = await windowMessage(open(failingKeychain(native, platform, env, volatile)), 'keysSet', { provider: 'openai', key: 'sk-admin-test-1234567890' });
      said.set(String(shown.facts.trouble), shown.message);
      core?.close();
      core = undefined;
    }
    expect(said.size).toBe(7);
    expect(new Set(said.values()).size).toBe(said.size);
  });

  it('a keychain library that did not load: reinstall Burnrate', async () => {
    const fail = async (): Promise<never> => {
      throw new SecretStoreError('unavailable', 'The keychain library could not load on this system (boom); reinstall Burnrate, or set the key in the environment instead (see docs/keys-and-sync.md).', 'not_loaded');
    };
    const c = open({ description: 'Secret Service', get: fail, set: fail, delete: fail });
    const shown = await windowMessage(c, 'keysSet', { provider: 'openai', key: 'sk-admin-test-1234567890' });
    expect(shown).toMatchObject({ reason: 'keychain_unavailable', facts: { trouble: 'not_loaded' } });
    expect(shown.message).toBe('Burnrate could not load its keychain support on this system: reinstall Burnrate, then try again.');
  });

  it('a key the keychain does not have: add one under Provider keys', async () => {
    const c = open({ description: 'Secret Service', get: async () => null, set: async () => undefined, delete: async () => false });
    const shown = await windowMessage(c, 'keysTest', { provider: 'openai' });
    expect(shown.reason).toBe('key_missing');
    expect(shown.message).toMatch(/Add one under Provider keys in Accounts\.$/);
  });

  it('an error from a core that names no trouble keeps the sentence that fits them all', () => {
    const shown = toCallError({ error: { code: 'unavailable', reason: 'keychain_unavailable', message: 'The Secret Service … run `gnome-keyring-daemon`' } });
    expect(shown.message).toBe('The system keychain did not answer: it is locked, or no keychain service is running. Unlock it, or log in to a desktop session that starts one, then try again.');
  });

  it('while the CLI keeps the full diagnosis (the command and the environment variable)', () => {
    const cli = explainProblem({ problem: 'volatile', platform: 'linux', provider: 'openai', nativeMessage: 'dbus', env: {} });
    expect(cli).toMatch(/gnome-keyring-daemon --start --components=secrets/);
    expect(cli).toMatch(/BURNRATE_OPENAI_KEY/);
  });
});

describe('a sync whose key the keychain will not give, in the window', () => {
  const NEUTRAL = 'Burnrate could not read the key for OpenAI from the system keychain.';
  /** A key saved when the keychain still answered: the sync asks the keychain for it. */
  const keyed = (c: Core) => saveKeyMetadata(c.db, { provider: 'openai', kind: 'admin', last4: 'cdef', storedIn: 'keychain', updatedAt: '2026-11-20T17:00:00Z' });
  const TWO = [KEYCHAIN_CASES[0], KEYCHAIN_CASES[3]] as const; // no session bus; a locked keyring

  it.each(TWO)('%s: Sync now, its toast, Recent syncs and what needs attention each say the neutral sentence, then the remedy for the trouble', async (_, platform, native, env, volatile, trouble, words) => {
    const c = open(failingKeychain(native, platform, env, volatile));
    keyed(c);
    // The same remedy the window gives when saving a key fails with this trouble: one wording.
    const remedy = (await windowMessage(c, 'keysSet', { provider: 'openai', key: 'sk-admin-test-1234567890' })).message;
    expect(remedy).toMatch(words);
    const expected = `${NEUTRAL} ${remedy}`;

    // "Sync now" for one provider: a refused call, worded by the renderer.
    const one = await windowMessage(c, 'sync', { provider: 'openai' });
    expect(one).toMatchObject({ reason: 'key_unreadable', facts: { trouble } });
    expect(one.message).toBe(expected);

    // "Sync now" for every provider (or the schedule): the failure's toast is worded from the pushed event.
    const pushed: ContractEvents['syncFinished'][] = [];
    c.events.on('syncFinished', (e) => pushed.push(e));
    const all = (await dispatch(c, 'sync', {})) as SyncResult;
    expect(all.runs[0]).toMatchObject({ message: NEUTRAL, keychainTrouble: trouble });
    expect(pushed).toEqual([{ provider: 'openai', outcome: 'error', rows: 0, message: NEUTRAL, keychainTrouble: trouble }]);
    const toast = syncFailureWords(pushed[0]!.message, pushed[0]!.keychainTrouble);
    expect(toast).toBe(expected);

    // Recent syncs and what needs attention, from what was stored.
    const runs = (await dispatch(c, 'syncRuns', { limit: 10 })) as SyncRunsResult;
    expect(runs.runs.map((r) => syncFailureWords(r.message ?? '', r.keychainTrouble))).toEqual([expected, expected]);
    const status = (await dispatch(c, 'status', {})) as Status;
    const failed = status.attention.find((a) => a.kind === 'sync_failed')!;
    expect(syncFailureWords(failed.message, failed.keychainTrouble)).toBe(`OpenAI sync failed 0 hours ago: ${expected}`);

    for (const shown of [one.message, toast, expected]) expect(shown).not.toMatch(TERMINAL_WORDS);
  });

  it('any other sync failure is shown as stored', () => {
    expect(syncFailureWords('OpenAI refused the key: it is wrong, revoked or expired; store a new one.', null)).toBe('OpenAI refused the key: it is wrong, revoked or expired; store a new one.');
  });
});

describe('a team database that does not answer, in the window', () => {
  it('says where nothing answered, in words, and what to check', async () => {
    const c = open();
    const shown = await windowMessage(c, 'teamJoin', { url: 'postgres://bob@127.0.0.1:9/team' });
    expect(shown.reason).toBe('team_store_unreachable');
    expect(shown.message).toBe(
      'The team database at postgres://bob@127.0.0.1:9/team did not answer (nothing accepts connections at 127.0.0.1:9); check the host and port, that the database is running, and that it accepts connections from this machine.',
    );
    expect(shown.message).not.toMatch(/ECONNREFUSED/);
    expect(shown.message).not.toMatch(TERMINAL_WORDS);
  });
});

describe('the odometer refusals, in the window', () => {
  it('a reading below the last one, and a final figure below a reading, each in two sentences that keep the way out', async () => {
    const c = open();
    await dispatch(c, 'providerSet', { provider: 'groq', mode: 'odometer' });
    await dispatch(c, 'readingAdd', { provider: 'groq', amount: '2.10', at: '2026-10-28T09:00:00Z' });
    await dispatch(c, 'readingAdd', { provider: 'groq', amount: '3.07', at: '2026-11-19T09:00:00Z' });
    const lower = await windowMessage(c, 'readingAdd', { provider: 'groq', amount: '2.00' });
    expect(lower.message).toBe(
      "Groq's reading of $2.00 is lower than $3.07, read earlier in November 2026; a month-to-date figure cannot go down, so nothing was changed. If $3.07 was mistyped, choose “Correct the latest reading” to replace it with $2.00, or delete it in the Readings list.",
    );
    const final = await windowMessage(c, 'readingAdd', { provider: 'groq', amount: '1.00', month: '2026-10', final: true });
    expect(final.reason).toBe('final_below_reading');
    expect(final.message).toBe(
      "The final figure $1.00 for October 2026 is lower than $2.10 read in that month, and a final figure is at least the month's last reading, so nothing was changed. Check the amount, or if the $2.10 reading was wrong, delete it in the Readings list first.",
    );
    for (const m of [lower.message, final.message]) expect(sentences(m)).toBe(2);
  });
});
