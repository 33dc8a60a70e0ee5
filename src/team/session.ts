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

/** The store did not answer or refused us: one sentence, with the URL but never its password. */
export function unreachable(url: string, error: unknown): BurnrateError {
  const cause = error instanceof Error ? error.message : String(error);
  const safe = redactUrl(url);
  return new BurnrateError('unavailable', 'team_store_unreachable', `The team database at ${safe} did not answer (${cause}).`, { url: safe });
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
