import type { PriceLookup } from '../ledger/usage-row';
import { BUNDLED, NOT_FAMILY_SNAPSHOTS } from './bundled';
import { compileBundled, overrideEntry, selectPrices, type CatalogueEntry } from './entries';
import type { OverrideRow } from './overrides';
import { PriceIndex } from './resolve';

let compiled: CatalogueEntry[] | undefined;

/** The bundled entries, checked and converted to nano-USD once per process (and per thread). */
export function bundledEntries(): readonly CatalogueEntry[] {
  compiled ??= BUNDLED.map(compileBundled);
  return compiled;
}

/**
 * Prices resolved once per (provider, model) pair: the write path asks for every row, with the same
 * few pairs, so a name is resolved (aliases, prefixes, families) once and the rest is a Map lookup.
 */
export class ResolvedPrices implements PriceLookup {
  private static readonly LIMIT = 10_000;
  private resolved = new Map<string, CatalogueEntry | null>();

  constructor(readonly index: PriceIndex) {}

  priceFor(provider: string, model: string, at: Date, promptTokens: number) {
    const key = `${provider}\u0000${model}`;
    let entry = this.resolved.get(key);
    if (entry === undefined) {
      const r = this.index.resolve(provider, model);
      entry = r.kind === 'found' ? r.entry : null;
      if (this.resolved.size >= ResolvedPrices.LIMIT) this.resolved.clear();
      this.resolved.set(key, entry);
    }
    return entry ? selectPrices(entry, at, promptTokens) : null;
  }
}

/** The bundled prices with these overrides of the user's, fixed: what a parse worker prices with. */
export function fixedPrices(overrides: readonly OverrideRow[]): ResolvedPrices {
  return new ResolvedPrices(new PriceIndex(bundledEntries(), overrides.map(overrideEntry), NOT_FAMILY_SNAPSHOTS));
}

/**
 * The user's prices as they stood at one moment, for another thread: `generation` changes whenever
 * the overrides do (in this process or another), so a row priced with an older snapshot can be
 * told apart and priced again.
 */
export interface PriceSnapshot {
  generation: number;
  overrides: OverrideRow[];
}

/** Where a snapshot comes from (the app's PriceCatalogue). */
export interface PriceSnapshots {
  snapshot(): PriceSnapshot;
}
