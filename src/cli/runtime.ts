/**
 * Everything CLI commands run on beyond parsing their arguments: the contract's dispatch (zod
 * schemas, handlers, provider clients), the core, the budget engine, and the transports (loaded
 * later still, only by the commands that serve them). src/cli/context.ts loads this module just
 * before a command's action runs, so `burnrate --version` and `--help` never pay for it.
 *
 * The build makes this module its own bundle (dist/cli-runtime.cjs, scripts/build.mjs) and refuses
 * a build in which a module sits in both bundles: a class such as ApiError or MoneyError must
 * exist once, or `instanceof` fails. So the command files (the entry bundle) reach shared code
 * only through this module, via loadedRuntime().
 */
export { dispatch, errorBody, toApiError } from '../api/dispatch';
export { invalid, unavailable } from '../api/errors';
export { openCore } from '../app/open';
export { DEFAULT_BUSY_TIMEOUT_MS, ONE_SHOT_BUSY_TIMEOUT_MS } from '../ledger/busy';
export { formatUsdForPeople, parseUsd, parseUsdTotal } from '../money';
export { logNotifier } from '../notify/notifier';
export { onceLog } from '../ledger/trouble';
export { withRemedy } from '../model/errors';
export { CLI_REMEDIES, commandFor, withCommand } from './remedies';
export { exportRequest } from '../api/handlers/core';
export { readView } from '../api/read-view';
export { pipeExport } from '../export/document';
export { openExportSink, ReaderGone, streamSink } from './export-output';
export { backupLedger, LEDGER_FILE, LedgerError, restoreLedger } from '../ledger';
export { restoreIntoCore } from '../api/handlers/backup';
export { isCorruption } from '../ledger/trouble';
export { resolveHome } from '../paths';
export { clockFromEnv } from '../time';
export { deliverOutbox } from '../notify/outbox';
export { deliverMessages } from '../notify/messages';
export { readSettings } from '../settings';

/** The transports and jobs, loaded only by the commands that run them. */
export const loadServer = () => import('../server');
export const loadJobs = () => import('../jobs');
export const loadMcp = () => import('../mcp');
export const loadChangeWatcher = () => import('../app/change-watcher');
export const loadAgentWatch = () => import('../agents/watch');
export const loadProxy = () => import('../proxy/server');

/** The proxy's service and the team's figure for it (docs/team.md); loaded only by `proxy` and `serve`. */
export const loadProxyService = () => import('../app/proxy-service');
