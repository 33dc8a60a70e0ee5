/*
 * Pure data, no imports: the patterns a field's input must match, checked by the core (the
 * contract, the proxy, the e-mail channel) and by the window's forms before they send, so both
 * refuse the same input. The renderer may import this module at run time (eslint.config.js).
 */

/** A project name as the proxy reads it (X-Burnrate-Project, /p/NAME/): 1–100 of letters, digits and . @ : / - _ space. */
export const PROJECT_NAME = /^[\w.@:/ -]{1,100}$/;

/** One e-mail address as the e-mail channel takes it: something@host, without spaces or list separators. */
export const EMAIL_ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+$/;

/**
 * A backup's file name (src/ledger/backupFiles.ts): `ledger-YYYY-MM-DD.sqlite` (daily),
 * `ledger-YYYY-MM-DDTHHMMSSZ.sqlite` (on demand) or `ledger-YYYY-MM-DDTHHMMSSZ-before-restore.sqlite`
 * (what the ledger held before a restore). A name, never a path: the window and HTTP name a backup
 * this way, so no page can point anywhere else on disk.
 */
export const BACKUP_FILE_NAME = /^ledger-(\d{4}-\d{2}-\d{2})(T\d{6}Z)?(-before-restore)?\.sqlite$/;
