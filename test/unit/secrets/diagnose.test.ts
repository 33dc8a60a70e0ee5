import { describe, expect, it } from 'vitest';
import { classifyNativeFailure, explainProblem, storeDescription } from '../../../src/secrets/diagnose';

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
