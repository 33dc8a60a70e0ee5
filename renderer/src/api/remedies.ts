/**
 * The window's remedies, keyed by the core's error reason (src/model/errors.ts): the core's sentence
 * says what went wrong in neutral words; these name the window's own buttons and fields, and where
 * the window can put it right itself, a `fix` the form offers as a button.
 */
import type { ErrorFacts, KeychainTrouble } from '../../../src/api/errors';
import { providerName } from '../components/providers';
import { monthName } from '../format/time';

/** A correction the window can make for the user: the reading form re-sends its figure with replace: true. */
export interface ErrorFix {
  action: 'correct_latest_reading';
  provider: string;
  label: string;
}

interface WindowRemedy {
  /** The window's own sentence instead of the core's, where the core's speaks to a terminal user. */
  replace?: string;
  text?: string;
  fix?: ErrorFix;
}

const text = (facts: ErrorFacts, key: string): string => {
  const v = facts[key];
  return v === undefined || v === null ? '' : String(v);
};

const CORRECT = 'Correct the latest reading';
const MODES = 'switch its mode under “How each provider is tracked”';
/** How the window removes a budget or a cap: the cap's Remove button, a budget's field left empty. */
const removeBudget = (x: ErrorFacts): string => (text(x, 'budget').endsWith('cap') ? 'To remove a cap, choose Remove in its row.' : 'To have none, leave the field empty.');
const correctLatest = (x: ErrorFacts): ErrorFix => ({ action: 'correct_latest_reading', provider: text(x, 'provider'), label: CORRECT });

/** One sentence per keychain trouble (src/model/ports.ts): what is wrong, and what to do on the desktop. */
const KEYCHAIN: Readonly<Record<KeychainTrouble, string>> = {
  locked: 'The system keychain is locked and Burnrate could not ask you to unlock it: unlock it in your system’s passwords app, or log out and back in, then try again.',
  no_keyring: 'The system keychain has no default keyring yet: create one in your system’s passwords app (such as Passwords and Keys, or KWallet), then try again.',
  denied: 'The system keychain refused Burnrate access to the key: try again and allow access when it asks, or log in as the user who saved the key.',
  no_session_bus: 'Burnrate is running outside a desktop session, so no system keychain can answer: start Burnrate from your desktop session, then try again.',
  no_secret_service: 'No keychain service (such as GNOME Keyring or KWallet) is running in your desktop session: turn one on, or log in to a desktop session that starts one, then try again.',
  not_answering: 'The system keychain did not answer: check that it is running and unlocked, then try again.',
  not_loaded: 'Burnrate could not load its keychain support on this system: reinstall Burnrate, then try again.',
  failed: 'The system keychain refused to store or read the key: check that it is unlocked and working, then try again.',
};

/** A core that names no trouble (an older one): the sentence that fits every keychain problem. */
const ANY_KEYCHAIN_TROUBLE = 'The system keychain did not answer: it is locked, or no keychain service is running. Unlock it, or log in to a desktop session that starts one, then try again.';

const keychainSentence = (trouble: string): string => (Object.hasOwn(KEYCHAIN, trouble) ? KEYCHAIN[trouble as KeychainTrouble] : ANY_KEYCHAIN_TROUBLE);

