import type { Database } from 'better-sqlite3';
import type { AlertView } from '../model/views';
import { higherRules, lowerRules, type AlertCandidate } from './rules';
import { TAKES_ALERT_LEVEL_SQL } from '../notify/channels';

/**
 * The alert store. An alert is written once per rule + period + provider (a unique key, so
 * re-running checks, restarting or re-importing a day never duplicates one), and in the same
 * transaction every notification channel gets an outbox row: delivery can fail or the app can
 * quit, the alert is still delivered later.
 */

export interface AlertDetail extends AlertView {
  acknowledgedAt: string | null;
  /** A higher threshold of the same budget and period that replaced this one in the list. */
  supersededBy: number | null;
  /** The figures at the moment it fired. */
  data: Record<string, unknown>;
}

interface AlertRow {
  id: number;
  rule: string;
  level: AlertView['level'];
  message: string;
  period: string;
  provider: string;
  data: string;
  created_at: string;
  acknowledged_at: string | null;
  superseded_by: number | null;
}

const COLUMNS = 'id, rule, level, message, period, provider, data, created_at, acknowledged_at, superseded_by';

function parseData(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A project cap's alert is stored under "<month>:<project>" (one per project and month, rules.ts);
 * views carry the month and the project apart. A project name may itself hold a colon: the month
 * never does, so the first one splits them.
 */
function periodParts(key: string): { period: string; project: string } {
  const colon = key.indexOf(':');
  return colon === -1 ? { period: key, project: '' } : { period: key.slice(0, colon), project: key.slice(colon + 1) };
}

export function toAlertView(r: AlertRow): AlertView {
  return {
    id: r.id,
    rule: r.rule,
    level: r.level,
    message: r.message,
    ...periodParts(r.period),
    provider: r.provider,
    createdAt: r.created_at,
    acknowledged: r.acknowledged_at !== null,
  };
}

/** The contract's AlertView of a detail (what status and events carry). */
export function plainView(d: AlertDetail): AlertView {
  return {
    id: d.id,
    rule: d.rule,
    level: d.level,
    message: d.message,
    period: d.period,
    provider: d.provider,
    project: d.project,
    createdAt: d.createdAt,
    acknowledged: d.acknowledged,
  };
}

function toDetail(r: AlertRow): AlertDetail {
  return { ...toAlertView(r), acknowledgedAt: r.acknowledged_at, supersededBy: r.superseded_by, data: parseData(r.data) };
}

export interface ListOptions {
  /** Include acknowledged and superseded alerts. */
  all?: boolean;
  limit?: number;
}

/** Open alerts (not acknowledged, not superseded), newest first; or every alert with `all`. */
export function listAlerts(db: Database, options: ListOptions = {}): AlertDetail[] {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM alerts
       ${options.all ? '' : 'WHERE acknowledged_at IS NULL AND superseded_by IS NULL'}
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .all(options.limit ?? 100) as AlertRow[];
  return rows.map(toDetail);
}

export function countOpenAlerts(db: Database): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM alerts WHERE acknowledged_at IS NULL AND superseded_by IS NULL').get() as { n: number }).n;
}

export function getAlert(db: Database, id: number): AlertDetail | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`).get(id) as AlertRow | undefined;
  return row ? toDetail(row) : null;
}

/** Acknowledge one alert (again is fine: the first time is kept). Null when there is no such alert. */
export function acknowledgeAlert(db: Database, id: number, now: Date): AlertDetail | null {
  db.prepare('UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ?').run(now.toISOString(), id);
  return getAlert(db, id);
}

/**
 * Store the alerts that are due; return the ones to announce. One transaction: the alerts, their
 * superseding and their outbox rows appear together or not at all. Of the rules of one family that
 * are new, only the highest is announced, and only if no higher one of that period exists already.
 */
export function storeAlerts(db: Database, due: readonly AlertCandidate[], now: Date): AlertView[] {
  if (due.length === 0) return [];
  const at = now.toISOString();
  const insert = db.prepare(
    `INSERT INTO alerts (rule, period, provider, level, message, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (rule, period, provider) DO NOTHING`,
  );
  const byId = db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`);
  const idOf = db.prepare('SELECT id FROM alerts WHERE rule = ? AND period = ? AND provider = ?');
  // Each channel receives alerts from its chosen level up (notify/channels.ts).
  const channels = db.prepare(`SELECT id FROM notification_channels WHERE ${TAKES_ALERT_LEVEL_SQL} ORDER BY id`);
  const enqueue = db.prepare(
    `INSERT INTO notification_outbox (alert_id, channel_id, created_at, next_attempt_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (alert_id, channel_id) DO NOTHING`,
  );
  return db.transaction(() => {
    const families = new Map<string, { candidate: AlertCandidate; id: number }[]>();
    for (const c of [...due].sort((a, b) => a.rank - b.rank)) {
      if (insert.run(c.rule, c.period, c.provider, c.level, c.message, JSON.stringify(c.data), at).changes !== 1) continue;
      const id = Number((idOf.get(c.rule, c.period, c.provider) as { id: number }).id);
      const key = `${c.family}|${c.period}|${c.provider}`;
      families.set(key, [...(families.get(key) ?? []), { candidate: c, id }]);
    }
    const announced: AlertView[] = [];
    for (const fresh of families.values()) {
      const top = fresh.at(-1)!;
      const { rule, period, provider } = top.candidate;
      const higher = higherRules(rule);
      const higherId = higher.length
        ? (db
            .prepare(`SELECT MAX(id) AS id FROM alerts WHERE period = ? AND provider = ? AND rule IN (${higher.map(() => '?').join(', ')})`)
            .get(period, provider, ...higher) as { id: number | null }).id
        : null;
      const winner = higherId ?? top.id;
      const lower = higherId !== null ? [rule, ...lowerRules(rule)] : lowerRules(rule);
      if (lower.length) {
        db.prepare(
          `UPDATE alerts SET superseded_by = ? WHERE period = ? AND provider = ? AND id != ?
             AND superseded_by IS NULL AND acknowledged_at IS NULL AND rule IN (${lower.map(() => '?').join(', ')})`,
        ).run(winner, period, provider, winner, ...lower);
      }
      if (higherId !== null) continue;
      for (const ch of channels.all({ level: top.candidate.level }) as { id: number }[]) enqueue.run(top.id, ch.id, at, at);
      announced.push(toAlertView(byId.get(top.id) as AlertRow));
    }
    return announced;
  })();
}
