import type { CatalogueEntry } from './entries';
import { CATALOGUE_PROVIDERS, familyOfSnapshot, HOST_PROVIDERS, isCatalogueProvider, normalizeModel, providerPrefix, undottedClaude } from './names';

/** One step from the name asked for to the entry found. */
export interface ResolveStep {
  kind: 'provider-prefix' | 'dotted-version' | 'dated-snapshot' | 'alias' | 'override';
  from: string;
  to: string;
}

export type Resolution =
  | { kind: 'found'; entry: CatalogueEntry; steps: ResolveStep[] }
  | { kind: 'ambiguous'; candidates: CatalogueEntry[] }
  | { kind: 'none'; reason: string | null };

const MAX_DEPTH = 6;

function key(provider: string, model: string): string {
  return `${provider}|${model}`;
}

/**
 * The name index: bundled entries and their aliases, and the user's overrides (which win). Pure and
 * rebuilt whenever the overrides change.
 */
export class PriceIndex {
  private readonly bundled = new Map<string, CatalogueEntry>();
  private readonly aliases = new Map<string, string>();
  private readonly overrides = new Map<string, CatalogueEntry>();
  private readonly allProviders: string[];
  private readonly firstParty: string[];

  constructor(
    bundled: readonly CatalogueEntry[],
    overrides: readonly CatalogueEntry[],
    private readonly notFamily: Readonly<Record<string, string>> = {},
  ) {
    for (const entry of bundled) {
      const k = key(entry.provider, entry.model);
      if (this.bundled.has(k) || this.aliases.has(k)) throw new Error(`The bundled prices name ${entry.provider} ${entry.model} twice.`);
      this.bundled.set(k, entry);
    }
    for (const entry of bundled) {
      for (const alias of entry.aliases) {
        const k = key(entry.provider, alias);
        if (this.bundled.has(k) || this.aliases.has(k)) throw new Error(`The bundled alias ${entry.provider} ${alias} is not unique.`);
        this.aliases.set(k, entry.model);
      }
    }
    for (const entry of overrides) this.overrides.set(key(entry.provider, entry.model), entry);
    const providers = new Set<string>([...CATALOGUE_PROVIDERS, ...overrides.map((o) => o.provider)]);
    this.allProviders = [...providers];
    this.firstParty = CATALOGUE_PROVIDERS.filter((p) => !HOST_PROVIDERS.has(p));
  }

  bundledEntry(provider: string, model: string): CatalogueEntry | null {
    return this.bundled.get(key(provider, model)) ?? null;
  }

  override(provider: string, model: string): CatalogueEntry | null {
    return this.overrides.get(key(provider, model)) ?? null;
  }

  /**
   * Resolve a model name. With a catalogue provider, only its entries (and overrides set for it)
   * count. With another provider (openrouter, a proxy), overrides set for that provider first, then
   * names that carry a vendor prefix or belong to exactly one first-party provider. Without a
   * provider, every provider's entries, and an ambiguous bare name is reported as such.
   */
  resolve(provider: string | null, rawModel: string): Resolution {
    const name = normalizeModel(rawModel);
    if (name === '') return { kind: 'none', reason: null };
    if (provider === null) return this.walk(this.allProviders, name, [], 0);
    if (isCatalogueProvider(provider)) return this.walk([provider], name, [], 0);
    const own = this.walk([provider], name, [], 0);
    if (own.kind !== 'none') return own;
    return this.walk(this.firstParty, name, [], 0);
  }

  private walk(scope: readonly string[], name: string, steps: ResolveStep[], depth: number): Resolution {
    if (depth > MAX_DEPTH) return { kind: 'none', reason: null };
    const hit = this.find(scope, name, steps);
    if (hit) return hit;

    const prefix = providerPrefix(name);
    if (prefix) {
      if (scope.length === 1 && scope[0] !== prefix.provider) {
        // "openai/gpt-4o" asked of groq: a different vendor's model is not Groq's to price.
      } else {
        const r = this.walk([prefix.provider], prefix.rest, [...steps, { kind: 'provider-prefix', from: name, to: prefix.rest }], depth + 1);
        if (r.kind !== 'none') return r;
      }
    }

    const undotted = undottedClaude(name);
    if (undotted) {
      const r = this.walk(scope, undotted, [...steps, { kind: 'dotted-version', from: name, to: undotted }], depth + 1);
      if (r.kind !== 'none') return r;
    }

    const family = familyOfSnapshot(name);
    if (family) {
      for (const p of scope) {
        const why = this.notFamily[key(p, name)];
        if (why) return { kind: 'none', reason: `${name} is not priced like ${family}: ${why}` };
      }
      const r = this.walk(scope, family, [...steps, { kind: 'dated-snapshot', from: name, to: family }], depth + 1);
      if (r.kind !== 'none') return r;
    }
    return { kind: 'none', reason: null };
  }

  private find(scope: readonly string[], name: string, steps: ResolveStep[]): Resolution | null {
    const hits: { entry: CatalogueEntry; steps: ResolveStep[] }[] = [];
    for (const p of scope) {
      const hit = this.findIn(p, name, steps);
      if (hit) hits.push(hit);
    }
    if (hits.length === 0) return null;
    if (hits.length === 1) return { kind: 'found', ...hits[0]! };
    return { kind: 'ambiguous', candidates: hits.map((h) => h.entry) };
  }

  private findIn(provider: string, name: string, steps: ResolveStep[]): { entry: CatalogueEntry; steps: ResolveStep[] } | null {
    const direct = this.overrides.get(key(provider, name));
    if (direct) return { entry: direct, steps: [...steps, { kind: 'override', from: name, to: name }] };
    const canonical = this.aliases.get(key(provider, name));
    if (canonical !== undefined) {
      const aliasStep: ResolveStep = { kind: 'alias', from: name, to: canonical };
      const over = this.overrides.get(key(provider, canonical));
      if (over) return { entry: over, steps: [...steps, aliasStep, { kind: 'override', from: canonical, to: canonical }] };
      const entry = this.bundled.get(key(provider, canonical));
      return entry ? { entry, steps: [...steps, aliasStep] } : null;
    }
    const entry = this.bundled.get(key(provider, name));
    return entry ? { entry, steps } : null;
  }
}

/** One sentence saying how a name reached its entry. */
export function explainSteps(query: string, entry: CatalogueEntry, steps: readonly ResolveStep[]): string {
  const parts = steps.map((s) => {
    switch (s.kind) {
      case 'provider-prefix':
        return `"${s.from}" names its provider, leaving ${s.to}`;
      case 'dotted-version':
        return `${s.from} is written with dots; Anthropic's id is ${s.to}`;
      case 'dated-snapshot':
        return `${s.from} is a dated snapshot of ${s.to}`;
      case 'alias':
        return `${s.from} is another name of ${s.to}`;
      case 'override':
        return `your own price for ${s.to} applies`;
    }
  });
  const how = parts.length ? parts.join('; ') : 'exact match';
  return `${query} → ${entry.provider} ${entry.model} (${how}).`;
}
