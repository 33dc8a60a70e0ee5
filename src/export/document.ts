import type { Database } from 'better-sqlite3';
import { countedRule } from '../ledger/summary';
import { dueRows } from '../ledger/view';
import { addTotal, formatUsd, type NanoTotal } from '../money';
import { escapeField } from './csv';
import type { Source } from '../ledger/sources';

/**
 * The export document (CSV or JSON) as a stream of text chunks, so a transport can write a
 * ledger of any size with constant memory: rows are read a chunk at a time by keyset (never one
 * cursor held open, which would make every write of another request fail with "connection busy"),
 * and the caller awaits between chunks so other requests are answered while an export runs.
 *
 * Rows come in local-day order, then time, usage before billed on the same instant (docs/ledger.md).
 */

export const EXPORT_COLUMNS = [
  'kind',
  'local_day',
  'occurred_at',
  'provider',
  'source',
  'model',
  'project',
  'line_item',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'cost_usd',
  'cost_origin',
  'counted',
  'external_id',
] as const;

export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean>;

export interface ExportRequest {
  format: 'csv' | 'json';
  from: string;
  to: string;
  timezone: string;
}

/** Rows read per query: small enough to keep each slice of work short, large enough to be quick. */
export const EXPORT_CHUNK_ROWS = 2000;

interface Cursor {
  day: string;
  at: string;
  id: number;
}

interface Keyed {
  row: ExportRow;
  cursor: Cursor;
}

const START: Cursor = { day: '', at: '', id: 0 };

/** One table read in pages of `limit`, each page starting after the last row of the one before. */
function* pages(db: Database, sql: string, from: string, to: string, limit: number, toRow: (r: never) => Keyed): Generator<Keyed[]> {
  const statement = db.prepare(sql);
  let cursor = START;
  for (;;) {
    // The day bound repeats the cursor's day so SQLite seeks the local_day index instead of scanning from `from`.
    const rows = statement.all(from > cursor.day ? from : cursor.day, to, cursor.day, cursor.at, cursor.id, limit) as never[];
    if (rows.length === 0) return;
    const page = rows.map(toRow);
    yield page;
    cursor = page[page.length - 1]!.cursor;
    if (rows.length < limit) return;
  }
}

/** The first local day an export can hold (usage or billed), or null for an empty ledger. */
export function firstExportDay(db: Database): string | null {
  const row = db.prepare('SELECT MIN(d) AS first FROM (SELECT MIN(local_day) AS d FROM usage_events UNION ALL SELECT MIN(local_day) FROM billed_costs)').get() as {
    first: string | null;
  };
  // Rows the catch-up would store now count too: a read answers as the caught-up ledger would.
  let first = row.first;
  for (const r of dueRows(db)) if (first === null || r.local_day < first) first = r.local_day;
  return first;
}

const USAGE_SQL = `SELECT id, source, provider, model, project, occurred_at, local_day, input_tokens, output_tokens,
  cached_input_tokens, cache_write_tokens, cost_total_nano, cost_origin, external_id
  FROM usage_events WHERE local_day >= ? AND local_day <= ? AND (local_day, occurred_at, id) > (?, ?, ?)
  ORDER BY local_day, occurred_at, id LIMIT ?`;

const BILLED_SQL = `SELECT id, local_day, bucket_start, provider, model, project, line_item, amount_nano, external_id
  FROM billed_costs WHERE local_day >= ? AND local_day <= ? AND (local_day, bucket_start, id) > (?, ?, ?)
  ORDER BY local_day, bucket_start, id LIMIT ?`;

/** A usage_events row as the export and the history read it. */
export interface UsageRecord {
  id: number;
  source: Source;
  provider: string;
  model: string;
  project: string;
  occurred_at: string;
  local_day: string;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cost_total_nano: number | null;
  cost_origin: string;
  external_id: string;
}

interface BilledRecord {
  id: number;
  local_day: string;
  bucket_start: string;
  provider: string;
  model: string;
  project: string;
  line_item: string;
  amount_nano: number;
  external_id: string;
}

