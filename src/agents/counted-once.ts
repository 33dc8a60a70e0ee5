import type { Statement } from 'better-sqlite3';
import { AGENT_SOURCE } from '../ledger/agent-billing';
import { CODEX_CLIENT, CodexTwins } from '../ledger/codex-twins';
import type { Core } from '../model/context';
import { V, type RowValues } from '../ledger/usage-row';
import type { DayKey } from '../model/day-key';
import { replacesSeen } from './merge-rule';
import type { AgentEvent, MergeRule } from './parsers/types';

/**
 * Which of a batch of agent-log responses the importer writes, so that a response the metering
 * proxy also saw counts once (docs/agents.md, "No double counting"). Runs inside the importer's
 * IMMEDIATE transaction: the look-ups and the writes are one step against a proxy in another process.
 *
 * - A response the proxy recorded with the provider's own figure is not news: the proxy row stays
 *   (and a proxy row written after the log's replaces the log's: src/proxy/recorder.ts).
 * - A response the proxy recorded as an ESTIMATE (a stream cut by the client or the upstream,
 *   `metadata.estimated`) is replaced by the log's figure: the proxy row is removed (its
 *   contribution taken out of the rollups) and the log's row written, once — the next import finds
 *   no proxy row and treats the response like any other of its own. Not by a Claude reading with
 *   less output than the estimate: one taken mid-stream (a cut stream's log says no more than
 *   message_start did), replaced in turn by a larger reading, as Claude's readings replace each other.
 * - Otherwise, against the log's own rows: a Claude response only by a reading with more output, a
 *   Codex row (a fork's replayed prefix) never again, Gemini's last write always.
 * - A new row of a Codex older than 0.171 (no response id) whose twin the proxy wrote is not
 *   written either (src/ledger/codex-twins.ts: same family and tokens, within the window, one to one).
 */
export class CountedOnce {
  private readonly storedOutputs: Statement;
  private readonly proxyRow: Statement;
  private readonly anyProxyRow: Statement;
  private readonly proxiedRoutes: Statement;
  private readonly codexProxyRow: Statement;
  /** Of the current batch: the other routes with proxy rows, as a JSON list (looked up when first needed). */
  private otherRoutes: string | null = null;
  /** Providers with proxy rows, asked once per batch: most ledgers have none, and skip the look-ups. */
  private readonly proxied = new Map<string, boolean>();
  private readonly twins: CodexTwins;
  /** Of the current batch: proxy estimates replaced, and the days their removal touched. */
  private replaced = 0;
  private touched: DayKey[] = [];
  /** The output of the log's own stored rows of this batch's responses, by provider and external id. */
  private stored = new Map<string, Map<string, number>>();

  constructor(private readonly core: Core) {
    const db = core.db;
    this.twins = new CodexTwins(db, core.timeZone);
    // One query per provider and batch instead of one per row: the ids go in as one JSON array.
    this.storedOutputs = db.prepare(
      'SELECT external_id, output_tokens FROM usage_events WHERE source = ? AND provider = ? AND external_id IN (SELECT value FROM json_each(?))',
    ).raw();
    this.proxyRow = db.prepare("SELECT json_extract(metadata, '$.estimated') AS estimated, output_tokens FROM usage_events WHERE source = 'proxy' AND provider = ? AND external_id = ?");
    this.anyProxyRow = db.prepare("SELECT 1 FROM usage_events WHERE source = 'proxy' AND provider = ? LIMIT 1").pluck();
    // The routes other than openai's that hold proxy rows, from the rollups (small), once per batch;
    // then a Codex client's row by id under those only (the ledger's key leads with the provider).
    this.proxiedRoutes = db.prepare("SELECT DISTINCT provider FROM daily_rollups WHERE source = 'proxy' AND provider != 'openai'").pluck();
    this.codexProxyRow = db.prepare(
      `SELECT provider, json_extract(metadata, '$.estimated') AS estimated, output_tokens FROM usage_events
       WHERE source = 'proxy' AND provider IN (SELECT value FROM json_each(?)) AND external_id = ? AND json_extract(metadata, '$.client') = '${CODEX_CLIENT}' LIMIT 1`,
    );
  }

