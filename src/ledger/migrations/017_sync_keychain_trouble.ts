/**
 * 017: a sync that could not read its key from the keychain keeps what the user can put right as
 * data. Until now its message carried the keychain's whole diagnosis, written for a terminal
 * (commands, environment variables), and every transport showed it, the window too.
 *
 * - keychain_trouble: the KeychainTrouble (src/model/ports.ts) of a run that failed reading its
 *   key; NULL for every other run. The message says, in neutral words, that the key could not be
 *   read; each transport words the remedy for the trouble itself.
 *
 * Runs stored before are rewritten here once: the sentence before the diagnosis is kept, and the
 * trouble is read back from the diagnosis's own words (src/secrets/diagnose.ts wrote them).
 */
export const migration017 = {
  version: 17,
  name: 'sync_keychain_trouble',
  sql: `
ALTER TABLE sync_runs ADD COLUMN keychain_trouble TEXT;
UPDATE sync_runs
   SET keychain_trouble = CASE
         WHEN message LIKE '%keychain library could not load%' THEN 'not_loaded'
         WHEN message LIKE '%no D-Bus session bus%' OR message LIKE '%nothing answers at the D-Bus session bus%' THEN 'no_session_bus'
         WHEN message LIKE '%no Secret Service (GNOME Keyring%' THEN 'no_secret_service'
         WHEN message LIKE '%Windows Credential Manager refused access%' THEN 'denied'
         WHEN message LIKE '%is locked%' THEN 'locked'
         WHEN message LIKE '%did not answer%' OR message LIKE '%is not available (%' THEN 'not_answering'
         ELSE 'failed'
       END,
       message = substr(message, 1, instr(message, '. ') - 1) || ' from the system keychain.'
 WHERE outcome = 'error' AND error_kind = 'config' AND message LIKE 'Burnrate could not read the key for %. %';
`,
} as const;
