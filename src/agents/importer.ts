import type { Database, Statement } from 'better-sqlite3';
import { AGENT_NAMES, type AgentName } from '../ledger/agent-billing';
import { beginBulkWrites } from '../ledger/bulk-writes';
import { getSetting } from '../ledger/settings';
import type { PriceSnapshots } from '../pricing/fixed-prices';
import { V, type RowValues } from '../ledger/usage-row';
import type { Core } from '../model/context';
import { uniqueDayKeys, type DayKey } from '../model/day-key';
import { CountedOnce } from './counted-once';
import { replacesSeen } from './merge-rule';
import type { FileState, FileTask } from './parse-file';
import { BATCH_ROWS } from './parse-messages';
import { defaultWorkerCount, defaultWorkerScript, parseHere, parseInOrder, type PoolOptions, type ReadProblem, type TaskChunk } from './parse-pool';
import type { MergeRule } from './parsers/types';
import type { RowShaper } from './row-chunk';
import { defaultRoots, rootsAt, type AgentRoot } from './roots';
import { agentReport, knownFiles, scanForChanges, type AgentImportReport } from './scan';

/**
 * Imports coding-agent logs into the ledger, incrementally and crash-safe (docs/agents.md).
 *
 * Per file, agent_log_files remembers the stat, the offset after the last complete line, a
 * fingerprint of the first bytes and the parser's carry. Rows are written in batches, each in ONE
 * transaction with the new offsets of the files they came from, so after a kill -9 the next import
 * starts exactly after the last committed line. A file whose size and mtime did not change is not
 * opened at all. Reading and parsing (parse-file.ts) may run in worker threads (parse-pool.ts)
 * while this thread writes; the rows are the same either way.
 */

/** Rows per transaction (parse-messages.ts says why so many). */
const BATCH = BATCH_ROWS;
const FIRST_BATCH = 1_000;

export interface ImportOptions {
  agents?: readonly AgentName[];
  /** Read this folder instead of the agents' default roots. */
  path?: string;
  /**
   * Parse in worker threads (runParallel): the bundled worker script and how many. Defaults to the
   * worker beside the running bundle; none there (tests from sources) reads in this thread.
   */
  workers?: Omit<PoolOptions, 'projects' | 'workers' | 'shaper' | 'shaping' | 'pricesGeneration'> & { count: number };
}

export type { AgentImportReport } from './scan';

export interface ImportReport {
  agents: AgentImportReport[];
  touched: DayKey[];
}


export class AgentImporter {
  private readonly stateOf: Statement;
  private readonly putState: Statement;
  private readonly countedOnce: CountedOnce;
  /** Rows are priced and filed as the usage writer would, in this thread, as each chunk is taken. */
  private readonly shaper: RowShaper;

  /**
   * @param prices the user's prices as the workers of `runParallel` get them (the app's catalogue);
   *   without them `runParallel` reads in this thread.
   */
  constructor(
    private readonly core: Core,
    private readonly prices?: PriceSnapshots,
  ) {
    this.shaper = (event) => core.usage.shape(event);
    const db = core.db;
    this.stateOf = db.prepare('SELECT * FROM agent_log_files WHERE path = ?');
    this.putState = db.prepare(
      `INSERT INTO agent_log_files (path, agent, size, mtime_ms, offset, fp_len, fingerprint, carry, rows, skipped, imported_at)
       VALUES (@path, @agent, @size, @mtime_ms, @offset, @fp_len, @fingerprint, @carry, @rows, @skipped, @imported_at)
       ON CONFLICT (path) DO UPDATE SET agent = excluded.agent, size = excluded.size, mtime_ms = excluded.mtime_ms,
         offset = excluded.offset, fp_len = excluded.fp_len, fingerprint = excluded.fingerprint, carry = excluded.carry,
         rows = excluded.rows, skipped = excluded.skipped, imported_at = excluded.imported_at`,
    );
    this.countedOnce = new CountedOnce(core);
  }

  rootsOf(agent: AgentName, dir?: string): AgentRoot[] {
    return dir ? rootsAt(agent, dir) : defaultRoots(agent, this.core.env);
  }

  /** Import every agent asked for, reading in this thread; tells every window once if spend changed. */
  run(options: ImportOptions = {}): ImportReport {
    const projects = projectMap(this.core.db);
    const end = beginBulkWrites(this.core.db);
    try {
      return this.finish(this.agentsOf(options).map((agent) => {
        const { report, tasks, batch } = this.plan(agent, options);
        tasks.forEach((task) => this.readHere(task, batch, projects));
        batch.commit();
        return report;
      }));
    } finally {
      end(this.wrote);
    }
  }

