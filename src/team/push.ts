import type { Database } from 'better-sqlite3';
import { billedKey, memberKey, type BilledFigure, type MemberFigure } from './collect';
import { effectiveOrgs, type TeamConfig } from './config';
import { acknowledge, peekOutbox, queueChanges, type Queued } from './outbox';
import type { SharedDb, SharedQuery } from './pg';

/** Rows per round trip: large enough for throughput, small enough to keep a transaction short. */
export const PUSH_CHUNK = 2000;

export interface PushResult {
  queued: number;
  pushed: number;
  pending: number;
  revision: number | null;
}

/**
 * Queue what changed, then send the outbox in order, chunk by chunk. Each chunk is one store
 * transaction; only after it commits are its rows dropped locally. Killed between the two, the
 * chunk is sent again with the same revisions, which the store ignores (`WHERE excluded.revision >
 * revision`): re-pushing never adds.
 */
export async function pushOutbox(db: Database, shared: SharedDb, config: TeamConfig, now: Date): Promise<PushResult> {
  const queued = queueChanges(db, config, now);
  await shareOrgs(shared, config.machineId, effectiveOrgs(db, config));
  let pushed = 0;
  let revision: number | null = null;
  for (;;) {
    const chunk = peekOutbox(db, PUSH_CHUNK);
    if (chunk.length === 0) break;
    const last = chunk[chunk.length - 1]!.seq;
    await shared.transaction(async (tx) => {
      await upsertMemberRows(tx, config, newestPerKey(chunk, 'member'));
      await upsertBilledRows(tx, config, newestPerKey(chunk, 'billed'));
      await tx.query('UPDATE machines SET revision = GREATEST(revision, $2), last_push_at = now() WHERE id = $1', [config.machineId, last]);
    });
    acknowledge(db, last);
    pushed += chunk.length;
    revision = last;
  }
  return { queued, pushed, pending: 0, revision };
}

/**
 * Which organisation this machine's spend of each provider belongs to, for the rule's "a bill
 * covers its organisation's machines" (src/team/totals.ts): declared or detected at sync, so a
 * detection reaches the store with the bills keyed by it.
 */
async function shareOrgs(shared: SharedQuery, machineId: string, orgs: Record<string, string>): Promise<void> {
  const entries = Object.entries(orgs);
  if (entries.length === 0) return;
  await shared.query(
    `INSERT INTO machine_orgs (machine_id, provider, org_id) SELECT $1, p, o FROM unnest($2::text[], $3::text[]) AS x(p, o)
     ON CONFLICT (machine_id, provider) DO UPDATE SET org_id = excluded.org_id WHERE machine_orgs.org_id <> excluded.org_id`,
    [machineId, entries.map(([p]) => p), entries.map(([, o]) => o)],
  );
}

/** One statement cannot touch a row twice: keep the newest queued figure of each key in a chunk. */
function newestPerKey<K extends 'member' | 'billed'>(chunk: readonly Queued[], kind: K): { seq: number; queuedAt: string; row: K extends 'member' ? MemberFigure : BilledFigure }[] {
  const byKey = new Map<string, { seq: number; queuedAt: string; row: never }>();
  for (const q of chunk) {
    if (q.figure.kind !== kind) continue;
    const key = q.figure.kind === 'member' ? memberKey(q.figure.row) : billedKey(q.figure.row);
    byKey.set(key, { seq: q.seq, queuedAt: q.queuedAt, row: q.figure.row as never });
  }
  return [...byKey.values()];
}

export async function upsertMemberRows(tx: SharedQuery, config: Pick<TeamConfig, 'machineId' | 'member' | 'teamId'>, rows: readonly { seq: number; row: MemberFigure }[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: { seq: number; row: MemberFigure }) => T): T[] => rows.map(pick);
  // Integers travel as text and land in BIGINT exactly.
  await tx.query(
    `INSERT INTO member_rollups (machine_id, local_day, provider, model, project, source, member, team_id, events, input_tokens,
                                 output_tokens, cached_input_tokens, cache_write_tokens, cost_nano, unpriced_events, revision)
     SELECT $1, d, p, m, pr, s, $2, $3, e, it, ot, ct, cw, c, u, r
     FROM UNNEST($4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[],
                 $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[]) AS t(d, p, m, pr, s, e, it, ot, ct, cw, c, u, r)
     ON CONFLICT (machine_id, local_day, provider, model, project, source, member) DO UPDATE SET
       events = excluded.events, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
       cached_input_tokens = excluded.cached_input_tokens, cache_write_tokens = excluded.cache_write_tokens,
       cost_nano = excluded.cost_nano, unpriced_events = excluded.unpriced_events, revision = excluded.revision
     WHERE excluded.revision > member_rollups.revision`,
    [
      config.machineId,
      config.member,
      config.teamId,
      col((r) => r.row.localDay),
      col((r) => r.row.provider),
      col((r) => r.row.model),
      col((r) => r.row.project),
      col((r) => r.row.source),
      col((r) => String(r.row.events)),
      col((r) => String(r.row.inputTokens)),
      col((r) => String(r.row.outputTokens)),
      col((r) => String(r.row.cachedInputTokens)),
      col((r) => String(r.row.cacheWriteTokens)),
      col((r) => String(r.row.costNano)),
      col((r) => String(r.row.unpricedEvents)),
      col((r) => String(r.seq)),
    ],
  );
}

/**
 * Bills are the organisation's: keyed by org, not machine. Two members' copies of one bill are one
 * row; the newest observation wins (a provider revises recent days), a stale copy from a member who
 * was offline does not overwrite a fresher one.
 */
export async function upsertBilledRows(tx: SharedQuery, config: Pick<TeamConfig, 'machineId' | 'teamId'>, rows: readonly { queuedAt: string; row: BilledFigure }[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: { queuedAt: string; row: BilledFigure }) => T): T[] => rows.map(pick);
  await tx.query(
    `INSERT INTO billed_days (team_id, provider, org_id, local_day, model, line_item, project, amount_nano, observed_at, machine_id)
     SELECT $1, p, o, d, m, li, pr, a, at, $2
     FROM UNNEST($3::text[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::timestamptz[]) AS t(p, o, d, m, li, pr, a, at)
     ON CONFLICT (team_id, provider, org_id, local_day, model, line_item, project) DO UPDATE SET
       amount_nano = excluded.amount_nano, observed_at = excluded.observed_at, machine_id = excluded.machine_id
     WHERE excluded.observed_at > billed_days.observed_at`,
    [
      config.teamId,
      config.machineId,
      col((r) => r.row.provider),
      col((r) => r.row.orgId),
      col((r) => r.row.localDay),
      col((r) => r.row.model),
      col((r) => r.row.lineItem),
      col((r) => r.row.project),
      col((r) => String(r.row.amountNano)),
      col((r) => r.queuedAt),
    ],
  );
}