  /**
   * Start a batch (inside the writer's transaction) of responses with distinct ids per provider:
   * proxy rows are looked up afresh, and the log's stored rows of these responses in one query.
   */
  begin(rows: readonly RowValues[], merges: readonly MergeRule[]): void {
    this.proxied.clear();
    this.otherRoutes = null;
    this.replaced = 0;
    this.touched = [];
    const ids = new Map<string, string[]>();
    for (let i = 0; i < rows.length; i++) {
      if (merges[i] === 'last') continue; // always written: its stored row is never asked for
      const row = rows[i]!;
      let list = ids.get(row[V.provider]);
      if (!list) ids.set(row[V.provider], (list = []));
      list.push(row[V.externalId]);
    }
    this.stored = new Map();
    for (const [provider, list] of ids) {
      const rows = this.storedOutputs.all(AGENT_SOURCE, provider, JSON.stringify(list)) as [string, number][];
      this.stored.set(provider, new Map(rows));
    }
  }

  /**
   * Whether the importer writes this response. A proxy estimate it replaces is removed here (the
   * caller writes the response right after, in the same transaction).
   */
  isNews(row: RowValues, merge: MergeRule): boolean {
    const provider = row[V.provider];
    // Codex ('same': its rows only) files every response under openai; the proxy files it under
    // the route it took, so a response the log names is looked for under the other routes too.
    const proxy = this.proxyRowOf(provider, row[V.externalId]) ?? (merge === 'same' && provider === 'openai' ? this.codexRowElsewhere(row[V.externalId]) : null);
    if (proxy?.exact) return false;
    if (proxy) {
      // A Claude reading with less output than the estimate was taken mid-stream: the estimate
      // stays until a reading as large comes (Claude Code may never log the final one).
      if (merge === 'largest-output' && row[V.output] < proxy.output) return false;
      const r = this.core.usage.remove('proxy', proxy.provider, [row[V.externalId]]);
      this.replaced += r.removed;
      this.touched.push(...r.touched);
      return true;
    }
    if (!this.isNewToLog(row, merge)) return false;
    return !(this.proxied.get(provider) && this.twins.pairLogRow(twinQuery(row)));
  }

  /** The batch's proxy estimates replaced (their responses are written as log rows), and the days they touched. */
  end(): { replaced: number; touched: DayKey[] } {
    return { replaced: this.replaced, touched: this.touched };
  }

  private proxyRowOf(provider: string, externalId: string): ProxyRow | null {
    let proxied = this.proxied.get(provider);
    if (proxied === undefined) this.proxied.set(provider, (proxied = this.anyProxyRow.get(provider) !== undefined));
    if (!proxied) return null;
    const row = this.proxyRow.get(provider, externalId) as StoredProxyRow | undefined;
    return row ? proxyRowFrom(provider, row) : null;
  }

  /** The proxy's row of a Codex response it filed under a route other than openai's. */
  private codexRowElsewhere(externalId: string): ProxyRow | null {
    this.otherRoutes ??= JSON.stringify(this.proxiedRoutes.all());
    if (this.otherRoutes === '[]') return null;
    const row = this.codexProxyRow.get(this.otherRoutes, externalId) as (StoredProxyRow & { provider: string }) | undefined;
    return row ? proxyRowFrom(row.provider, row) : null;
  }

  /** Against the log's stored reading, by the same rule as between readings of one import ('last' rows are never looked up: always news). */
  private isNewToLog(row: RowValues, merge: MergeRule): boolean {
    return replacesSeen(merge, this.stored.get(row[V.provider])?.get(row[V.externalId]), row[V.output]);
  }
}

/** A proxy row of a response the log holds too: where it is filed, and whether its figure is the provider's own. */
interface ProxyRow {
  provider: string;
  exact: boolean;
  output: number;
}

/** What the look-ups of a proxy row read of it. */
interface StoredProxyRow {
  estimated: unknown;
  output_tokens: number;
}

/** A proxy row's figure is the provider's own unless the proxy marked it an estimate (a cut stream). */
function proxyRowFrom(provider: string, row: StoredProxyRow): ProxyRow {
  return { provider, exact: row.estimated !== 1, output: row.output_tokens };
}

/** What pairing a log row with a proxy twin reads of it (codex-twins.ts): its key, time, model and tokens. */
function twinQuery(row: RowValues): AgentEvent {
  return {
    source: row[V.source],
    provider: row[V.provider],
    externalId: row[V.externalId],
    model: row[V.model],
    inputTokens: row[V.input],
    outputTokens: row[V.output],
    cachedInputTokens: row[V.cached],
    cacheWriteTokens: row[V.cacheWrite],
    occurredAt: new Date(row[V.occurredAt]),
  };
}
