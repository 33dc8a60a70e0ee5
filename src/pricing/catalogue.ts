import type { Database, Statement } from 'better-sqlite3';
import type { PriceLookup } from '../ledger/usage';
import { BUNDLED_AS_OF, NOT_FAMILY_SNAPSHOTS } from './bundled';
import { describeSelection, overrideEntry, type CatalogueEntry, type PriceSelection } from './entries';
import { bundledEntries, fixedPrices, type PriceSnapshot, type ResolvedPrices } from './fixed-prices';
import { normalizeModel, providerPrefix } from './names';
import { deleteOverride, readOverride, readOverrides, writeOverride, type OverrideRow } from './overrides';
import { PriceIndex, type Resolution } from './resolve';

export type { CatalogueEntry, PriceSelection, PriceSet } from './entries';
export type { Resolution, ResolveStep } from './resolve';

/** A user's own price for a model, in nano-USD per million tokens. */
export interface OverrideInput {
  model: string;
  provider: string;
  input: number;
  output: number;
  cachedInput: number | null;
  cacheWrite: number | null;
}

export interface PriceCatalogue extends PriceLookup {
  /** The entry a model name resolves to (after aliases, prefixes and overrides), or null. */
  lookup(model: string, provider?: string): CatalogueEntry | null;
  /** The user's overrides, then every bundled entry. */
  list(): CatalogueEntry[];
  /** How a name resolves: found (with the steps taken), ambiguous, or none. */
  resolve(model: string, provider?: string | null): Resolution;
  /** How a name resolves among the bundled prices alone, ignoring the user's overrides. */
  resolveBundled(model: string, provider?: string | null): Resolution;
  /** Which prices of an entry apply at an instant and prompt size, and why. */
  select(entry: CatalogueEntry, at: Date, promptTokens: number): PriceSelection;
  /** The name an override of `model` is stored under: lower case, without its own provider's prefix. */
  overrideName(model: string, provider: string): string;
  setOverride(input: OverrideInput, now: Date): { entry: CatalogueEntry; previous: CatalogueEntry | null };
  /** Remove the override of a model; returns what was removed, or null when there was none. */
  removeOverride(model: string): CatalogueEntry | null;
  /** Date of the newest bundled source. */
  readonly bundledAsOf: string;
  /** Read the user's prices again now (after this connection replaced them wholesale: a restore). */
  reload(): void;
  /**
   * The user's overrides now (another process's changes included, as far as this catalogue has
   * noticed them: within `recheckMs`), for a thread that prices rows apart (the parse workers).
   */
  snapshot(): PriceSnapshot;
}

export interface CatalogueOptions {
  /**
   * How often (ms) to ask SQLite whether another process changed the ledger, so an override set by
   * the CLI reaches a running `burnrate serve`. Asking costs ~1.4 µs, too much per priced row of a
   * large import, so it is asked at most this often. Changes made through this catalogue apply at once.
   */
  recheckMs?: number;
}

export { bundledEntries } from './fixed-prices';

export function createPriceCatalogue(db: Database, options: CatalogueOptions = {}): PriceCatalogue {
  const recheckMs = options.recheckMs ?? 1000;
  const bundled = bundledEntries();
  const dataVersion = db.prepare('PRAGMA data_version').pluck() as Statement<[], number>;
  let version = dataVersion.get();
  let lastCheck = performance.now();
  const bundledOnly = new PriceIndex(bundled, [], NOT_FAMILY_SNAPSHOTS);
  let rows: OverrideRow[] = [];
  let rowsText = '';
  let generation = 0;
  let overrides: CatalogueEntry[] = [];
  let prices: ResolvedPrices;

  const rebuild = () => {
    rows = readOverrides(db);
    // Another process's commit of anything (a usage row) also changes data_version: the generation
    // moves only when the overrides themselves did.
    const text = JSON.stringify(rows);
    if (text !== rowsText) generation++;
    rowsText = text;
    overrides = rows.map(overrideEntry);
    prices = fixedPrices(rows); // the same prices a parse worker builds from a snapshot
  };
  rebuild();

  const fresh = () => {
    const now = performance.now();
    if (now - lastCheck < recheckMs) return;
    lastCheck = now;
    const current = dataVersion.get();
    if (current !== version) {
      version = current;
      rebuild();
    }
  };

  const resolveName = (model: string, provider: string | null): Resolution => prices.index.resolve(provider, model);

  const overrideName = (model: string, provider: string): string => {
    const name = normalizeModel(model);
    const prefix = providerPrefix(name);
    return prefix && prefix.provider === provider ? prefix.rest : name;
  };

  return {
    bundledAsOf: BUNDLED_AS_OF,
    reload: rebuild,

    priceFor(provider, model, at, promptTokens) {
      fresh();
      return prices.priceFor(provider, model, at, promptTokens);
    },

    snapshot() {
      fresh();
      return { generation, overrides: rows };
    },

    lookup(model, provider) {
      fresh();
      const r = resolveName(model, provider ?? null);
      return r.kind === 'found' ? r.entry : null;
    },

    list() {
      fresh();
      return [...overrides, ...bundled];
    },

    resolve(model, provider = null) {
      fresh();
      return resolveName(model, provider);
    },

    resolveBundled(model, provider = null) {
      return bundledOnly.resolve(provider, model);
    },

    select: describeSelection,

    overrideName,

    setOverride(input, now) {
      const name = overrideName(input.model, input.provider);
      const row: OverrideRow = {
        model: name,
        provider: input.provider,
        input_price: input.input,
        output_price: input.output,
        cached_input_price: input.cachedInput,
        cache_write_price: input.cacheWrite,
        updated_at: now.toISOString(),
      };
      const previous = db.transaction(() => {
        const before = readOverride(db, name);
        writeOverride(db, row);
        return before;
      })();
      rebuild();
      return { entry: overrideEntry(row), previous: previous ? overrideEntry(previous) : null };
    },

    removeOverride(model) {
      const name = normalizeModel(model);
      let row = readOverride(db, name);
      if (!row) {
        // "prices remove openai/gpt-4o" for the override stored as gpt-4o under openai.
        const prefix = providerPrefix(name);
        const candidate = prefix ? readOverride(db, prefix.rest) : null;
        if (candidate && prefix && candidate.provider === prefix.provider) row = candidate;
      }
      if (!row || !deleteOverride(db, row.model)) return null;
      rebuild();
      return overrideEntry(row);
    },
  };
}
