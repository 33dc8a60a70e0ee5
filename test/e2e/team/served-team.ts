import fs from 'node:fs';
import { newEnv, serve, type Env, type Served } from '../serve';
import { freshDatabase } from '../../helpers/team-pg';

/**
 * A real `burnrate serve` and a fresh team database of its own on BURNRATE_TEST_PG_URL. The
 * password reaches the server through BURNRATE_TEAM_POSTGRES_KEY (the headless way; the keychain
 * way is test/keychain/team), so `bareUrl` is the database's URL without it, as a user types it then.
 */
export async function serveWithTeamDatabase(now: string): Promise<{ db: { url: string }; bareUrl: string; env: Env; served: Served; close: () => Promise<void> }> {
  const db = await freshDatabase();
  const url = new URL(db.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env = newEnv(now, 'UTC');
  const served = await serve({ ...env, BURNRATE_TEAM_POSTGRES_KEY: password } as Env).catch(async (error: unknown) => {
    await db.drop();
    throw error;
  });
  return {
    db,
    bareUrl: url.toString(),
    env,
    served,
    close: async () => {
      await served.stop();
      await db.drop();
      fs.rmSync(env.BURNRATE_HOME, { recursive: true, force: true });
    },
  };
}
