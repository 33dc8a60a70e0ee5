import { createHash } from 'node:crypto';
import { BurnrateError } from '../model/errors';
import type { SharedDb } from './pg';

/**
 * The shared PostgreSQL schema of a team, in numbered, append-only migrations like the ledger's
 * (src/ledger/migrations): a checksum per applied migration refuses an edited one, and the work
 * runs in one transaction under an advisory lock so members joining at once migrate exactly once.
 *
 * Money is BIGINT nano-USD (1 USD = 1e9; a bigint holds 9.2 billion USD); sums are NUMERIC in SQL
 * and parsed exactly (src/money), never through a float.
 */
export interface SharedMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const SHARED_MIGRATIONS: readonly SharedMigration[] = [
  {
    version: 1,
    name: 'team_core',
    sql: `
CREATE TABLE teams (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per machine that joined; member is the person (several machines may share one member).
CREATE TABLE machines (
  id           TEXT PRIMARY KEY,                 -- random, made at join
  team_id      TEXT NOT NULL REFERENCES teams (id),
  member       TEXT NOT NULL,
  db_role      TEXT NOT NULL DEFAULT current_user, -- for row-level security (docs/team.md)
  joined_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_push_at TIMESTAMPTZ,
  revision     BIGINT NOT NULL DEFAULT 0,        -- newest revision this machine has pushed
  left_at      TIMESTAMPTZ
);
CREATE INDEX machines_team ON machines (team_id);

-- Which provider organisation a machine's spend belongs to (default: the team's one organisation
-- of that provider, org_id 'default'). A day that organisation's bill covers turns these machines'
-- estimates into drift.
CREATE TABLE machine_orgs (
  machine_id TEXT NOT NULL REFERENCES machines (id),
  provider   TEXT NOT NULL,
  org_id     TEXT NOT NULL,
  PRIMARY KEY (machine_id, provider)
);

-- Each machine's daily rollups of everything but bills. Keyed by machine: a re-push replaces.
CREATE TABLE member_rollups (
  machine_id          TEXT NOT NULL REFERENCES machines (id),
  local_day           DATE NOT NULL,
  provider            TEXT NOT NULL,
  model               TEXT NOT NULL,
  project             TEXT NOT NULL,
  source              TEXT NOT NULL,
  member              TEXT NOT NULL,
  team_id             TEXT NOT NULL,
  events              BIGINT NOT NULL,
  input_tokens        BIGINT NOT NULL,
  output_tokens       BIGINT NOT NULL,
  cached_input_tokens BIGINT NOT NULL,
  cache_write_tokens  BIGINT NOT NULL,
  cost_nano           BIGINT NOT NULL,
  unpriced_events     BIGINT NOT NULL,
  revision            BIGINT NOT NULL,
  PRIMARY KEY (machine_id, local_day, provider, model, project, source, member)
);
-- Team status reads a day range of one team through this index only (index-only scan: the figures
-- it sums are INCLUDEd), never the table.
CREATE INDEX member_rollups_team_day ON member_rollups (team_id, local_day, provider)
  INCLUDE (machine_id, member, source, cost_nano, unpriced_events);

-- Provider bills, organisation-wide: keyed by the organisation, never by machine, so two members
-- syncing the same organisation store one figure. The newest observation wins.
CREATE TABLE billed_days (
  team_id     TEXT NOT NULL REFERENCES teams (id),
  provider    TEXT NOT NULL,
  org_id      TEXT NOT NULL,
  local_day   DATE NOT NULL,
  model       TEXT NOT NULL,
  line_item   TEXT NOT NULL,
  project     TEXT NOT NULL,
  amount_nano BIGINT NOT NULL,
  observed_at TIMESTAMPTZ NOT NULL,
  machine_id  TEXT NOT NULL,                     -- who observed it last (for trouble-shooting only)
  PRIMARY KEY (team_id, provider, org_id, local_day, model, line_item, project)
);
CREATE INDEX billed_days_team_day ON billed_days (team_id, local_day, provider) INCLUDE (org_id, amount_nano);

-- Team budgets: like the personal ones (docs/budget.md), scope daily | monthly | provider_monthly.
CREATE TABLE team_budgets (
  team_id     TEXT NOT NULL REFERENCES teams (id),
  scope       TEXT NOT NULL CHECK (scope IN ('daily','monthly','provider_monthly')),
  provider    TEXT NOT NULL DEFAULT '',
  amount_nano BIGINT NOT NULL CHECK (amount_nano >= 0),
  reserve_bp  INTEGER NOT NULL DEFAULT 2000 CHECK (reserve_bp BETWEEN 0 AND 10000),
  enforce     BOOLEAN NOT NULL DEFAULT false,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, scope, provider)
);

-- A team alert fires once per threshold and period for the whole team: the member whose check
-- inserts the row first notifies; everyone else's insert finds it there.
CREATE TABLE team_alerts (
  id          BIGSERIAL PRIMARY KEY,
  team_id     TEXT NOT NULL REFERENCES teams (id),
  provider    TEXT NOT NULL,
  rule        TEXT NOT NULL,                     -- day_80, day_reserve, … as the personal rules (src/budget/rules.ts)
  period      TEXT NOT NULL,                     -- YYYY-MM-DD or YYYY-MM
  level       TEXT NOT NULL,                     -- info | warning | critical
  message     TEXT NOT NULL,
  spent_nano  BIGINT NOT NULL,
  budget_nano BIGINT NOT NULL,
  fired_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  fired_by    TEXT NOT NULL,
  UNIQUE (team_id, rule, provider, period)
);
`,
  },
  {
    version: 2,
    name: 'member_rollups_in_rule_order',
    // Team reads group a machine's rows per day, provider, machine and source, and rank its tiers
    // per day, provider and machine (src/team/totals.ts): an index in that order feeds both without
    // a sort. It replaces the first one (same prefix, so every read it served it serves).
    sql: `
CREATE INDEX member_rollups_team_day_rule ON member_rollups (team_id, local_day, provider, machine_id, source, member)
  INCLUDE (cost_nano, unpriced_events);
DROP INDEX member_rollups_team_day;
`,
  },
];

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex').slice(0, 16);

