import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setSetting } from '../ledger/settings';
import { keyFromEnv } from '../secrets/env';
import { secretsOf } from '../secrets/keys';
import type { Core } from '../model/context';
import { BurnrateError, invalidInput } from '../model/errors';
import type { TeamJoinResult } from '../model/team-views';
import { MACHINE_SETTING, SECRET_NAME, keychainCall, machineIdOf, readTeamConfig, requireTeamConfig, writeTeamConfig, type TeamConfig } from './config';
import { clearOutbox } from './outbox';
import { connectShared, splitPassword, type SharedDb } from './pg';
import { migrateShared } from './shared-schema';
import { redactUrl, storeError, unreachable, withShared } from './session';
import { pushTeam } from './sync';

export interface JoinInput {
  url: string;
  team?: string;
  member?: string;
  /** provider → organisation id its bills belong to. */
  orgs?: Record<string, string>;
}

export const DEFAULT_TEAM = 'team';

/**
 * `team join`: check the URL, connect, create or migrate the shared schema, register this machine
 * (a random id, kept across leave and join), move the password to the keychain, push everything.
 */
export async function joinTeam(core: Core, input: JoinInput): Promise<TeamJoinResult> {
  const { url, password } = parseTeamUrl(input.url);
  const existing = readTeamConfig(core.db);
  if (existing) {
    throw new BurnrateError('conflict', 'team_already_joined', `This machine is already in the team "${existing.team}" (${redactUrl(existing.url)}).`, { team: existing.team });
  }
  const team = (input.team ?? DEFAULT_TEAM).trim();
  const member = (input.member ?? os.userInfo().username).trim();
  if (!team || !member) throw invalidInput('team_name_empty', 'The team and member names must not be empty.');
  const machineId = machineIdOf(core.db);
  let shared: SharedDb;
  try {
    // No password in the URL: the one in the environment, if any (else trust, a .pgpass, a socket).
    shared = await connectShared({ url, password: password ?? keyFromEnv(core.env, SECRET_NAME), applicationName: `burnrate ${machineId.slice(0, 8)}` });
  } catch (error) {
    throw unreachable(url, error);
  }
  let config: TeamConfig;
  let schemaVersion: number;
  let passwordStoredIn: string | null;
  try {
    // The password is good (we are connected): keep it before anything is written anywhere, so a
    // keychain that refuses leaves the store and the ledger as they were.
    passwordStoredIn = await keepPassword(core, password);
    schemaVersion = await migrateShared(shared);
    config = await shared.transaction(async (tx) => {
      await tx.query('INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [randomUUID(), team]);
      const teamId = (await tx.query<{ id: string }>('SELECT id FROM teams WHERE name = $1', [team])).rows[0]!.id;
      const other = await tx.query<{ team_id: string }>('SELECT team_id FROM machines WHERE id = $1', [machineId]);
      if (other.rows[0] && other.rows[0].team_id !== teamId) {
        throw new BurnrateError('conflict', 'team_machine_elsewhere', 'This machine is registered in another team of that database.', { team });
      }
      await tx.query(
        `INSERT INTO machines (id, team_id, member) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET member = excluded.member, left_at = NULL`,
        [machineId, teamId, member],
      );
      for (const [provider, org] of Object.entries(input.orgs ?? {})) {
        await tx.query(
          'INSERT INTO machine_orgs (machine_id, provider, org_id) VALUES ($1, $2, $3) ON CONFLICT (machine_id, provider) DO UPDATE SET org_id = excluded.org_id',
          [machineId, provider, org],
        );
      }
      return { url, teamId, team, member, machineId, orgs: input.orgs ?? {}, joinedAt: core.clock.now().toISOString() };
    });
  } catch (error) {
    throw storeError(url, error);
  } finally {
    await shared.close().catch(() => undefined);
  }
  const now = core.clock.now();
  core.db.transaction(() => {
    // A machine that left and joins again starts from scratch locally; its revisions keep growing
    // (AUTOINCREMENT), so its new rows replace the old ones in the store.
    clearOutbox(core.db);
    setSetting(core.db, MACHINE_SETTING, machineId, now);
    writeTeamConfig(core.db, config, now);
  })();
  const pushed = await pushTeam(core);
  return { team, member, machineId, schemaVersion, passwordStoredIn, pushed: pushed.pushed };
}

/** A PostgreSQL URL, its password apart; anything else is refused in one sentence. */
export function parseTeamUrl(text: string): { url: string; password: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw invalidInput('team_url_invalid', 'The team database URL is not a URL; give one like postgres://user:password@host:5432/dbname.', { field: 'url' });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalidInput('team_url_invalid', `The team database URL must start with postgres:// (it starts with ${parsed.protocol}//).`, { field: 'url' });
  }
  return splitPassword(text);
}

/** The password goes to the keychain (or stays in the environment the user gave it in), never to the ledger. */
async function keepPassword(core: Core, password: string | null): Promise<string | null> {
  if (password === null) return null;
  if (keyFromEnv(core.env, SECRET_NAME) === password) return 'environment';
  const store = secretsOf(core);
  await keychainCall(() => store.set(SECRET_NAME, password));
  return store.description;
}

/** `team leave`: unregister in the store (best effort: its figures stay, they were spent), forget locally. */
export async function leaveTeam(core: Core): Promise<{ team: string; storeUpdated: boolean }> {
  const config = requireTeamConfig(core.db);
  let storeUpdated = true;
  try {
    await withShared(core, config, (db) => db.query('UPDATE machines SET left_at = now() WHERE id = $1', [config.machineId]));
  } catch {
    storeUpdated = false;
  }
  core.db.transaction(() => {
    clearOutbox(core.db);
    writeTeamConfig(core.db, null, core.clock.now());
  })();
  if (keyFromEnv(core.env, SECRET_NAME) === null) await secretsOf(core).delete(SECRET_NAME).catch(() => false);
  return { team: config.team, storeUpdated };
}
