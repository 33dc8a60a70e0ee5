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

export async function withShared<T>(core: Core, config: Pick<TeamConfig, 'url' | 'machineId'>, work: (db: SharedDb) => Promise<T>): Promise<T> {
  const db = await openShared(core, config);
  try {
    return await work(db);
  } finally {
    await db.close().catch(() => undefined);
  }
}
