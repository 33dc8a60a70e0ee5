import type { PriceLookup, UnitPrices } from '../ledger/usage-row';
import { BUNDLED } from './bundled';
import { compileBundled, selectPrices, type CatalogueEntry } from './entries';
import type { PriceIndex } from './resolve';

/**
 * The write path's price look-up over one set of entries, with each (provider, model) resolved once.
 * The catalogue (catalogue.ts) keeps one and builds a new one when the user's overrides change.
 */

const CACHE_LIMIT = 10_000;

let compiled: CatalogueEntry[] | undefined;

/** The bundled entries, checked and converted to nano-USD once per process (per thread). */
export function bundledEntries(): readonly CatalogueEntry[] {
  compiled ??= BUNDLED.map(compileBundled);
  return compiled;
}

export class ResolvedPrices implements PriceLookup {
  // Resolved names by the exact (provider, model) strings the write path passes: one Map lookup per row.
  private resolved = new Map<string, CatalogueEntry | null>();

  constructor(readonly index: PriceIndex) {}

  priceFor(provider: string, model: string, at: Date, promptTokens: number): UnitPrices | null {
    const k = `${provider}\u0000${model}`;
    let entry = this.resolved.get(k);
    if (entry === undefined) {
      const r = this.index.resolve(provider, model);
      entry = r.kind === 'found' ? r.entry : null;
      if (this.resolved.size >= CACHE_LIMIT) this.resolved.clear();
      this.resolved.set(k, entry);
    }
    return entry ? selectPrices(entry, at, promptTokens) : null;
  }
}
