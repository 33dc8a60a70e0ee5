import type { Command } from 'commander';
import type { Contract, MethodName } from '../api/contract';
import type { ResultOf } from '../api/define';
import type { Core, CoreOptions } from '../app/open';

type Runtime = typeof import('./runtime');
let runtime: Runtime | undefined;

/**
 * Load what commands run on (./runtime.ts) once; src/cli/main.ts awaits it before any action, so
 * actions, `core()` and `fail()` may use it synchronously.
 */
export async function loadRuntime(): Promise<Runtime> {
  runtime ??= await import('./runtime');
  return runtime;
}

/**
 * `burnrate import`'s answer for logs that did not change (./quick-import.ts): its own small
 * bundle, loaded instead of the runtime when that is all a command needs.
 */
export async function loadQuickImport(): Promise<typeof import('./quick-import')> {
  return import('./quick-import');
}

/** Commands whose action loads the runtime itself, only if it needs it (see src/cli/main.ts). */
const runtimeOnDemand = new WeakSet<Command>();

export function loadsRuntimeOnDemand(command: Command): Command {
  runtimeOnDemand.add(command);
  return command;
}

export function loadsRuntimeFirst(command: Command): boolean {
  return !runtimeOnDemand.has(command);
}

export function loadedRuntime(): Runtime {
  if (!runtime) throw new Error('The CLI runtime is used before it was loaded (src/cli/main.ts loads it before each action).');
  return runtime;
}

/** What a command needs: the core (opened on first use), output streams and the exit code. */
export interface CliContext {
  /**
   * The core, opened on first use. A long-running command (serve, proxy, mcp) passes `serving`:
   * its event loop serves others, so it waits for another process's write lock only briefly.
   */
  core(use?: { serving?: boolean }): Core;
  /** The core if a command opened it, without opening one. */
  opened(): Core | undefined;
  out(text: string): void;
  err(text: string): void;
  /** Read all of standard input (keys set). */
  readStdin(): Promise<string>;
  exitCode: number;
  options: CoreOptions;
  close(): void;
}

export function createContext(options: CoreOptions & { stdout?: (s: string) => void; stderr?: (s: string) => void; stdin?: () => Promise<string> } = {}): CliContext {
  let core: Core | undefined;
  const ctx: CliContext = {
    options,
    exitCode: 0,
    core(use = {}) {
      const { openCore, logNotifier, DEFAULT_BUSY_TIMEOUT_MS, ONE_SHOT_BUSY_TIMEOUT_MS } = loadedRuntime();
      const busyTimeoutMs = use.serving ? DEFAULT_BUSY_TIMEOUT_MS : ONE_SHOT_BUSY_TIMEOUT_MS;
      core ??= openCore({ notifier: logNotifier((l) => ctx.err(l)), busyTimeoutMs, ...options });
      return core;
    },
    opened: () => core,
    out: options.stdout ?? ((s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n')),
    err: options.stderr ?? ((s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n')),
    readStdin:
      options.stdin ??
      (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      }),
    close() {
      core?.close();
      core = undefined;
    },
  };
  return ctx;
}

/**
 * Run one contract method for a command: prints the result as exactly one JSON document with
 * --json, else as `human(result)`. Errors: one sentence on stderr and exit code 1.
 */
export async function runMethod<K extends MethodName>(
  ctx: CliContext,
  name: K,
  input: unknown,
  opts: { json?: boolean | undefined },
  human: (result: ResultOf<Contract[K]>) => string,
): Promise<ResultOf<Contract[K]> | undefined> {
  try {
    const { dispatch } = await loadRuntime();
    const result = (await dispatch(ctx.core(), name, input)) as ResultOf<Contract[K]>;
    printResult(ctx, result, opts, human);
    return result;
  } catch (error) {
    fail(ctx, error, opts.json);
    return undefined;
  }
}

/** A method's result: exactly one JSON document with --json, else `human(result)`. */
export function printResult<T>(ctx: CliContext, result: T, opts: { json?: boolean | undefined }, human: (result: T) => string): void {
  ctx.out(opts.json ? JSON.stringify(result, null, 2) : human(result));
}

export function fail(ctx: CliContext, error: unknown, json?: boolean): void {
  const { toApiError, errorBody, withRemedy, CLI_REMEDIES } = loadedRuntime();
  const apiError = toApiError(error);
  // The domain's sentence is neutral; the CLI adds the flags and commands that fix it.
  const message = withRemedy(apiError, CLI_REMEDIES);
  if (json) ctx.err(JSON.stringify({ error: { ...errorBody(apiError).error, message } }));
  else ctx.err(`burnrate: ${message}`);
  ctx.exitCode = apiError.code === 'invalid_input' ? 2 : 1;
}

/** Commander hands options as camelCase; drop undefined so schemas see only what was given. */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type Register = (program: Command, ctx: CliContext) => void;
