import type { Database, Statement } from 'better-sqlite3';
import type { UsageEventInput } from '../model/ledger';
import { localDay } from '../time';
import { modelFamily } from './agent-billing';

/**
 * A Codex response seen by the metering proxy and logged by a Codex older than 0.171, counted once.
 *
 * Such logs name no response id: their rows are keyed `codex:<time>:<totals>`, which no proxy row
 * can share. Instead the two are matched as TWINS when everything measurable agrees:
 *
 * - the proxy row came from a Codex client (its `originator` / User-Agent header, metadata.client)
 *   and is the provider's exact figure (not a cut stream's estimate);
 * - same provider (openai), same model family (gpt-5-2025-08-07 and gpt-5 are one), and exactly the
 *   same fresh input, cached input and output tokens;
 * - the proxy's request started at most TWIN_WINDOW_MS before the log's line (Codex writes the
 *   token_count once the response is complete; the proxy gives up on an upstream after 10 minutes);
 * - ONE TO ONE: a row paired once is marked (`metadata.twinOf` = the other's external id) and is
 *   never paired again. So two identical responses each find their own twin, and a response only
 *   one side saw keeps its row even when it looks the same as another.
 *
 * Whichever writes second does not write its row and marks the first one's. A false pairing needs a
 * response only the proxy saw (a Codex whose log is not imported here) and another only the log saw
 * (a Codex not sent through the proxy), with the same model family and the same three token counts
 * to the token, within the window: possible in principle, not met in practice; its cost would be one
 * of the two identical figures. Both ends run inside the writer's IMMEDIATE transaction.
 */

/** The proxy's upstream timeout (10 minutes) and a minute of slack for Codex to write its line. */
export const TWIN_WINDOW_MS = 11 * 60_000;

/** The proxy's mark of a request sent by the Codex CLI (`originator: codex_cli_rs`, `codex_exec`…). */
export const CODEX_CLIENT = 'codex';

interface Candidate {
  id: number;
  model: string;
  external_id: string;
  claimed: string | null;
}

export class CodexTwins {
  private readonly proxyRows: Statement;
  private readonly logRows: Statement;
  private readonly claim: Statement;

  constructor(
    private readonly db: Database,
    private readonly timeZone: string,
  ) {
    // local_day first: the day index narrows the look-up to a day or two of rows.
    const match = `local_day BETWEEN ? AND ? AND provider = 'openai' AND input_tokens = ? AND cached_input_tokens = ? AND output_tokens = ?
                   AND occurred_at BETWEEN ? AND ?`;
    this.proxyRows = db.prepare(
      `SELECT id, model, external_id, json_extract(metadata, '$.twinOf') AS claimed FROM usage_events
       WHERE ${match} AND source = 'proxy' AND json_extract(metadata, '$.client') = '${CODEX_CLIENT}'
         AND json_extract(metadata, '$.estimated') IS NULL
       ORDER BY occurred_at, id`,
    );
    this.logRows = db.prepare(
      `SELECT id, model, external_id, json_extract(metadata, '$.twinOf') AS claimed FROM usage_events
       WHERE ${match} AND source = 'agent_log' AND substr(external_id, 1, 6) = 'codex:'
       ORDER BY occurred_at, id`,
    );
    this.claim = db.prepare(`UPDATE usage_events SET metadata = json_set(metadata, '$.twinOf', ?) WHERE id = ?`);
  }

  /**
   * The importer's side: a pre-0.171 Codex row whose twin the proxy already wrote. True: do not write
   * it (the twin is marked with its key, so a re-import finds the same twin again).
   */
  pairLogRow(event: UsageEventInput & { externalId: string }): boolean {
    if (event.provider !== 'openai' || !event.externalId.startsWith('codex:')) return false;
    const at = event.occurredAt.getTime();
    const twin = this.pick(this.proxyRows, event, at - TWIN_WINDOW_MS, at, event.externalId);
    if (!twin) return false;
    if (twin.claimed === null) this.claim.run(event.externalId, twin.id);
    return true;
  }

  /**
   * The proxy's side: a Codex client's exact row whose twin an old Codex log already gave. True: do
   * not write it (the log's row is marked with this response's id).
   */
  pairProxyRow(event: UsageEventInput): boolean {
    const meta = event.metadata ?? {};
    if (event.provider !== 'openai' || meta.client !== CODEX_CLIENT || meta.estimated || !event.externalId) return false;
    const at = event.occurredAt.getTime();
    const twin = this.pick(this.logRows, event, at, at + TWIN_WINDOW_MS, event.externalId);
    if (!twin) return false;
    if (twin.claimed === null) this.claim.run(event.externalId, twin.id);
    return true;
  }

  /** The twin already paired with `key`, else the earliest unpaired one of the same model family (first come, first paired). */
  private pick(rows: Statement, event: UsageEventInput, from: number, to: number, key: string): Candidate | undefined {
    const candidates = rows.all(
      localDay(from, this.timeZone),
      localDay(to, this.timeZone),
      event.inputTokens ?? 0,
      event.cachedInputTokens ?? 0,
      event.outputTokens ?? 0,
      new Date(from).toISOString(),
      new Date(to).toISOString(),
    ) as Candidate[];
    const family = modelFamily('codex', event.model);
    const same = candidates.filter((c) => modelFamily('codex', c.model) === family);
    return same.find((c) => c.claimed === key) ?? same.find((c) => c.claimed === null);
  }
}