  /**
   * The same import, giving the event loop a turn after each file: in the tray app and `serve` a
   * first import of months of logs (minutes) must not stall IPC, HTTP and the tray meanwhile. Each
   * file commits before the turn, so no transaction stays open across it.
   */
  async runYielding(options: ImportOptions = {}): Promise<ImportReport> {
    const projects = projectMap(this.core.db);
    const reports: AgentImportReport[] = [];
    for (const agent of this.agentsOf(options)) {
      const { report, tasks, batch } = this.plan(agent, options);
      for (const task of tasks) {
        this.readHere(task, batch, projects);
        batch.commit();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      reports.push(report);
    }
    return this.finish(reports);
  }

  /**
   * The import with files parsed in worker threads while this thread writes (`burnrate import`,
   * the agentsImport method). Without a worker bundle it reads here, like `run`.
   */
  async runParallel(options: ImportOptions = {}): Promise<ImportReport> {
    const workers: ImportOptions['workers'] = options.workers ?? (() => {
      const script = defaultWorkerScript();
      return script ? { script, count: defaultWorkerCount() } : undefined;
    })();
    const prices = this.prices;
    if (!workers || !prices) return this.run(options);
    const projects = projectMap(this.core.db);
    const reports: AgentImportReport[] = [];
    const end = beginBulkWrites(this.core.db);
    try {
      for (const agent of this.agentsOf(options)) {
        const { report, tasks, batch } = this.plan(agent, options);
        // No file to read (an unchanged corpus): no worker is started.
        const chunks = parseInOrder(tasks, {
          ...workers,
          workers: Math.min(workers.count, tasks.length),
          projects,
          shaper: this.shaper,
          shaping: { prices: prices.snapshot(), timeZone: this.core.timeZone },
          pricesGeneration: () => prices.snapshot().generation,
        });
        for await (const item of chunks) batch.take(tasks[item.index]!, item);
        batch.commit();
        reports.push(report);
      }
    } finally {
      end(this.wrote);
    }
    return this.finish(reports);
  }

  private agentsOf(options: ImportOptions): readonly AgentName[] {
    return options.agents && options.agents.length > 0 ? options.agents : AGENT_NAMES;
  }

  private finish(reports: AgentImportReport[]): ImportReport {
    const days = uniqueDayKeys(reports.flatMap((r) => this.touched.get(r) ?? []));
    if (days.length > 0) this.core.spendChanged('agent-import', days);
    return { agents: reports, touched: days };
  }

  private readonly touched = new WeakMap<AgentImportReport, DayKey[]>();
  /** Whether a batch was committed (the WAL then holds this import's pages to checkpoint). */
  private wrote = false;

  /** The files of one agent to read: a stat each, against the states the last import left. */
  private plan(agent: AgentName, options: ImportOptions): { report: AgentImportReport; tasks: FileTask[]; batch: ImportBatch } {
    const roots = this.rootsOf(agent, options.path);
    // Size and mtime of every known file in one query; the full state only of the files to read.
    const scan = scanForChanges(roots, knownFiles(this.core.db));
    const report = agentReport(agent, roots, scan);
    const touched: DayKey[] = [];
    this.touched.set(report, touched);
    const tasks: FileTask[] = scan.changed.map((c) => ({ agent, file: c.file, size: c.size, mtime: c.mtime, state: this.stateOf.get(c.file) as FileState | undefined }));
    return { report, tasks, batch: new ImportBatch(this, report, touched) };
  }

  /** Read one file in this thread into the batch; an unopenable file is one sentence in the report. */
  private readHere(task: FileTask, batch: ImportBatch, projects: Record<string, string>): void {
    for (const item of parseHere(0, task, projects, this.shaper)) batch.take(task, item);
  }

  /** Write a batch: rows and the files' states in one IMMEDIATE transaction. */
  commit(batch: PendingRows, states: readonly FileState[], rows: Map<string, number>, report: AgentImportReport, touched: DayKey[]): void {
    // IMMEDIATE: the check against the proxy's rows and the write are one step, even when a proxy in
    // another process writes the same response at the same moment (docs/agents.md, counted once).
    this.core.db.transaction(() => {
      this.countedOnce.begin(batch.rows, batch.merges);
      const news: RowValues[] = [];
      // A file's `rows`: the responses it wrote, new or grown (informational; spend reads the rows).
      const written = new Map<string, number>();
      for (let i = 0; i < batch.rows.length; i++) {
        if (!this.countedOnce.isNews(batch.rows[i]!, batch.merges[i]!)) continue;
        news.push(batch.rows[i]!);
        const file = batch.files[i]!;
        written.set(file, (written.get(file) ?? 0) + 1);
      }
      const result = news.length > 0 ? this.core.usage.writeValues(news) : { inserted: 0, updated: 0, unchanged: 0, unpriced: 0, touched: [] };
      const replaced = this.countedOnce.end();
      // A proxy estimate the log's exact figure replaced is an update of that response, not a new one.
      report.added += result.inserted - replaced.replaced;
      report.updated += result.updated + replaced.replaced;
      touched.push(...replaced.touched);
      report.unpriced += result.unpriced;
      touched.push(...result.touched);
      const at = this.core.clock.now().toISOString();
      for (const state of states) {
        const total = (rows.get(state.path) ?? state.rows) + (written.get(state.path) ?? 0);
        rows.set(state.path, total);
        this.putState.run({ ...state, rows: total, imported_at: at });
      }
    }).immediate();
    this.wrote = true;
  }
}

/** A batch's rows, one per response: their values, merge rules and the file each came from. */
interface PendingRows {
  rows: RowValues[];
  merges: MergeRule[];
  files: string[];
}

/** The setting agent_projects: the user's names for working directories. */
function projectMap(db: Database): Record<string, string> {
  return getSetting<Record<string, string>>(db, 'agent_projects', {});
}

/**
 * Rows of one agent's files on their way to the ledger, merged across files by the same rules as
 * within a file (one per response), with the state each file reaches. Committed when large, at the
 * end, and before each pause of a yielding import.
 */
class ImportBatch {
  /** Parallel arrays (no object per row), and each response's place in them by external id. */
  private pending: PendingRows = { rows: [], merges: [], files: [] };
  private readonly at = new Map<string, number>();
  private readonly states = new Map<string, FileState>();
  /** Rows per file so far (the state's `rows`), carried from chunk to chunk across commits. */
  private readonly rows = new Map<string, number>();
  private readonly warned = new Set<string>();
  /**
   * Rows that make a batch: small at first, doubling to BATCH. The writes start as soon as the
   * parse worker has sent a few files' rows instead of a full batch (about a tenth of a second of
   * this thread idle at the start of a first import); later batches are large, so commits stay rare.
   */
  private limit = FIRST_BATCH;

