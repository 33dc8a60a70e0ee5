import type { z } from 'zod';
import type { Core } from '../../app/open';
import { readBudgets } from '../../budget/budgets';
import { countedRollups, providerDays } from '../../ledger/spend';
import type { Source } from '../../ledger/sources';
import { spendSummary } from '../../ledger/summary';
import { addTotal, compareTotals, formatUsd, formatUsdOrNull, parseUsd, type NanoTotal } from '../../money';
import { parseAt } from '../../model/at';
import { addDays, assertDate, daysBetween, eachDay, firstDayOfMonth, localDay } from '../../time';
import { coreMethods, type ExportResult, type HistoryPage, type RecordResult, type SpendSummary, type UsageRow } from '../contract/core';
import { invalidInput } from '../../model/errors';
import type { HandlersFor } from '../handler';
import { dueRows } from '../../ledger/view';
import { buildStatus } from './status';
import { exportDocument, firstExportDay, type ExportRequest, type UsageRecord } from '../../export/document';

/** Re-recording an id without a time keeps the time first recorded, so the same call is a no-op. */
function storedTime(core: Core, source: string, provider: string, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const row = core.db
    .prepare('SELECT occurred_at FROM usage_events WHERE source = ? AND provider = ? AND external_id = ?')
    .get(source, provider, id) as { occurred_at: string } | undefined;
  return row?.occurred_at;
}

function recordUsage(core: Core, input: z.output<typeof coreMethods.record.input>): RecordResult {
  const occurredAt = parseAt(input.at ?? storedTime(core, input.source, input.provider, input.id), core, { label: 'The time', remedy: 'give the time the usage happened' });
  const costNano = input.cost !== undefined ? parseUsd(input.cost, { label: 'The cost' }) : undefined;
  if (costNano === undefined && input.source === 'manual' && !core.prices.priceFor(input.provider, input.model, occurredAt, 0)) {
    throw invalidInput('no_price_for_usage', `Burnrate has no price for model "${input.model}" of ${input.provider}; give the cost, or add a price for the model first.`, {
      provider: input.provider,
      field: 'cost',
      model: input.model,
    });
  }
  const event = {
    source: input.source as Source,
    provider: input.provider,
    model: input.model,
    occurredAt,
    ...(input.id !== undefined ? { externalId: input.id } : {}),
    ...(input.project !== undefined ? { project: input.project } : {}),
    ...(input.inputTokens !== undefined ? { inputTokens: input.inputTokens } : {}),
    ...(input.outputTokens !== undefined ? { outputTokens: input.outputTokens } : {}),
    ...(input.cachedInputTokens !== undefined ? { cachedInputTokens: input.cachedInputTokens } : {}),
    ...(input.cacheWriteTokens !== undefined ? { cacheWriteTokens: input.cacheWriteTokens } : {}),
    ...(costNano !== undefined ? { costNano } : {}),
  };
  const prepared = core.usage.prepare(event, core.clock.now().toISOString());
  const result = core.usage.write([{ ...event, externalId: prepared.external_id }]);
  if (result.inserted + result.updated > 0) core.spendChanged('record', result.touched);
  return {
    id: prepared.external_id,
    outcome: result.inserted ? 'inserted' : result.updated ? 'updated' : 'unchanged',
    provider: input.provider,
    model: input.model,
    costUsd: formatUsdOrNull(prepared.cost_total_nano),
    priced: prepared.cost_origin,
    localDay: prepared.local_day,
  };
}

function defaultRange(core: Core, from?: string, to?: string, days = 30): { from: string; to: string } {
  const today = localDay(core.clock.now(), core.timeZone);
  const end = to ?? today;
  const start = from ?? addDays(end, -(days - 1));
  if (start > end) throw invalidInput('range_reversed', `The range starts (${start}) after it ends (${end}).`, { from: start, to: end });
  return { from: start, to: end };
}

type EventRow = UsageRecord;
/** How a history filter compares: equal, a bound of the day range, or (the model) a case-insensitive part. */
type Op = '=' | '>=' | '<=' | 'contains';

function toUsageRow(r: EventRow): UsageRow {
  return {
    id: r.id,
    source: r.source,
    provider: r.provider,
    model: r.model,
    project: r.project,
    occurredAt: r.occurred_at,
    localDay: r.local_day,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cachedInputTokens: r.cached_input_tokens,
    cacheWriteTokens: r.cache_write_tokens,
    costUsd: formatUsdOrNull(r.cost_total_nano),
    costOrigin: r.cost_origin,
    externalId: r.external_id,
  };
}

