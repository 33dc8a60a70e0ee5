import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pricePerMillionFromUsd } from '../../../src/money';
import { BUNDLED, NOT_FAMILY_SNAPSHOTS } from '../../../src/pricing/bundled';
import { bundledEntries, createPriceCatalogue } from '../../../src/pricing/catalogue';
import { CATALOGUE_PROVIDERS } from '../../../src/pricing/names';
import { openMemoryLedger } from '../../../src/ledger/db';

/** A copy of ../shared/prices.json, the source the bundled list was transcribed from. */
interface SourceRow {
  provider: string;
  model: string;
  input_per_mtok_usd: number;
  output_per_mtok_usd: number;
  cached_input_per_mtok_usd: number | null;
  source: string;
}
const SOURCE = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'prices.json'), 'utf8')) as SourceRow[];

const PROVIDER_SLUG: Record<string, string> = {
  OpenAI: 'openai',
  Anthropic: 'anthropic',
  Groq: 'groq',
  Perplexity: 'perplexity',
  DeepSeek: 'deepseek',
  Mistral: 'mistral',
  'Google Gemini API': 'gemini',
  xAI: 'xai',
};

// JSON numbers of the source, as the decimal text the file holds (shortest round trip), in nano/MTok.
const nano = (n: number) => pricePerMillionFromUsd(String(n));
const byKey = new Map(bundledEntries().map((e) => [`${e.provider}|${e.model}`, e]));

describe('bundled prices against their source (prices.json)', () => {
  const isStaleDeepSeek = (r: SourceRow) => r.provider === 'DeepSeek' && /litellm/i.test(r.source);

  it.each(SOURCE.filter((r) => !isStaleDeepSeek(r)).map((r) => [`${r.provider} ${r.model}`, r] as const))('%s', (_, row) => {
    const provider = PROVIDER_SLUG[row.provider]!;
    expect(provider).toBeDefined();
    const period = /\((off-peak|peak)\)$/.exec(row.model)?.[1];
    const model = row.model
      .replace(/ \(.*\)$/, '') // "deepseek-flash (peak)", "claude-haiku-5-5 (prompt <=100k tokens)"
      .replace(new RegExp(`^${provider}/`), ''); // LiteLLM route prefixes: groq/, xai/, gemini/, mistral/, perplexity/
    const entry = byKey.get(`${provider}|${model}`);
    expect(entry, `${provider} ${model} is bundled`).toBeDefined();
    const prices = period === 'off-peak' ? entry!.offPeak! : entry!.prices;
    expect(prices.input).toBe(nano(row.input_per_mtok_usd));
    expect(prices.output).toBe(nano(row.output_per_mtok_usd));
    expect(prices.cachedInput).toBe(row.cached_input_per_mtok_usd === null ? null : nano(row.cached_input_per_mtok_usd));
  });

  it("does not use LiteLLM's stale DeepSeek rows: every DeepSeek name prices at the official peak/off-peak list", () => {
    const catalogue = createPriceCatalogue(openMemoryLedger());
    const stale = SOURCE.filter(isStaleDeepSeek);
    expect(stale.map((r) => r.model).sort()).toEqual(['deepseek-chat', 'deepseek-reasoner', 'deepseek-v4-flash', 'deepseek-v4-pro']);
    for (const row of stale) {
      const entry = catalogue.lookup(row.model, 'deepseek');
      expect(entry?.model).toBe(row.model === 'deepseek-v4-pro' ? 'deepseek-v4-pro' : 'deepseek-flash');
      expect(entry!.prices.input).not.toBe(nano(row.input_per_mtok_usd));
      expect(entry!.offPeak!.input).not.toBe(nano(row.input_per_mtok_usd));
    }
  });

  it('has every provider of the source, each entry with a source and a date', () => {
    expect(new Set(BUNDLED.map((e) => e.provider))).toEqual(new Set(CATALOGUE_PROVIDERS));
    for (const e of BUNDLED) {
      expect(e.source.length, e.model).toBeGreaterThan(10);
      expect(e.asOf, e.model).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
      expect(e.model, 'ids are lower case, without a LiteLLM route prefix').toBe(e.model.toLowerCase());
      expect(e.model.startsWith(`${e.provider}/`)).toBe(false);
    }
  });

  it('keeps the cache-write and long-context prices of providers.md §11', () => {
    const get = (k: string) => byKey.get(k)!;
    // Anthropic: 5-minute write and 1-hour write.
    expect(get('anthropic|claude-sonnet-4-5').prices).toMatchObject({ cacheWrite: 3_750_000_000, cacheWrite1h: 6_000_000_000 });
    expect(get('anthropic|claude-opus-4-20250514').prices).toMatchObject({ cacheWrite: 18_750_000_000, cacheWrite1h: 30_000_000_000 });
    expect(get('anthropic|claude-opus-5').prices).toMatchObject({ cacheWrite: 6_250_000_000, cacheWrite1h: 10_000_000_000 });
    // The 1-hour write LiteLLM lists for claude-3-haiku ($6) is flagged as wrong in §11 and left out.
    expect(get('anthropic|claude-3-haiku-20240307').prices).toMatchObject({ cacheWrite: 300_000_000, cacheWrite1h: null });
    expect(get('openai|gpt-5.6').prices.cacheWrite).toBe(6_250_000_000);
    // Tiers (above_272k / above_200k / above_128k / Haiku 5.5's 100k).
    const tiers = (k: string) => get(k).tiers.map((t) => [t.aboveTokens, t.prices.input, t.prices.output, t.prices.cachedInput]);
    expect(tiers('openai|gpt-5.4')).toEqual([[272_000, 5e9, 22.5e9, 0.25e9]]);
    expect(tiers('anthropic|claude-sonnet-4-20250514')).toEqual([[200_000, 6e9, 22.5e9, 0.3e9]]);
    expect(tiers('gemini|gemini-2.5-pro')).toEqual([[200_000, 2.5e9, 15e9, 0.125e9]]);
    expect(tiers('xai|grok-4-fast-reasoning')).toEqual([[128_000, 0.4e9, 1e9, 0.05e9]]);
    expect(tiers('anthropic|claude-haiku-5-5')).toEqual([[100_000, 0.5e9, 2.5e9, 0.05e9]]);
  });

  it('keeps $0.0375 per million tokens exact (37,500,000 nano-USD)', () => {
    expect(byKey.get('groq|openai/gpt-oss-20b')!.prices.cachedInput).toBe(37_500_000);
    expect(byKey.get('gemini|gemini-2.0-flash-lite')!.prices.cachedInput).toBe(18_750_000);
    expect(pricePerMillionFromUsd('0.003625')).toBe(3_625_000);
  });

  it("prices DeepSeek's off-peak hours at exactly half the peak price", () => {
    for (const e of bundledEntries().filter((x) => x.offPeak)) {
      expect(e.provider).toBe('deepseek');
      expect(e.offPeak!.input * 2).toBe(e.prices.input);
      expect(e.offPeak!.output * 2).toBe(e.prices.output);
      expect(e.offPeak!.cachedInput! * 2).toBe(e.prices.cachedInput);
    }
  });

  it('lists snapshot exceptions only for models the catalogue knows the family of', () => {
    for (const k of Object.keys(NOT_FAMILY_SNAPSHOTS)) {
      const [provider, name] = k.split('|') as [string, string];
      const family = name.replace(/-\d{4}-\d{2}-\d{2}$/, '');
      expect(byKey.has(`${provider}|${family}`)).toBe(true);
    }
  });
});
