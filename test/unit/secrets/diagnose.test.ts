import { describe, expect, it } from 'vitest';
import { classifyNativeFailure, explainProblem, keychainTrouble, storeDescription } from '../../../src/secrets/diagnose';

// Native messages as @napi-rs/keyring 2.1 gives them (seen on Debian 12 with gnome-keyring 42).
const NO_BUS = 'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead';
const NO_SERVICE = 'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files';
const LOCKED = "Couldn't access platform storage: Secret Service: unlock prompt was dismissed";

describe('classifyNativeFailure', () => {
  it('tells a locked keyring from a missing one', () => {
    expect(classifyNativeFailure(LOCKED)).toBe('locked');
    expect(classifyNativeFailure("Couldn't access platform storage: Secret Service: no result found")).toBe('locked'); // no default keyring yet
    expect(classifyNativeFailure(NO_BUS)).toBe('unavailable');
    expect(classifyNativeFailure(NO_SERVICE)).toBe('unavailable');
    expect(classifyNativeFailure('User interaction is not allowed.')).toBe('locked');
    expect(classifyNativeFailure('Attribute value too long')).toBe('failed');
  });
});

describe('keychainTrouble: what the user can put right', () => {
  const BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' };
  const NOWHERE = 'Platform failure: DBus error: Failed to connect to socket /nonexistent/bus: No such file or directory';
  const of = (nativeMessage: string, platform: NodeJS.Platform = 'linux', env: NodeJS.ProcessEnv = BUS) =>
    keychainTrouble({ problem: classifyNativeFailure(nativeMessage), platform, nativeMessage, env });

  it('tells the Linux absences apart: no session (no bus, or a bus address with nothing there), no Secret Service, no answer', () => {
    expect(of(NO_BUS, 'linux', {})).toBe('no_session_bus');
    expect(of(NOWHERE)).toBe('no_session_bus');
    expect(of(NO_SERVICE)).toBe('no_secret_service');
    expect(of('Platform failure: DBus error: org.freedesktop.DBus.Error.NoReply')).toBe('not_answering');
    // The kernel-keyring fallback refused is the same absence, for the user.
    expect(keychainTrouble({ problem: 'volatile', platform: 'linux', nativeMessage: NO_SERVICE, env: BUS })).toBe('no_secret_service');
  });

  it('tells a locked keyring from a missing default one and from a refusal', () => {
    expect(of(LOCKED)).toBe('locked');
    expect(of("Couldn't access platform storage: Secret Service: no result found")).toBe('no_keyring');
    expect(of('User interaction is not allowed.', 'darwin')).toBe('locked');
    expect(of('The user canceled the operation.', 'darwin')).toBe('denied');
    expect(of('Access is denied. (os error 5)', 'win32')).toBe('denied');
  });

  it('elsewhere: no answer, or another refusal', () => {
    expect(of("Couldn't access platform storage: no storage access", 'darwin')).toBe('not_answering');
    expect(of('Attribute value too long')).toBe('failed');
  });
});

describe('explainProblem', () => {
  const base = { platform: 'linux' as const, provider: 'openai', env: {} };

  it('the kernel-keyring fallback: refuses, says why and how to fix it', () => {
    const m = explainProblem({ ...base, problem: 'volatile', nativeMessage: NO_BUS });
    expect(m).toMatch(/kernel keyring, which forgets keys at reboot/);
    expect(m).toMatch(/will not store the key there/);
    expect(m).toMatch(/no D-Bus session bus/);
    expect(m).toMatch(/gnome-keyring-daemon --start --components=secrets/);
    expect(m).toMatch(/BURNRATE_OPENAI_KEY/);
  });

  it('a bus address with nothing there says so (not "the Secret Service did not answer")', () => {
    const m = explainProblem({ ...base, env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, problem: 'unavailable', nativeMessage: 'Platform failure: DBus error: Failed to connect to socket /nonexistent/bus: No such file or directory' });
    expect(m).toMatch(/nothing answers at the D-Bus session bus address in DBUS_SESSION_BUS_ADDRESS/);
  });

  it('no Secret Service on a running bus', () => {
    const m = explainProblem({ ...base, env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' }, problem: 'unavailable', nativeMessage: NO_SERVICE });
    expect(m).toMatch(/no Secret Service \(GNOME Keyring, KWallet, KeePassXC\) is running/);
  });

  it('a locked keyring says to unlock it, per platform', () => {
    expect(explainProblem({ ...base, problem: 'locked', nativeMessage: LOCKED })).toMatch(/is locked.*unlock it/);
    expect(explainProblem({ ...base, platform: 'darwin', problem: 'locked', nativeMessage: 'User interaction is not allowed.' })).toMatch(
      /macOS Keychain is locked/,
    );
  });

  it('names the store of each platform', () => {
    expect(storeDescription('darwin')).toBe('macOS Keychain');
    expect(storeDescription('win32')).toBe('Windows Credential Manager');
    expect(storeDescription('linux')).toBe('Secret Service');
  });
});
