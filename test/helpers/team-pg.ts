import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openCore, type Core } from '../../src/app/open';
import { fixedClock } from '../../src/time';
import type { Notice } from '../../src/model/ports';
import { tempHome } from './cli';
import pg from 'pg';
import type { SecretStore } from '../../src/model/ports';

/**
 * The real PostgreSQL the team tests run against: BURNRATE_TEST_PG_URL (scripts/pg-test-setup.sh
 * prints it; .ci/run exports it). Each test file gets a database of its own, dropped at the end.
 * Without the variable the tests are skipped with one line, except under CI, where that fails.
 */
export const PG_URL = process.env.BURNRATE_TEST_PG_URL ?? '';
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
export const HAVE_PG = PG_URL !== '';

if (!HAVE_PG && !IN_CI) {
  process.stdout.write('team tests skipped: BURNRATE_TEST_PG_URL is not set (scripts/pg-test-setup.sh starts PostgreSQL and prints it)\n');
}

export async function admin<T>(work: (c: pg.Client) => Promise<T>, url = PG_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database; returns its URL (with the password, as a user would paste it). */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `burnrate_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => void (await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** A keychain of the process's own (the OS keychain is tested in test/keychain). */
export function memoryKeychain(): SecretStore & { keys: Map<string, string> } {
  const keys = new Map<string, string>();
  return {
    keys,
    description: 'test keychain',
    get: async (k) => keys.get(k) ?? null,
    set: async (k, v) => void keys.set(k, v),
    delete: async (k) => keys.delete(k),
  };
}

/**
 * The scaffolding of a team test file: a fresh database for the file, members with their own
 * BURNRATE_HOME (closed after each test, removed at the end). Call inside a describe.
 */
export function useTeamDatabase(now: string): { url: () => string; member: (notices?: Notice[]) => Core } {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  const homes: string[] = [];
  const cores: Core[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterEach(() => {
    for (const c of cores.splice(0)) c.close();
  });
  afterAll(async () => {
    await db?.drop();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  });
  return {
    url: () => db!.url,
    member(notices = []) {
      const home = tempHome('burnrate-team-');
      homes.push(home);
      const core = openCore({ home, clock: fixedClock(now), timeZone: 'UTC', env: {}, secrets: memoryKeychain(), notifier: { notify: (n) => void notices.push(n) } });
      cores.push(core);
      return core;
    },
  };
}
