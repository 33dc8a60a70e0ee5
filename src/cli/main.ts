import { Command, CommanderError } from 'commander';
import { createContext, fail, loadRuntime, loadsRuntimeFirst, type CliContext } from './context';
import { registerCore } from './commands/core';
import { registerBudget } from './commands/budget';
import { registerOdometer } from './commands/odometer';
import { registerKeys } from './commands/keys';
import { registerReconcile } from './commands/reconcile';
import { registerPricing } from './commands/pricing';
import { registerServe } from './commands/serve';
import { registerSettings } from './commands/settings';
import { registerMcp } from './commands/mcp';
import { registerBackup } from './commands/backup';
import { registerAgents } from './commands/agents';
import { registerClose } from './commands/close';
import { registerTeam } from './commands/team';
import { registerProxy } from './commands/proxy';

declare const __BURNRATE_VERSION__: string | undefined;
const VERSION = typeof __BURNRATE_VERSION__ === 'string' ? __BURNRATE_VERSION__ : '0.0.0-dev';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command();
  program
    .name('burnrate')
    .description('See and control what you spend on AI model providers.')
    .version(VERSION)
    .showHelpAfterError('(run burnrate --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) })
    // Start-up pays only for what a command uses: --version and --help never load the core.
    .hook('preAction', async (_program, action) => {
      if (loadsRuntimeFirst(action)) await loadRuntime();
    });
  for (const register of [registerCore, registerBudget, registerOdometer, registerKeys, registerReconcile, registerPricing, registerServe, registerSettings, registerMcp, registerBackup, registerAgents, registerClose, registerTeam, registerProxy]) {
    register(program, ctx);
  }
  return program;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], ctx: CliContext = createContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0; // --help, --version
      return 2;
    }
    await loadRuntime(); // an error thrown before the first action still gets its one sentence
    fail(ctx, error);
  } finally {
    if (!ctx.options.memory) ctx.close();
  }
  return ctx.exitCode;
}
