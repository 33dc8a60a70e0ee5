import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/ledger/migrate';
import { openMemoryLedger } from '../../../src/ledger/db';
import { explainProblem } from '../../../src/secrets/diagnose';

// What a sync stored before 017 when the keychain would not give its key: its sentence, then the
// keychain's whole diagnosis (written by the real explainProblem, as the runner did).
const before = (problem: Parameters<typeof explainProblem>[0]['problem'], platform: NodeJS.Platform, nativeMessage: string, env: NodeJS.ProcessEnv = {}) =>
  `Burnrate could not read the key for OpenAI. ${explainProblem({ problem, platform, provider: 'openai', nativeMessage, env })}`;

const BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' };
const NEUTRAL = 'Burnrate could not read the key for OpenAI from the system keychain.';

describe('migration 017 (a sync that could not read its key keeps the trouble, not the commands)', () => {
  it('rewrites stored keychain failures to the neutral sentence with their trouble, and leaves every other run alone', () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 16);
    const insert = db.prepare(
      `INSERT INTO sync_runs (provider, started_at, finished_at, outcome, error_kind, message) VALUES ('openai', ?, ?, ?, ?, ?)`,
    );
    const runs: [string, string | null, string][] = [
      ['error', 'config', before('volatile', 'linux', 'DBus error: autolaunch disabled', {})],
      ['error', 'config', before('unavailable', 'linux', 'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', BUS)],
      ['error', 'config', before('locked', 'linux', 'unlock prompt was dismissed', BUS)],
      ['error', 'config', before('locked', 'win32', 'Access is denied.')],
      ['error', 'config', before('unavailable', 'darwin', 'no storage access')],
      ['error', 'config', before('failed', 'linux', 'Attribute value too long', BUS)],
      ['error', 'config', 'Burnrate could not read the key for OpenAI. The keychain library could not load on this system (boom); reinstall Burnrate, or set the key in the environment instead (see docs/keys-and-sync.md).'],
      // Not keychain failures: kept word for word, with no trouble.
      ['error', 'config', 'There is no key for OpenAI; store one in Burnrate, or set BURNRATE_OPENAI_KEY.'],
      ['error', 'auth', 'OpenAI refused the key: it is wrong, revoked or expired; store a new one.'],
      ['ok', null, 'Synced OpenAI for 2026-11-01 to 2026-11-09 (UTC): 3 rows, 3 new or changed.'],
    ];
    runs.forEach(([outcome, kind, message], i) => insert.run(`2026-11-0${i}T00:00:00Z`, `2026-11-0${i}T00:00:01Z`, outcome, kind, message));

    migrate(db, 17);

    const after = db.prepare('SELECT message, keychain_trouble AS trouble FROM sync_runs ORDER BY id').all();
    expect(after).toEqual([
      { message: NEUTRAL, trouble: 'no_session_bus' },
      { message: NEUTRAL, trouble: 'no_secret_service' },
      { message: NEUTRAL, trouble: 'locked' },
      { message: NEUTRAL, trouble: 'denied' },
      { message: NEUTRAL, trouble: 'not_answering' },
      { message: NEUTRAL, trouble: 'failed' },
      { message: NEUTRAL, trouble: 'not_loaded' },
      { message: runs[7]![2], trouble: null },
      { message: runs[8]![2], trouble: null },
      { message: runs[9]![2], trouble: null },
    ]);
    db.close();
  });
});
