import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from '../ledger/settings';
import { providerOrgs } from '../ledger/provider-orgs';
import { keyFromEnv } from '../secrets/env';
import { secretsOf } from '../secrets/keys';
import type { Core } from '../model/context';
import { BurnrateError } from '../model/errors';
import { keychainUnavailable, SecretStoreError } from '../secrets/store';

/**
 * This machine's membership of a team, kept in the ledger's settings. The URL is stored WITHOUT
 * its password: the password lives in the OS keychain under SECRET_NAME (or, on a headless
 * server without a keychain, in BURNRATE_TEAM_POSTGRES_KEY, which Burnrate never writes anywhere).
 */
export interface TeamConfig {
  url: string;
  teamId: string;
  team: string;
  member: string;
  machineId: string;
  /** Provider → the organisation/account id its bills belong to (absent: 'default'). */
  orgs: Record<string, string>;
  joinedAt: string;
}

export const TEAM_SETTING = 'team';
/** Kept across leave and join, so a machine that re-joins replaces its own rows instead of adding. */
export const MACHINE_SETTING = 'team_machine_id';
export const SECRET_NAME = 'team-postgres';
export const DEFAULT_ORG = 'default';

export function readTeamConfig(db: Database): TeamConfig | null {
  return getSetting<TeamConfig | null>(db, TEAM_SETTING, null);
}

export function requireTeamConfig(db: Database): TeamConfig {
  const config = readTeamConfig(db);
  if (!config) throw new BurnrateError('not_found', 'team_not_joined', 'This machine has not joined a team.');
  return config;
}

export function writeTeamConfig(db: Database, config: TeamConfig | null, now: Date): void {
  if (config === null) db.prepare('DELETE FROM settings WHERE key = ?').run(TEAM_SETTING);
  else setSetting(db, TEAM_SETTING, config, now);
}

export function machineIdOf(db: Database): string {
  return getSetting<string | null>(db, MACHINE_SETTING, null) ?? randomUUID();
}

/**
 * Provider → the organisation this machine's bills belong to: declared at join (`--org`, an
 * override), else what the provider said at the last sync (src/ledger/provider-orgs.ts). A
 * provider in neither is in the team's one organisation of it, DEFAULT_ORG.
 */
export function effectiveOrgs(db: Database, config: Pick<TeamConfig, 'orgs'>): Record<string, string> {
  return { ...providerOrgs(db), ...config.orgs };
}

/** The database password: the environment's, else the keychain's, else none (trust or a .pgpass). */
export async function teamPassword(core: Core): Promise<string | null> {
  return keyFromEnv(core.env, SECRET_NAME) ?? (await keychainCall(() => secretsOf(core).get(SECRET_NAME)));
}

/** A keychain that cannot answer is the user's to fix: its own sentence, as an unavailable dependency. */
export async function keychainCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SecretStoreError) throw keychainUnavailable(error);
    throw error;
  }
}
