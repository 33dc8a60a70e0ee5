import type { KeySetResult, KeyTestView, KeysListResult, SyncResult, SyncRunsResult } from '../../api/contract/keys';
import { fail, loadedRuntime, runMethod, type CliContext, type Register } from '../context';
import { table } from '../format';

// Commands of the keys and sync area. A key is read from standard input only, never from argv
// (argv is visible to every user in `ps` and lands in shell history).

export function formatKeysList(r: KeysListResult): string {
  if (r.keys.length === 0) {
    return (
      `No provider keys yet. Add one by piping it in, for example: pbpaste | burnrate keys set openai\n` +
      `Keys are kept in the ${r.keychain}; providers with billing APIs: ${r.syncable.join(', ') || 'none'}.`
    );
  }
  const rows = r.keys.map((k) => [
    k.provider,
    k.kind,
    `…${k.last4}`,
    k.storedIn === 'env' ? `env (${k.envVar})` : r.keychain,
    k.active ? '' : `not used while ${k.envVar} is set`,
  ]);
  return table([['provider', 'kind', 'key', 'stored in', ''], ...rows]);
}

export function formatKeySet(r: KeySetResult): string {
  // The core's notes name no command (the window shows them too); the CLI adds its own.
  const { withCommand } = loadedRuntime();
  const notes = r.notes.map((n) => withCommand(n, /^Test the key/.test(n) ? `burnrate keys test ${r.provider}` : undefined));
  return [`Stored the ${r.provider} key (${r.kind}, …${r.last4}) in the ${r.keychain}.`, ...notes].join('\n');
}

export function formatKeyTest(r: KeyTestView): string {
  const lines = [`${r.provider} key …${r.last4} (${r.kind}, from ${r.storedIn === 'env' ? 'the environment' : 'the keychain'}): ${r.ok ? 'works' : 'does not work'}.`];
  if (r.message) lines.push(r.message);
  for (const c of r.can) lines.push(`  can:    ${c}`);
  for (const c of r.cannot) lines.push(`  cannot: ${c}`);
  return lines.join('\n');
}

export function formatSync(r: SyncResult): string {
  if (r.runs.length === 0) return `${r.message} Add one with "burnrate keys set PROVIDER" (it reads the key from standard input).`;
  // A run's sentence is stored and shown everywhere; the CLI adds the command that fixes it.
  const { withRemedy, CLI_REMEDIES } = loadedRuntime();
  const said = (run: SyncResult['runs'][number]) =>
    withRemedy({ message: run.message, reason: run.reason ?? '', facts: { provider: run.provider, trouble: run.keychainTrouble, diagnosis: run.diagnosis } }, CLI_REMEDIES);
  const lines = r.runs.map((run) => `${run.outcome === 'ok' ? 'ok   ' : run.outcome === 'skipped' ? 'skip ' : 'FAIL '} ${said(run)}`);
  if (r.runs.length > 1) lines.push(r.message);
  return lines.join('\n');
}

export function formatSyncRuns(r: SyncRunsResult): string {
  if (r.runs.length === 0) return 'No syncs yet. Run `burnrate sync` after adding a key.';
  return table([
    ['started', 'provider', 'outcome', 'rows', 'changed', 'ms', 'message'],
    ...r.runs.map((run) => [
      run.startedAt,
      run.provider,
      run.errorKind ? `${run.outcome} (${run.errorKind})` : run.outcome,
      String(run.rows),
      String(run.rowsChanged),
      run.durationMs === null ? '—' : String(run.durationMs),
      run.message ?? '',
    ]),
  ], [3, 4, 5]);
}

/**
 * Read the key: from a pipe or file as is; from a terminal without echo, so it never shows on
 * screen or in a scrollback.
 */
export async function readKey(ctx: CliContext, provider: string, what = `the ${provider} key`): Promise<string> {
  const stdin = process.stdin;
  // A pipe or file, or a context that brings its own input (in-process callers): read it as is.
  if (!stdin.isTTY || 'stdin' in ctx.options) return ctx.readStdin();
  ctx.err(`Paste ${what} and press Enter (it is not shown):`);
  return new Promise<string>((resolve, reject) => {
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('Cancelled; no key was stored.'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export const registerKeys: Register = (program, ctx) => {
  const keys = program.command('keys').description('provider keys in the OS keychain (never in the ledger)');

  keys
    .command('set <provider>')
    .description('store a provider key read from standard input (never give it as an argument)')
    .option('--json', 'print one JSON document')
    .action(async (provider: string, opts: { json?: boolean }) => {
      let key: string;
      try {
        key = await readKey(ctx, provider);
      } catch (error) {
        fail(ctx, error, opts.json);
        return;
      }
      await runMethod(ctx, 'keysSet', { provider, key }, opts, formatKeySet);
    });

  keys
    .command('list')
    .description('provider, kind, last 4 characters and where each key is kept')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      await runMethod(ctx, 'keysList', {}, opts, formatKeysList);
    });

  keys
    .command('delete <provider>')
    .description("remove a provider's key from the keychain")
    .option('--json', 'print one JSON document')
    .action(async (provider: string, opts: { json?: boolean }) => {
      await runMethod(ctx, 'keysDelete', { provider }, opts, (r) =>
        [r.deletedFromKeychain ? `Deleted the ${r.provider} key from the keychain.` : `No ${r.provider} key was in the keychain.`, ...r.notes].join('\n'),
      );
    });

  keys
    .command('test <provider>')
    .description('ask the provider what the key can and cannot do')
    .option('--json', 'print one JSON document')
    .action(async (provider: string, opts: { json?: boolean }) => {
      const r = await runMethod(ctx, 'keysTest', { provider }, opts, formatKeyTest);
      if (r && !r.ok) ctx.exitCode = 1;
    });

  program
    .command('sync [provider]')
    .description('fetch what providers billed from their APIs now (every provider with a key, or one)')
    .option('--json', 'print one JSON document')
    .option('--history', 'show recent sync runs instead of syncing')
    .option('--limit <n>', 'how many runs --history shows', '20')
    .action(async (provider: string | undefined, opts: { json?: boolean; history?: boolean; limit: string }) => {
      if (opts.history) {
        await runMethod(ctx, 'syncRuns', { ...(provider ? { provider } : {}), limit: opts.limit }, opts, formatSyncRuns);
        return;
      }
      const r = await runMethod(ctx, 'sync', provider ? { provider } : {}, opts, formatSync);
      if (r && r.runs.some((run) => run.outcome === 'error')) ctx.exitCode = 1;
    });
};
