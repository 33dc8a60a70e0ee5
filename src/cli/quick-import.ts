import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { ImportResultView } from '../api/contract/agents';
import type { CoreOptions } from '../app/open';
import { importInputProblem } from '../agents/import-input';
import { agentReport, knownFiles, scanForChanges } from '../agents/scan';
import { defaultRoots, rootsAt } from '../agents/roots';
import { AGENT_NAMES, type AgentName } from '../ledger/agent-billing';
import { holdsCurrentSchema } from '../ledger/current-schema';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../ledger/busy';
import { LEDGER_FILE } from '../ledger/file-name';
import { getSetting } from '../ledger/settings';
import { openSqlite } from '../ledger/sqlite';
import { resolveHome } from '../paths';
import { resolveTimeZone } from '../time';

/**
 * `burnrate import` when no log changed since the last import: answered with a stat per file and
 * one read of the ledger, before the runtime (contract, handlers, core) is loaded. It is its own
 * bundle (dist/cli-quick-import.cjs, scripts/build.mjs), so a re-import costs about what
 * `burnrate --version` costs plus the stats (issue 16's target: at most 1.5 times that).
 *
 * It answers only what agentsImport would answer with a report of nothing read, and writes
 * nothing. Anything else returns undefined and the command dispatches agentsImport as usual: a
 * changed or new file, a problem to name, input to refuse, a ledger that is missing, foreign, to
 * migrate or filed in another time zone (opening the core re-files it), or any error at all.
 */
export function unchangedImport(input: { agent?: string | undefined; path?: string | undefined }, options: CoreOptions): ImportResultView | undefined {
  if (options.memory) return undefined;
  const agent = input.agent;
  if (agent !== undefined && !(AGENT_NAMES as readonly string[]).includes(agent)) return undefined;
  // Input the handler refuses is left to it to say: its own checks, and the schema's bounds on a path.
  if (importInputProblem(input) || (input.path !== undefined && (input.path.length === 0 || input.path.length > 4096))) return undefined;
  const env = options.env ?? process.env;
  let db: BetterSqlite3.Database | undefined;
  try {
    const timeZone = options.timeZone ?? resolveTimeZone(env);
    const file = path.join(options.home ?? resolveHome(env), LEDGER_FILE);
    if (!fs.existsSync(file)) return undefined;
    // A read-only connection: it leaves the file as it was, even as the last connection closing on
    // a WAL another process left behind (a writable one would check that WAL into the file). A WAL
    // that needs recovering throws here, and the full import below deals with it.
    db = openSqlite(file, { readonly: true, fileMustExist: true, timeout: DEFAULT_BUSY_TIMEOUT_MS, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    // A schema to migrate (or a newer one, or another program's file): the core's open deals with it.
    if (!holdsCurrentSchema(db)) return undefined;
    if (getSetting<string | null>(db, 'rollup_tz', null) !== timeZone) return undefined;
    const known = knownFiles(db);
    const agents = agent !== undefined ? [agent as AgentName] : AGENT_NAMES;
    const reports = [];
    for (const name of agents) {
      const roots = input.path !== undefined ? rootsAt(name, input.path) : defaultRoots(name, env);
      const scan = scanForChanges(roots, known);
      if (scan.changed.length > 0 || scan.problems.length > 0) return undefined;
      reports.push(agentReport(name, roots, scan));
    }
    return { agents: reports };
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
