import type { Statement } from 'better-sqlite3';
import { AGENT_SOURCE } from '../ledger/agent-billing';
import { V, type RowValues } from '../ledger/usage-row';
import type { LedgerDb } from '../model/ports';

/**
 * Which responses of a batch can have a stored log row, so the importer asks the ledger only about
 * those (counted-once.ts). A first import into a ledger with no log rows of a provider would
 * otherwise look up every one of its 196k responses only to find the few it wrote itself an earlier
 * batch ago (the same response in a subagent's file and its parent's).
 *
 * Sound against every other writer: it is asked inside the importer's IMMEDIATE transaction, and
 * it trusts what it knows only while nobody else wrote since its own last transaction: another
 * connection's commit changes `PRAGMA data_version`, a write on this connection (another import in
 * the same process) changes `total_changes()`. Then it forgets and asks the ledger again.
 * It keeps a 32-bit hash per written response, not the ids: a collision costs one look-up more.
 */
export class OwnLogRows {
  private readonly dataVersion: Statement;
  private readonly totalChanges: Statement;
  private readonly anyLogRow: Statement;
  /** Per provider: hashes of the ids written by this import when the ledger had no other log row of it; null: look everything up. */
  private readonly known = new Map<string, Set<number> | null>();
  /** data_version and total_changes() at the end of the last transaction of this import. */
  private mark: string | undefined;

  constructor(db: LedgerDb) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
    this.anyLogRow = db.prepare('SELECT 1 FROM usage_events WHERE source = ? AND provider = ? LIMIT 1').pluck();
  }

  /** A new import run: what the last one knew is dropped (a long-lived importer keeps no hashes between runs). */
  forget(): void {
    this.known.clear();
    this.mark = undefined;
  }

  /** Start of a transaction: what this import knows holds only if nobody wrote since its last one. */
  begin(): void {
    if (this.mark !== this.state()) this.known.clear();
  }

  /** Of `ids` (responses of `provider`), those that may have a stored log row. */
  mayBeStored(provider: string, ids: string[]): string[] {
    let known = this.known.get(provider);
    if (known === undefined) this.known.set(provider, (known = this.anyLogRow.get(AGENT_SOURCE, provider) === undefined ? new Set() : null));
    if (known === null) return ids;
    return known.size === 0 ? [] : ids.filter((id) => known.has(hashId(id)));
  }

  /** The log rows written in this transaction. */
  wrote(rows: readonly RowValues[]): void {
    for (const row of rows) this.known.get(row[V.provider])?.add(hashId(row[V.externalId]));
  }

  /** The last step of the transaction, after every write of it. */
  end(): void {
    this.mark = this.state();
  }

  private state(): string {
    return `${String(this.dataVersion.get())}:${String(this.totalChanges.get())}`;
  }
}

/** FNV-1a over the id's UTF-16 code units. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
