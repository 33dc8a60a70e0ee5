/** The ledger's file in Burnrate's data folder (its own module: quick readers need no more of db.ts). */
export const LEDGER_FILE = 'ledger.sqlite';
