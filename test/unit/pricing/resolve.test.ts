import { describe, expect, it } from 'vitest';
import { openMemoryLedger } from '../../../src/ledger/db';
import { createPriceCatalogue } from '../../../src/pricing/catalogue';
import { familyOfSnapshot } from '../../../src/pricing/names';

const catalogue = createPriceCatalogue(openMemoryLedger());
const resolved = (provider: string | null, model: string) => {
  const r = catalogue.resolve(model, provider);
  return r.kind === 'found' ? `${r.entry.provider} ${r.entry.model}` : r.kind;
};

describe('model names → catalogue entries', () => {
  it.each([
    // dated snapshots → their family
    ['openai', 'gpt-4o-mini-2024-07-18', 'openai gpt-4o-mini'],
    ['openai', 'gpt-4o-2024-08-06', 'openai gpt-4o'],
    ['openai', 'gpt-5.4-2026-03-05', 'openai gpt-5.4'],
    ['openai', 'gpt-4.1-nano-2025-04-14', 'openai gpt-4.1-nano'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'anthropic claude-sonnet-4-5'],
    ['anthropic', 'claude-haiku-4-5-20251001', 'anthropic claude-haiku-4-5'],
    ['anthropic', 'claude-opus-4-1-20250805', 'anthropic claude-opus-4-1'],
    // exact dated ids and Anthropic's own aliases
    ['anthropic', 'claude-sonnet-4-20250514', 'anthropic claude-sonnet-4-20250514'],
    ['anthropic', 'claude-sonnet-4-0', 'anthropic claude-sonnet-4-20250514'],
    ['anthropic', 'claude-3-7-sonnet-latest', 'anthropic claude-3-7-sonnet-20250219'],
    ['anthropic', 'claude-3-5-sonnet-20240620', 'anthropic claude-3-5-sonnet-20241022'],
    // case and blanks
    ['openai', '  GPT-4o-Mini ', 'openai gpt-4o-mini'],
    ['anthropic', 'Claude-Sonnet-4-5-20250929', 'anthropic claude-sonnet-4-5'],
    // LiteLLM prefixes and the provider's own ids
    ['groq', 'llama-3.3-70b-versatile', 'groq llama-3.3-70b-versatile'],
    ['groq', 'groq/llama-3.3-70b-versatile', 'groq llama-3.3-70b-versatile'],
    ['groq', 'openai/gpt-oss-120b', 'groq openai/gpt-oss-120b'],
    ['groq', 'gpt-oss-20b', 'groq openai/gpt-oss-20b'],
    ['groq', 'groq/meta-llama/llama-4-scout-17b-16e-instruct', 'groq meta-llama/llama-4-scout-17b-16e-instruct'],
    ['xai', 'xai/grok-4', 'xai grok-4'],
    ['xai', 'grok-4-0709', 'xai grok-4'],
    ['gemini', 'gemini/gemini-2.5-pro', 'gemini gemini-2.5-pro'],
    ['gemini', 'models/gemini-2.5-flash', 'gemini gemini-2.5-flash'],
    ['mistral', 'mistral/mistral-small-latest', 'mistral mistral-small-latest'],
    ['perplexity', 'perplexity/sonar-pro', 'perplexity sonar-pro'],
    // DeepSeek's legacy names are billed as Flash
    ['deepseek', 'deepseek-chat', 'deepseek deepseek-flash'],
    ['deepseek', 'deepseek-reasoner', 'deepseek deepseek-flash'],
    ['deepseek', 'deepseek-v4-flash', 'deepseek deepseek-flash'],
    ['deepseek', 'deepseek-v4-pro', 'deepseek deepseek-v4-pro'],
    // OpenRouter's vendor-prefixed names (and its dotted Claude versions)
    ['openrouter', 'openai/gpt-4o', 'openai gpt-4o'],
    ['openrouter', 'openai/gpt-4o-mini-2024-07-18', 'openai gpt-4o-mini'],
    ['openrouter', 'anthropic/claude-sonnet-4.5', 'anthropic claude-sonnet-4-5'],
    ['openrouter', 'anthropic/claude-3.7-sonnet', 'anthropic claude-3-7-sonnet-20250219'],
    ['openrouter', 'google/gemini-2.5-pro', 'gemini gemini-2.5-pro'],
    ['openrouter', 'x-ai/grok-4', 'xai grok-4'],
    ['openrouter', 'gpt-4o', 'openai gpt-4o'],
    ['openai', 'openai/gpt-4o', 'openai gpt-4o'],
    // no provider (burnrate prices MODEL)
    [null, 'claude-opus-4-5-20251101', 'anthropic claude-opus-4-5'],
    [null, 'llama-3.1-8b-instant', 'groq llama-3.1-8b-instant'],
  ])('%s %s → %s', (provider, model, expected) => {
    expect(resolved(provider, model)).toBe(expected);
  });

  it.each([
    // never across families
    ['openai', 'gpt-4o-mini-high'],
    ['openai', 'gpt-4'],
    ['openai', 'gpt-4o-realtime-preview'],
    ['openai', 'gpt-5.4-pro'],
    ['anthropic', 'claude-sonnet'],
    ['mistral', 'mistral-large'],
    ['mistral', 'mistral-large-2512'],
    // a fine-tune costs more than its base model
    ['openai', 'ft:gpt-4o-mini-2024-07-18:acme::abc123'],
    // gpt-4o's first snapshot was priced above today's gpt-4o
    ['openai', 'gpt-4o-2024-05-13'],
    // the provider scopes the name: Groq does not serve gpt-4o, OpenAI does not serve Llama
    ['groq', 'gpt-4o'],
    ['groq', 'openai/gpt-4o'],
    ['openai', 'llama-3.3-70b-versatile'],
    ['openai', 'anthropic/claude-sonnet-4-5'],
    // a host's models are not found by a bare name under a router
    ['openrouter', 'gpt-oss-120b'],
    ['openrouter', 'meta-llama/llama-3.3-70b-instruct'],
    ['openai', ''],
  ])('%s %s → none', (provider, model) => {
    expect(resolved(provider, model)).toBe('none');
  });

  it('gpt-4o never resolves to gpt-4o-mini, nor the other way round', () => {
    expect(catalogue.lookup('gpt-4o', 'openai')!.model).toBe('gpt-4o');
    expect(catalogue.lookup('gpt-4o-mini', 'openai')!.model).toBe('gpt-4o-mini');
    expect(catalogue.lookup('gpt-4o-2024-11-20', 'openai')!.model).toBe('gpt-4o');
  });

  it('strips only full dates, never version suffixes', () => {
    expect(familyOfSnapshot('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(familyOfSnapshot('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(familyOfSnapshot('mistral-large-2411')).toBeNull();
    expect(familyOfSnapshot('kimi-k2-instruct-0905')).toBeNull();
    expect(familyOfSnapshot('model-2024-13-01')).toBeNull();
    expect(familyOfSnapshot('model-19991231')).toBeNull();
  });

  it('says how a name was matched', () => {
    const r = catalogue.resolve('openai/gpt-4o-mini-2024-07-18', 'openrouter');
    expect(r.kind).toBe('found');
    if (r.kind !== 'found') return;
    expect(r.steps.map((s) => s.kind)).toEqual(['provider-prefix', 'dated-snapshot']);
  });

  it('returns null from priceFor for an unknown model: the row is unpriced, never $0', () => {
    expect(catalogue.priceFor('openai', 'gpt-unknown', new Date('2026-03-10T12:00:00Z'), 0)).toBeNull();
    expect(catalogue.priceFor('acme', 'house-model', new Date('2026-03-10T12:00:00Z'), 0)).toBeNull();
  });
});
