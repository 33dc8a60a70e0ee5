import type { Database } from 'better-sqlite3';
import type { PriceLookup, UnitPrices } from '../ledger/usage';

/** A catalogue entry: prices in nano-USD per million tokens. */
export interface CatalogueEntry {
  provider: string;
  model: string;
  prices: UnitPrices;
  origin: 'bundled' | 'override';
  source: string;
}

export interface PriceCatalogue extends PriceLookup {
  /** The entry a model name resolves to (after aliases), or null. */
  lookup(model: string, provider?: string): CatalogueEntry | null;
  list(): CatalogueEntry[];
}

/**
 * PLACEHOLDER until the pricing work lands: knows no prices, so every row is unpriced (never $0).
 * Replaced by the bundled catalogue with aliases and user overrides (src/pricing).
 */
export function createPriceCatalogue(_db: Database): PriceCatalogue {
  return {
    priceFor: () => null,
    lookup: () => null,
    list: () => [],
  };
}
