import type { Database } from 'better-sqlite3';
import type { AlertView } from '../api/contract/core';

interface AlertRow {
  id: number;
  rule: string;
  level: AlertView['level'];
  message: string;
  period: string;
  provider: string;
  created_at: string;
  acknowledged_at: string | null;
}

export function listAlerts(db: Database, options: { includeAcknowledged?: boolean; limit?: number } = {}): AlertView[] {
  const rows = db
    .prepare(
      `SELECT id, rule, level, message, period, provider, created_at, acknowledged_at FROM alerts
       ${options.includeAcknowledged ? '' : 'WHERE acknowledged_at IS NULL'}
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .all(options.limit ?? 100) as AlertRow[];
  return rows.map((r) => ({
    id: r.id,
    rule: r.rule,
    level: r.level,
    message: r.message,
    period: r.period,
    provider: r.provider,
    createdAt: r.created_at,
    acknowledged: r.acknowledged_at !== null,
  }));
}