  constructor(
    private readonly importer: AgentImporter,
    private readonly report: AgentImportReport,
    private readonly touched: DayKey[],
  ) {}

  take(task: FileTask, item: TaskChunk): void {
    if ('problem' in item) return this.unreadable(task, item.problem);
    const { chunk } = item;
    const file = task.file;
    if (!this.rows.has(file)) {
      this.rows.set(file, chunk.state.rows); // the file's first chunk: its rows before this import
      this.report.filesRead++;
    }
    const { rows, merges, files } = this.pending;
    for (let i = 0; i < chunk.rows.length; i++) {
      const row = chunk.rows[i]!;
      const merge = chunk.merges[i]!;
      const id = row[V.externalId];
      const seen = this.at.get(id);
      if (seen === undefined) {
        this.at.set(id, rows.length);
        rows.push(row);
        merges.push(merge);
        files.push(file);
      } else if (replacesSeen(merge, rows[seen]![V.output], row[V.output])) {
        rows[seen] = row;
        merges[seen] = merge;
        files[seen] = file;
      }
    }
    this.states.set(file, chunk.state);
    this.report.bytesRead += chunk.bytes;
    this.report.skipped += chunk.skipped;
    for (const message of chunk.warnings) {
      const line = `${message} (${file})`;
      if (!this.warned.has(line)) this.report.problems.push(line);
      this.warned.add(line);
    }
    if (rows.length >= this.limit) {
      this.commit();
      this.limit = Math.min(BATCH, this.limit * 2);
    }
  }

  private unreadable(task: FileTask, problem: ReadProblem): void {
    // Gone since the listing: nothing to say. Else one sentence, and the other files go on.
    if (problem.code !== 'ENOENT') this.report.problems.push(`The log ${task.file} could not be opened (${problem.code}); check its permissions.`);
  }

  commit(): void {
    if (this.pending.rows.length === 0 && this.states.size === 0) return;
    const batch = this.pending;
    const states = [...this.states.values()];
    this.pending = { rows: [], merges: [], files: [] };
    this.at.clear();
    this.states.clear();
    this.importer.commit(batch, states, this.rows, this.report, this.touched);
  }
}

export async function importAgentLogsParallel(core: Core, prices: PriceSnapshots, options: ImportOptions = {}): Promise<ImportReport> {
  return new AgentImporter(core, prices).runParallel(options);
}

export function importAgentLogs(core: Core, options: ImportOptions = {}): ImportReport {
  return new AgentImporter(core).run(options);
}
