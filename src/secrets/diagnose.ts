import { envKeyName } from './env';
import type { KeychainTrouble } from '../model/ports';
import type { SecretStoreProblem } from './store';

/**
 * Turns what the native keychain said into a sentence that says what is wrong and how to fix it.
 * Pure (no native calls), so every branch is unit-tested. The native messages come from
 * keyring-rs via @napi-rs/keyring; they name the store and the failure, never the secret.
 */

export type Platform = NodeJS.Platform;

export function storeDescription(platform: Platform): string {
  switch (platform) {
    case 'darwin':
      return 'macOS Keychain';
    case 'win32':
      return 'Windows Credential Manager';
    default:
      return 'Secret Service';
  }
}

/** What kind of failure a native error message describes. */
export function classifyNativeFailure(message: string): Exclude<SecretStoreProblem, 'volatile'> {
  const m = message.toLowerCase();
  // A locked collection/keychain: the unlock prompt could not be shown or was refused.
  if (
    m.includes('prompt was dismissed') ||
    m.includes('is locked') ||
    m.includes('islocked') ||
    m.includes('interaction is not allowed') || // macOS errSecInteractionNotAllowed
    m.includes('user canceled') ||
    // Secret Service with no default collection yet: creating one needs the same prompt as unlocking.
    m.includes('no result found') ||
    m.includes('authorization')
  ) {
    return 'locked';
  }
  // Nothing to talk to: no session bus, no Secret Service on it, no keychain service.
  if (
    m.includes('dbus') ||
    m.includes('d-bus') ||
    m.includes('org.freedesktop.secrets') ||
    m.includes('no storage access') ||
    m.includes('nostorageaccess') ||
    m.includes('couldn\'t access platform storage') ||
    m.includes('platform failure') ||
    m.includes('not provided by any .service files') ||
    m.includes('serviceunknown') ||
    m.includes('no such file or directory') ||
    m.includes('connection refused')
  ) {
    return 'unavailable';
  }
  return 'failed';
}

/** Why no Secret Service answered (Linux): no session bus, one that is not there, one without a Secret Service, or no answer. */
type LinuxAbsence = 'no_session_bus' | 'bus_unreachable' | 'no_secret_service' | 'not_answering';

function linuxAbsence(nativeMessage: string, env: NodeJS.ProcessEnv): LinuxAbsence {
  const m = nativeMessage.toLowerCase();
  if (!env.DBUS_SESSION_BUS_ADDRESS || m.includes('autolaunch') || m.includes('dbus_session_bus_address')) return 'no_session_bus';
  if (m.includes('failed to connect to socket') || m.includes('connection refused')) return 'bus_unreachable';
  if (m.includes('org.freedesktop.secrets') || m.includes('serviceunknown') || m.includes('.service files')) return 'no_secret_service';
  return 'not_answering';
}

const LINUX_REASON: Record<LinuxAbsence, string> = {
  no_session_bus: 'there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service can answer',
  bus_unreachable: 'nothing answers at the D-Bus session bus address in DBUS_SESSION_BUS_ADDRESS, so no Secret Service can',
  no_secret_service: 'no Secret Service (GNOME Keyring, KWallet, KeePassXC) is running on the D-Bus session bus',
  not_answering: 'the Secret Service did not answer',
};

/** The trouble of a failure the native keychain described (pure, like explainProblem). */
export function keychainTrouble(input: Omit<ExplainInput, 'provider'>): KeychainTrouble {
  const { problem, platform, nativeMessage, env } = input;
  const m = nativeMessage.toLowerCase();
  switch (problem) {
    case 'locked':
      // Windows has no lock: a refusal there is another user's credential, or a denied prompt.
      if (platform === 'win32' || m.includes('user canceled') || m.includes('authorization')) return 'denied';
      return m.includes('no result found') ? 'no_keyring' : 'locked';
    case 'volatile':
    case 'unavailable': {
      if (platform !== 'linux') return 'not_answering';
      // A bus address that points at nothing is, for the user, no desktop session either.
      const absence = linuxAbsence(nativeMessage, env);
      return absence === 'bus_unreachable' ? 'no_session_bus' : absence;
    }
    case 'failed':
      // Windows says so when the credential is another login's (os error 5).
      return m.includes('access is denied') || m.includes('access denied') ? 'denied' : 'failed';
  }
}

const LINUX_FIX =
  'start and unlock one: log in to a desktop session that runs GNOME Keyring or KWallet, or run ' +
  '`gnome-keyring-daemon --start --components=secrets` inside your D-Bus session (or enable KeePassXC\'s Secret Service integration)';

export interface ExplainInput {
  problem: SecretStoreProblem;
  platform: Platform;
  provider: string;
  nativeMessage: string;
  env: NodeJS.ProcessEnv;
}

/** One or two sentences: what went wrong, and what to do. Never includes a secret. */
export function explainProblem(input: ExplainInput): string {
  const { problem, platform, provider, nativeMessage, env } = input;
  const where = storeDescription(platform);
  const envHint = `On a headless server you may instead give the key in ${envKeyName(provider)} (your choice; see docs/keys-and-sync.md).`;
  switch (problem) {
    case 'locked':
      if (platform === 'darwin') return `The macOS Keychain is locked; unlock it (log in, or run \`security unlock-keychain\`) and try again. ${envHint}`;
      if (platform === 'win32') return `Windows Credential Manager refused access; log in to Windows as the user who owns the key and try again. ${envHint}`;
      return `The Secret Service keyring is locked (or no default keyring exists yet) and no unlock prompt could be shown; unlock it by logging in to your desktop session, or on a headless machine run \`gnome-keyring-daemon --unlock --components=secrets\` and type the keyring password on its standard input, then try again. ${envHint}`;
    case 'volatile':
      return (
        `No Secret Service is available: ${LINUX_REASON[linuxAbsence(nativeMessage, env)]}. The only keyring left is the Linux kernel keyring, which forgets keys at reboot without an error, ` +
        `so Burnrate will not store the key there. To fix it, ${LINUX_FIX}. ${envHint}`
      );
    case 'unavailable':
      if (platform === 'linux') return `No keychain is available: ${LINUX_REASON[linuxAbsence(nativeMessage, env)]}. To fix it, ${LINUX_FIX}. ${envHint}`;
      return `The ${where} is not available (${shortReason(nativeMessage)}). ${envHint}`;
    case 'failed':
      return `The ${where} refused the operation (${shortReason(nativeMessage)}). Check that it is unlocked and working, then try again. ${envHint}`;
  }
}

/** The native message, shortened to one line for a parenthesis. */
export function shortReason(nativeMessage: string): string {
  const line = nativeMessage.split('\n')[0]?.trim() ?? '';
  const cut = line.length > 160 ? line.slice(0, 157) + '…' : line;
  return cut.replace(/[.]+$/, '') || 'no reason given';
}
