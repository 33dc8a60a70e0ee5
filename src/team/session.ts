import type { Core } from '../model/context';
import { BurnrateError } from '../model/errors';
import { teamPassword, type TeamConfig } from './config';
import { connectShared, type SharedDb } from './pg';

/** Open the team database for one operation; the caller closes it. */
export async function openShared(core: Core, config: Pick<TeamConfig, 'url' | 'machineId'>, password?: string | null): Promise<SharedDb> {
  const secret = password === undefined ? await teamPassword(core) : password;
  try {
    return await connectShared({ url: config.url, password: secret, applicationName: `burnrate ${config.machineId.slice(0, 8)}` });
  } catch (error) {
    throw unreachable(config.url, error);
  }
}

/**
 * The store did not answer or refused us: one sentence, with the URL but never its password, that
 * says what to check. Node's network codes (ECONNREFUSED …) are said in words.
 */
export function unreachable(url: string, error: unknown): BurnrateError {
  const safe = redactUrl(url);
  const code = (error as { code?: unknown } | null)?.code;
  // A server that answered but refused (a SQLSTATE code: the login is class 28, a missing database
  // 3D000…; or its TLS answer) did not fail to answer: say what it said.
  if (typeof code === 'string' && code.startsWith('28') && error instanceof Error) {
    return new BurnrateError('unavailable', 'team_store_unreachable', `The team database at ${safe} refused the login (${error.message}); check the user name and the password.`, { url: safe });
  }
  if (error instanceof Error && ((typeof code === 'string' && /^(?=.*\d)[0-9A-Z]{5}$/.test(code)) || /\bSSL\b|\bTLS\b/.test(error.message))) {
    return new BurnrateError('unavailable', 'team_store_unreachable', `The team database at ${safe} answered but refused the connection (${error.message}); check the database name and the connection settings in the URL.`, { url: safe });
  }
  return new BurnrateError(
    'unavailable',
    'team_store_unreachable',
    `The team database at ${safe} did not answer (${networkCause(error)}); check the host and port, that the database is running, and that it accepts connections from this machine.`,
    { url: safe },
  );
}

/** Why a connection failed, in words where Node gave a code. */
function networkCause(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown; message?: unknown };
  const where = typeof e.address === 'string' ? `${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}` : 'that address';
  switch (e.code) {
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name${typeof e.hostname === 'string' ? ` ${e.hostname}` : ''} could not be found`;
    case 'ETIMEDOUT':
      return `no answer from ${where} in time`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${where}`;
    default:
      return error instanceof Error && error.message ? error.message : String(error);
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return '(an unreadable URL)';
  }
}

/**
 * An error the server answered with (node-postgres puts its SQLSTATE in `code`) as one sentence:
 * a refused privilege is the user's to fix, anything else the store's.
 */
export function storeError(url: string, error: unknown): unknown {
  if (error instanceof BurnrateError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return error;
  const safe = redactUrl(url);
  if (code === '42501') {
    return new BurnrateError('unauthorized', 'team_store_refused', `The team database at ${safe} refused this role: ${error.message}.`, { url: safe, sqlstate: code });
  }
  return new BurnrateError('unavailable', 'team_store_failed', `The team database at ${safe} answered with an error: ${error.message} (SQLSTATE ${code}).`, { url: safe, sqlstate: code });
}

export async function withShared<T>(core: Core, config: Pick<TeamConfig, 'url' | 'machineId'>, work: (db: SharedDb) => Promise<T>): Promise<T> {
  const db = await openShared(core, config);
  try {
    return await work(db);
  } catch (error) {
    throw storeError(config.url, error);
  } finally {
    await db.close().catch(() => undefined);
  }
}