/** Bring the shared schema to the newest version this build knows; refuse a newer or edited one. */
export async function migrateShared(db: SharedDb): Promise<number> {
  return db.transaction(async (tx) => {
    // One member migrates; others wait here and then find the work done.
    await tx.query('SELECT pg_advisory_xact_lock(727271818)');
    // Looked up first: a least-privilege member (docs/team.md) may not CREATE, even "IF NOT EXISTS".
    const exists = (await tx.query<{ t: string | null }>("SELECT to_regclass('burnrate_schema')::text AS t")).rows[0]?.t;
    if (!exists) {
      await tx.query(`CREATE TABLE burnrate_schema (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    }
    const applied = (await tx.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM burnrate_schema ORDER BY version')).rows;
    const newestKnown = SHARED_MIGRATIONS.at(-1)?.version ?? 0;
    for (const row of applied) {
      const known = SHARED_MIGRATIONS.find((m) => m.version === row.version);
      if (!known) throw new SharedSchemaError(`The team database has schema ${row.version}, newer than this Burnrate knows (${newestKnown}); update Burnrate on this machine.`);
      if (known.name !== row.name || checksum(known.sql) !== row.checksum) {
        throw new SharedSchemaError(`Shared migration ${row.version} (${row.name}) in the team database does not match this build; it was changed by hand.`);
      }
    }
    const done = new Set(applied.map((r) => r.version));
    const pending = SHARED_MIGRATIONS.filter((m) => !done.has(m.version));
    if (pending.length > 0 && exists) {
      const owner = (await tx.query<{ ok: boolean }>("SELECT has_schema_privilege(current_schema(), 'CREATE') AS ok")).rows[0]?.ok;
      if (!owner) throw new SharedSchemaError(`The team database needs shared migration ${pending[0]!.version} (${pending[0]!.name}), which this role may not apply; join once with the schema owner's role.`);
    }
    for (const m of pending) {
      await tx.query(m.sql);
      await tx.query('INSERT INTO burnrate_schema (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, checksum(m.sql)]);
    }
    return newestKnown;
  });
}

/** The shared schema is newer, edited, or needs an owner to migrate: the user's to settle. */
export class SharedSchemaError extends BurnrateError {
  constructor(message: string) {
    super('conflict', 'team_schema', message);
  }
}