type EventColumn = 'provider' | 'model' | 'project' | 'source' | 'local_day';

const EVENT_COLUMNS = `id, source, provider, model, project, occurred_at, local_day, input_tokens, output_tokens,
  cached_input_tokens, cache_write_tokens, cost_total_nano, cost_origin, external_id`;

/** Newest first: (local day, time, id) descending, as history pages. */
function newestFirst(a: EventRow, b: EventRow): number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(b.local_day, a.local_day) || cmp(b.occurred_at, a.occurred_at) || b.id - a.id;
}

function history(core: Core, input: z.output<typeof coreMethods.history.input>): HistoryPage {
  // A reversed range holds no day: said, as export and summary say it, not answered with an empty page.
  if (input.from && input.to && input.from > input.to) throw invalidInput('range_reversed', `The range starts (${input.from}) after it ends (${input.to}).`, { from: input.from, to: input.to, field: 'from' });
  const filters: [EventColumn, Op, string | undefined][] = [
    ['provider', '=', input.provider],
    // The model matches by part, whatever the case: "gpt" finds gpt-5 and GPT-4o.
    ['model', 'contains', input.model],
    ['project', '=', input.project],
    ['source', '=', input.source],
    ['local_day', '>=', input.from],
    ['local_day', '<=', input.to],
  ];
  const active = filters.filter((f): f is [EventColumn, Op, string] => f[2] !== undefined && f[2] !== '');
  const where = active.map(([column, op]) => (op === 'contains' ? `${column} LIKE ? ESCAPE '\\'` : `${column} ${op} ?`));
  const params: (string | number)[] = active.map(([, op, value]) => (op === 'contains' ? `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : value));
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const pageWhere = [...where];
  const pageParams = [...params];
  let cursor: EventRow | null = null;
  if (input.before) {
    const m = /^(\d{4}-\d{2}-\d{2})\|(.+)\|(\d+)$/.exec(input.before);
    if (!m) throw invalidInput('bad_cursor', 'The cursor "before" is not one this server gave out; start again from the first page.');
    pageWhere.push('(local_day, occurred_at, id) < (?, ?, ?)');
    pageParams.push(m[1]!, m[2]!, Number(m[3]));
    cursor = { local_day: m[1]!, occurred_at: m[2]!, id: Number(m[3]) } as EventRow;
  }
  // Rows the catch-up would store now (a read's view of the ledger) page like stored ones.
  const matches = (r: EventRow) =>
    active.every(([column, op, value]) =>
      op === 'contains' ? String(r[column]).toLowerCase().includes(value.toLowerCase()) : op === '=' ? r[column] === value : op === '>=' ? r[column] >= value : r[column] <= value,
    );
  const due = dueRows(core.db).filter(matches);
  const stored = core.db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM usage_events ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''}
       ORDER BY local_day DESC, occurred_at DESC, id DESC LIMIT ?`,
    )
    .all(...pageParams, input.limit + 1) as EventRow[];
  const rows = [...stored, ...due.filter((r) => cursor === null || newestFirst(cursor, r) < 0)].sort(newestFirst).slice(0, input.limit + 1);
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  const counted = core.db
    .prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(cost_total_nano), 0) AS cost, COUNT(*) - COUNT(cost_total_nano) AS unpriced FROM usage_events ${filter}`)
    .safeIntegers(true) // the filtered rows' cost is a sum: a 64-bit integer (docs/money.md)
    .get(...params) as { n: bigint; cost: bigint; unpriced: bigint };
  const total = Number(counted.n) + due.length;
  let cost: NanoTotal = counted.cost;
  let unpricedRows = Number(counted.unpriced);
  for (const r of due) {
    if (r.cost_total_nano === null) unpricedRows += 1;
    else cost = addTotal(cost, r.cost_total_nano);
  }
  const last = page.at(-1);
  return { rows: page.map(toUsageRow), total, totalCostUsd: formatUsd(cost), unpricedRows, nextCursor: more && last ? `${last.local_day}|${last.occurred_at}|${last.id}` : null };
}

/**
 * Check an export's input (the contract's schema) and range before any byte is written: the one
 * start of every export, in one string (the handler) or streamed (`burnrate export`, HTTP).
 */
export function exportRequest(core: Core, rawInput: unknown): ExportRequest {
  // A ZodError becomes the contract's invalid_input sentence in every transport (toApiError).
  const input = coreMethods.export.input.parse(rawInput ?? {});
  // No start: from the first day the ledger holds, so "everything" is everything, however old.
  const to = input.to ?? localDay(core.clock.now(), core.timeZone);
  const first = firstExportDay(core.db);
  const { from } = defaultRange(core, input.from ?? (first === null || first > to ? to : first), to);
  return { format: input.format, from, to, timezone: core.timeZone };
}

/** The document in one string, for in-process callers (the window, MCP); CLI and HTTP stream it. */
function exportData(core: Core, input: z.output<typeof coreMethods.export.input>): ExportResult {
  const request = exportRequest(core, input);
  const chunks = exportDocument(core.db, request);
  let content = '';
  for (;;) {
    const next = chunks.next();
    if (next.done) return { format: request.format, from: request.from, to: request.to, rows: next.value, content };
    content += next.value;
  }
}

/** One point per day and provider: three years is the longest chart a screen can show. */
const MAX_SERIES_DAYS = 1100;

/** One group per day: a longer range would be an answer of tens of thousands of zero days. */
const MAX_SUMMARY_DAYS = 3660;

function summary(core: Core, input: z.output<typeof coreMethods.spendSummary.input>): SpendSummary {
  const today = localDay(core.clock.now(), core.timeZone);
  const to = assertDate(input.to ?? today, 'The end of the range');
  // Default: the month of `to` up to `to`, so no arguments means this month to today, as status counts it.
  const from = assertDate(input.from ?? firstDayOfMonth(to.slice(0, 7)), 'The start of the range');
  if (from > to) throw invalidInput('range_reversed', `The range starts (${from}) after it ends (${to}).`, { from, to });
  if (input.groupBy === 'day' && daysBetween(from, to) >= MAX_SUMMARY_DAYS) {
    throw invalidInput('range_too_long', `A summary by day covers at most ${MAX_SUMMARY_DAYS} days and ${from} to ${to} is longer; shorten the range or group by provider, model or project.`, {
      from,
      to,
      maxDays: MAX_SUMMARY_DAYS,
    });
  }
  const s = spendSummary(core.db, from, to, input.groupBy);
  return {
    from,
    to,
    timezone: core.timeZone,
    groupBy: input.groupBy,
    totalUsd: formatUsd(s.totalNano),
    groups: s.groups.map((g) => ({
      key: g.key,
      ...(g.provider !== undefined ? { provider: g.provider } : {}),
      costUsd: formatUsd(g.costNano),
      events: g.events,
      inputTokens: g.inputTokens,
      outputTokens: g.outputTokens,
      unpricedEvents: g.unpricedEvents,
    })),
    unpricedEvents: s.unpricedEvents,
  };
}

export const coreHandlers: HandlersFor<typeof coreMethods> = {
  status: (core) => buildStatus(core),
  record: (core, input) => recordUsage(core, input),
  export: (core, input) => exportData(core, input),
  history: (core, input) => history(core, input),
  spendSummary: (core, input) => summary(core, input),
  series: (core, input) => {
    const { from, to } = defaultRange(core, input.from, input.to, input.days ?? 30);
    if (daysBetween(from, to) >= MAX_SERIES_DAYS) {
      throw invalidInput('range_too_long', `A chart covers at most ${MAX_SERIES_DAYS} days (about three years) and ${from} to ${to} is longer; shorten the range.`, { from, to, maxDays: MAX_SERIES_DAYS });
    }
    const days = eachDay(from, to);
    const index = new Map(days.map((d, i) => [d, i]));
    const perProvider = new Map<string, NanoTotal[]>();
    for (const d of providerDays(core.db, from, to)) {
      let arr = perProvider.get(d.provider);
      if (!arr) perProvider.set(d.provider, (arr = days.map(() => 0n)));
      const i = index.get(d.localDay)!;
      arr[i] = addTotal(arr[i]!, d.countedNano);
    }
    const byModel = new Map<string, { provider: string; model: string; cost: NanoTotal }>();
    for (const r of countedRollups(core.db, from, to)) {
      const key = `${r.provider}|${r.model}`;
      const entry = byModel.get(key) ?? { provider: r.provider, model: r.model, cost: 0n };
      entry.cost = addTotal(entry.cost, r.costNano);
      byModel.set(key, entry);
    }
    return {
      from,
      to,
      days,
      providers: [...perProvider.entries()].map(([provider, arr]) => ({ provider, dailyUsd: arr.map((nano) => formatUsd(nano)) })),
      byModel: [...byModel.values()]
        .sort((a, b) => compareTotals(b.cost, a.cost))
        .map((m) => ({ provider: m.provider, model: m.model || '(unspecified)', costUsd: formatUsd(m.cost) })),
      dailyBudgetUsd: formatUsdOrNull(readBudgets(core.db).daily),
    };
  },
};
