import type { BackupListView, BackupView } from '../../api/contract';
import fs from 'node:fs';
import path from 'node:path';
import type { Restored, RestoredLive } from '../../ledger';
import { fail, loadedRuntime, runMethod, type CliContext, type Register } from '../context';

const formatBackup = (b: BackupView): string => `Backed up the ledger to ${b.file} (${b.bytes} bytes).`;

function formatList(list: BackupListView): string {
  if (list.backups.length === 0) return `No backups yet in ${list.folder}.`;
  return [`Backups in ${list.folder} (oldest first):`, ...list.backups.map((b) => `  ${b.file}  ${b.bytes} bytes`)].join('\n');
}

function formatRestored(r: Restored | RestoredLive): string {
  const aside = r.setAside ? ` What the ledger held before is kept as ${r.setAside}.` : '';
  return `Restored the ledger from ${r.restored}.${aside}`;
}

/** Print a local-only result (a path the user chose is not a contract input: HTTP must not write files anywhere). */
async function runLocal<T>(ctx: CliContext, opts: { json?: boolean }, work: () => T | Promise<T>, human: (r: T) => string): Promise<void> {
  try {
    const result = await work();
    ctx.out(opts.json ? JSON.stringify(result, null, 2) : human(result));
  } catch (error) {
    fail(ctx, error, opts.json);
  }
}

export const registerBackup: Register = (program, ctx) => {
  program
    .command('backup')
    .description("back up the ledger now (default: into the data folder's backups/, where daily backups are kept)")
    .option('--to <file>', 'write the backup to this file instead')
    .option('--list', 'list the backups in the data folder')
    .option('--json', 'print one JSON document')
    .action(async (opts: { to?: string; list?: boolean; json?: boolean }) => {
      if (opts.list) {
        await runMethod(ctx, 'backupList', {}, opts, formatList);
        return;
      }
      const to = opts.to;
      if (to === undefined) {
        await runMethod(ctx, 'backupCreate', {}, opts, formatBackup);
        return;
      }
      const { backupLedger } = loadedRuntime();
      await runLocal(ctx, opts, () => backupLedger(ctx.core().db, to, ctx.core().clock.now()), formatBackup);
    });
  program
    .command('restore')
    .description('replace what the ledger holds by a backup FILE (checked first; what it held is backed up first). Safe while the app or serve runs.')
    .argument('<file>', 'the backup file')
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { resolveHome, restoreLedger, restoreIntoCore, clockFromEnv, LEDGER_FILE, LedgerError, isCorruption } = loadedRuntime();
      const env = ctx.options.env ?? process.env;
      const home = ctx.options.home ?? resolveHome(env);
      const now = (ctx.options.clock ?? clockFromEnv(env)).now();
      await runLocal(
        ctx,
        opts,
        async () => {
          // A ledger that opens is refilled in place, as the window does, so running processes keep
          // it; a missing one, or one too damaged to open or to copy, is swapped as a file.
          if (!fs.existsSync(path.join(home, LEDGER_FILE))) return restoreLedger(home, file, now);
          const damaged = (error: unknown) => (error instanceof LedgerError && error.code === 'corrupt') || isCorruption(error);
          let core;
          try {
            core = ctx.core();
          } catch (error) {
            if (!damaged(error)) throw error;
            return restoreLedger(home, file, now);
          }
          try {
            return await restoreIntoCore(core, file);
          } catch (error) {
            if (!damaged(error)) throw error;
            ctx.close();
            return restoreLedger(home, file, now);
          }
        },
        formatRestored,
      );
    });
};
