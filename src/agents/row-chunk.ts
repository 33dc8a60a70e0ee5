import type { RowValues } from '../ledger/usage-row';
import type { ParsedChunk } from './parse-file';
import type { AgentEvent, MergeRule } from './parsers/types';

/**
 * A parsed chunk with its responses priced and shaped into the ledger's bind-ready rows, by the
 * write path's own code (src/ledger/usage-row.ts), as the importer takes it: one array per row,
 * which the importer merges, checks and binds as it is.
 */

export interface RowChunk extends Omit<ParsedChunk, 'events'> {
  /** One per response, in COLUMNS order; recorded_at is set when written. */
  rows: RowValues[];
  /** Each row's merge rule. */
  merges: MergeRule[];
}

/** Prices and shapes one response as the ledger stores it (UsageLedger.shape). */
export type RowShaper = (event: AgentEvent) => RowValues;

export function shapeChunk(chunk: ParsedChunk, shaper: RowShaper): RowChunk {
  const { events, ...rest } = chunk;
  const rows: RowValues[] = new Array(events.length);
  const merges: MergeRule[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const { event, merge } = events[i]!;
    rows[i] = shaper(event);
    merges[i] = merge;
  }
  return { ...rest, rows, merges };
}
