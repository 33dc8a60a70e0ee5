import BetterSqlite3, { type Database, type Options } from 'better-sqlite3';

/**
 * Which build of better-sqlite3's native binary this process loads. The desktop app runs on
 * Electron's ABI and brings a build of its own (main/lib/native-binding.ts); the CLI, `serve` and
 * the tests load node_modules' one. openCore sets it once, before any connection opens, and every
 * connection src/ opens (the ledger, a backup being written or checked, a restore's source) takes
 * its options from here: one opened without it loads the Node build, which Electron refuses
 * (NODE_MODULE_VERSION), and the app's daily backup and "Back up now" failed exactly that way.
 * Lint keeps `new BetterSqlite3(…)` to this file.
 */
let binding: string | undefined;

export function useSqliteBinding(file: string | undefined): void {
  binding = file;
}

/** `options` with this process's binary, unless they name one themselves. */
export function sqliteOptions(options: Options = {}): Options {
  return binding && options.nativeBinding === undefined ? { ...options, nativeBinding: binding } : options;
}

/** A connection to `file` (or to an in-memory image of one) through this process's binary. */
export function openSqlite(file: string | Buffer, options?: Options): Database {
  return new BetterSqlite3(file, sqliteOptions(options));
}
