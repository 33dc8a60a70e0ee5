import { afterEach, describe, expect, it } from 'vitest';
import { dispatch, errorBody, toApiError } from '../../../src/api/dispatch';
import { openCore, type Core } from '../../../src/app/open';
import { explainProblem } from '../../../src/secrets/diagnose';
import { SecretStoreError, type SecretStore, type SecretStoreProblem } from '../../../src/secrets/store';
import { toCallError } from '../../../renderer/src/api/errors';

// Errors whose core sentence is written for a terminal (a shell command, an environment variable,
// a docs path) or that lacked a what-to-do, as the window words them: produced by the REAL dispatch,
// carried as the plain error body and worded by the renderer.

/** Anything a window user would have to type, or look up outside the window. */
const TERMINAL_WORDS = /--[a-z]|`|\bburnrate [a-z]|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|docs\/|gnome-keyring-daemon|security unlock/;
const sentences = (text: string) => text.split(/(?<=[.?!])\s+(?=[A-Z])/).length;

/** A keychain that fails as the machine's did, with the sentence the real diagnosis writes. */
function failingKeychain(problem: SecretStoreProblem, platform: NodeJS.Platform): SecretStore {
  const fail = async (): Promise<never> => {
    throw new SecretStoreError(problem, explainProblem({ problem, platform, provider: 'openai', nativeMessage: 'Platform secure storage failure: DBus error: Unable to autolaunch a dbus-daemon without a $DISPLAY for X11', env: {} }));
  };
  return { description: 'Secret Service', get: fail, set: fail, delete: fail };
}

let core: Core | undefined;
afterEach(() => core?.close());

function open(secrets?: SecretStore): Core {
  core = openCore({ memory: true, clock: { now: () => new Date('2026-11-20T18:00:00Z') }, timeZone: 'UTC', env: {}, ...(secrets ? { secrets } : {}) });
  return core;
}

async function windowMessage(c: Core, method: string, input: unknown): Promise<{ reason: string; message: string }> {
  try {
    await dispatch(c, method, input);
  } catch (error) {
    const shown = toCallError(errorBody(toApiError(error)));
    return { reason: shown.reason, message: shown.message };
  }
  throw new Error(`${method} succeeded`);
}

describe('a keychain that cannot store a key, in the window', () => {
  it.each([
    ['volatile', 'linux'],
    ['unavailable', 'linux'],
    ['locked', 'linux'],
    ['locked', 'darwin'],
    ['failed', 'win32'],
  ] as const)('(%s on %s) says in two sentences that the system keychain is locked or not running, and to unlock or start it; no command', async (problem, platform) => {
    const c = open(failingKeychain(problem, platform));
    const shown = await windowMessage(c, 'keysSet', { provider: 'openai', key: 'sk-admin-test-1234567890' });
    expect(shown.reason).toBe('keychain_unavailable');
    expect(shown.message).toBe('The system keychain did not answer: it is locked, or no keychain service is running. Unlock it, or log in to a desktop session that starts one, then try again.');
    expect(shown.message).not.toMatch(TERMINAL_WORDS);
    expect(sentences(shown.message)).toBeLessThanOrEqual(2);
  });

  it('while the CLI keeps the full diagnosis (the command and the environment variable)', () => {
    const cli = explainProblem({ problem: 'volatile', platform: 'linux', provider: 'openai', nativeMessage: 'dbus', env: {} });
    expect(cli).toMatch(/gnome-keyring-daemon --start --components=secrets/);
    expect(cli).toMatch(/BURNRATE_OPENAI_KEY/);
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