/** Every row of the range in export order, a page at a time, with the counted total so far. */
function* exportPages(db: Database, from: string, to: string, limit: number): Generator<{ rows: ExportRow[]; countedNano: NanoTotal }> {
  const counted = countedRule(db, from, to);
  let total = 0n;
  const usageRow = (e: UsageRecord): Keyed => {
    const isCounted = counted.usage(e.local_day, e.provider, e.source, e.model);
    if (isCounted && e.cost_total_nano !== null) total = addTotal(total, e.cost_total_nano);
    return {
      cursor: { day: e.local_day, at: e.occurred_at, id: e.id },
      row: {
        kind: 'usage',
        local_day: e.local_day,
        occurred_at: e.occurred_at,
        provider: e.provider,
        source: e.source,
        model: e.model,
        project: e.project,
        line_item: '',
        input_tokens: e.input_tokens,
        output_tokens: e.output_tokens,
        cached_input_tokens: e.cached_input_tokens,
        cache_write_tokens: e.cache_write_tokens,
        cost_usd: e.cost_total_nano === null ? '' : formatUsd(e.cost_total_nano),
        cost_origin: e.cost_origin,
        counted: isCounted,
        external_id: e.external_id,
      },
    };
  };
  // Rows the catch-up would store now (a read-only view carries them): merged in their place.
  const due = dueRows(db, from, to)
    .map((d) => usageRow(d))
    .sort((a, b) => compareCursors(a.cursor, b.cursor));
  const usage = withDue(pages(db, USAGE_SQL, from, to, limit, usageRow), due, limit);
  const billed = pages(db, BILLED_SQL, from, to, limit, (b: BilledRecord) => {
    const isCounted = counted.billed(b.local_day, b.provider);
    if (isCounted) total = addTotal(total, b.amount_nano);
    return {
      cursor: { day: b.local_day, at: b.bucket_start, id: b.id },
      row: {
        kind: 'billed',
        local_day: b.local_day,
        occurred_at: b.bucket_start,
        provider: b.provider,
        source: 'billing_api',
        model: b.model,
        project: b.project,
        line_item: b.line_item,
        input_tokens: 0,
        output_tokens: 0,
        cached_input_tokens: 0,
        cache_write_tokens: 0,
        cost_usd: formatUsd(b.amount_nano),
        cost_origin: 'billed',
        counted: isCounted,
        external_id: b.external_id,
      },
    };
  });
  // Merge the two ordered streams; a page ends when either side's buffered page runs out.
  const left = new Buffered(usage);
  const right = new Buffered(billed);
  for (;;) {
    const out: ExportRow[] = [];
    while (out.length < limit) {
      const a = left.peek();
      const b = right.peek();
      if (!a && !b) break;
      const takeUsage = a !== undefined && (b === undefined || a.cursor.day < b.cursor.day || (a.cursor.day === b.cursor.day && a.cursor.at <= b.cursor.at));
      out.push((takeUsage ? left : right).take().row);
    }
    if (out.length === 0) return;
    yield { rows: out, countedNano: total };
  }
}

function compareCursors(a: Cursor, b: Cursor): number {
  if (a.day !== b.day) return a.day < b.day ? -1 : 1;
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id - b.id;
}

/** Stored pages with the (few, already ordered) due rows merged into their places. */
function* withDue(source: Generator<Keyed[]>, due: readonly Keyed[], limit: number): Generator<Keyed[]> {
  if (due.length === 0) return yield* source;
  const stored = new Buffered(source);
  let next = 0;
  for (;;) {
    const page: Keyed[] = [];
    while (page.length < limit) {
      const a = stored.peek();
      const d = due[next];
      if (!a && !d) break;
      page.push(d !== undefined && (a === undefined || compareCursors(d.cursor, a.cursor) < 0) ? due[next++]! : stored.take());
    }
    if (page.length === 0) return;
    yield page;
  }
}

/** One item of look-ahead over a generator of pages, loading the next page only when needed. */
class Buffered {
  private page: Keyed[] = [];
  private index = 0;
  private done = false;

  constructor(private readonly source: Generator<Keyed[]>) {}

  peek(): Keyed | undefined {
    while (this.index >= this.page.length && !this.done) {
      const next = this.source.next();
      if (next.done) this.done = true;
      else {
        this.page = next.value;
        this.index = 0;
      }
    }
    return this.page[this.index];
  }

  take(): Keyed {
    const item = this.peek()!;
    this.index++;
    return item;
  }
}

function csvLine(row: ExportRow): string {
  return EXPORT_COLUMNS.map((c) => escapeField(row[c])).join(',') + '\r\n';
}

/**
 * The document as text chunks (a header, one chunk per page, a trailer). The generator's return
 * value is the number of rows. CSV always has its header row, even for an empty range. JSON holds
 * the range, the rows (one per line) and the counted total after them, since it is known only at
 * the end.
 */
export function* exportDocument(db: Database, request: ExportRequest, limit = EXPORT_CHUNK_ROWS): Generator<string, number> {
  const { format, from, to, timezone } = request;
  let count = 0;
  let counted = 0n;
  yield format === 'csv'
    ? EXPORT_COLUMNS.join(',') + '\r\n'
    : `{\n  "from": ${JSON.stringify(from)},\n  "to": ${JSON.stringify(to)},\n  "timezone": ${JSON.stringify(timezone)},\n  "rows": [`;
  for (const page of exportPages(db, from, to, limit)) {
    counted = page.countedNano;
    if (format === 'csv') yield page.rows.map(csvLine).join('');
    else yield page.rows.map((r, i) => `${count + i === 0 ? '' : ','}\n    ${JSON.stringify(r)}`).join('');
    count += page.rows.length;
  }
  if (format === 'json') yield `${count ? '\n  ' : ''}],\n  "rowCount": ${count},\n  "countedTotalUsd": ${JSON.stringify(formatUsd(counted))}\n}\n`;
  return count;
}

/** Give other work (requests, timers) a turn between chunks. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Write the document chunk by chunk through `write` (which may wait for the reader: backpressure),
 * giving other work a turn between chunks. Resolves to the number of rows.
 */
export async function pipeExport(db: Database, request: ExportRequest, write: (chunk: string) => void | Promise<void>, limit = EXPORT_CHUNK_ROWS): Promise<number> {
  const chunks = exportDocument(db, request, limit);
  for (;;) {
    const next = chunks.next();
    if (next.done) return next.value;
    await write(next.value);
    await nextTurn();
  }
}