const REMEDIES: Readonly<Record<string, (x: ErrorFacts) => WindowRemedy>> = {
  time_in_future: () => ({ text: 'leave “Taken at” empty for now.' }),
  provider_takes_no_readings: () => ({ text: `To type in figures from its console, ${MODES} to Odometer or Prepaid balance.` }),
  // The core's three sentences (what clashes, when, "Nothing was changed.") shortened to what the
  // form needs: the clash, and the way out (the time of the clashing reading is in the Readings list).
  reading_lower_than_previous: (x) => {
    const clash = `${providerName(text(x, 'provider'))}'s reading of $${text(x, 'amountUsd')} is lower than $${text(x, 'previousUsd')}, read earlier in ${monthName(text(x, 'month'), true)}; a month-to-date figure cannot go down, so nothing was changed.`;
    return x.previousIsLatest === true
      ? { replace: clash, text: `If $${text(x, 'previousUsd')} was mistyped, choose “${CORRECT}” to replace it with $${text(x, 'amountUsd')}, or delete it in the Readings list.`, fix: correctLatest(x) }
      : { replace: clash, text: `If $${text(x, 'previousUsd')} was wrong, delete it in the Readings list first.` };
  },
  reading_higher_than_later: () => ({ text: 'Check “Taken at”, or delete the later reading in the Readings list if it was wrong.' }),
  reading_at_same_time: (x) =>
    x.isLatest === true
      ? { text: `Choose “${CORRECT}” to replace it, or pick another “Taken at”.`, fix: correctLatest(x) }
      : { text: 'Pick another “Taken at”, or delete that reading in the Readings list first.' },
  reading_before_mode: () => ({ text: 'Pick a later “Taken at”, or record the earlier spend as usage.' }),
  reading_above_final: () => ({ text: 'If the final figure was wrong, delete it in the Readings list, then enter the right one.' }),
  final_below_reading: (x) => ({
    replace: `The final figure $${text(x, 'amountUsd')} for ${monthName(text(x, 'month'), true)} is lower than $${text(x, 'readingUsd')} read in that month, and a final figure is at least the month's last reading, so nothing was changed.`,
    text: `Check the amount, or if the $${text(x, 'readingUsd')} reading was wrong, delete it in the Readings list first.`,
  }),
  nothing_to_replace: () => ({ text: `untick “${CORRECT} instead of adding one”.` }),
  reading_not_found: () => ({ text: 'the Readings list shows the current ones.' }),
  topup_needs_balance_mode: () => ({ text: `if it is prepaid, ${MODES} to Prepaid balance first.` }),
  subscription_exists: () => ({ text: 'To change it, end it in the Subscriptions list first.' }),
  budget_zero: (x) => ({ text: removeBudget(x) }),
  budget_negative: (x) => ({ text: removeBudget(x) }),
  key_missing: () => ({ text: 'Add one under Provider keys in Accounts.' }),
  key_refused: () => ({ text: 'Paste a new one under Provider keys in Accounts.' }),
  key_needs_admin: () => ({ text: 'Paste it under Provider keys in Accounts.' }),
  // The core's sentence names shell commands, environment variables and a docs page (right for the
  // CLI, src/secrets/diagnose.ts); the window says, for the trouble the core diagnosed, what to do
  // on the desktop.
  keychain_unavailable: (x) => ({ replace: keychainSentence(text(x, 'trouble')) }),
  // A sync whose key the keychain would not give: the core's sentence is neutral (it is stored with
  // the run), so the window's remedy for the trouble follows it.
  key_unreadable: (x) => ({ text: keychainSentence(text(x, 'trouble')) }),
};

/** The core's sentence (or the window's own) with the window's remedy, and the fix the window can offer. */
export function wordForWindow(message: string, reason: string, facts: ErrorFacts): { message: string; fix?: ErrorFix } {
  const remedy = Object.hasOwn(REMEDIES, reason) ? REMEDIES[reason]!(facts) : {};
  const said = remedy.replace ?? message;
  if (!remedy.text) return remedy.fix ? { message: said, fix: remedy.fix } : { message: said };
  // A remedy in lower case continues the sentence; one in upper case follows it.
  const worded = /^[a-z]/.test(remedy.text) && said.endsWith('.') ? `${said.slice(0, -1)}; ${remedy.text}` : `${said} ${remedy.text}`;
  return remedy.fix ? { message: worded, fix: remedy.fix } : { message: worded };
}

/**
 * A sync failure as the window shows it wherever one appears (Recent syncs, the Sync now toast,
 * what needs attention): the stored sentence, and for a key the keychain would not give, the
 * remedy for its trouble.
 */
export function syncFailureWords(message: string, keychainTrouble: string | null | undefined): string {
  return keychainTrouble ? wordForWindow(message, 'key_unreadable', { trouble: keychainTrouble }).message : message;
}
