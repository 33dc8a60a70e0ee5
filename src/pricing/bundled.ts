/**
 * The bundled price list: list prices per million tokens, in USD, as exact decimal strings.
 *
 * Transcribed from ../shared/prices.json and the §11 table of ../shared/providers.md (the LiteLLM
 * file @ 00035b69 plus official pages for newer models). test/unit/pricing/bundled.test.ts checks
 * every row against a copy of prices.json, so a typo here fails a test.
 *
 * Only the fields a source gives are filled in. A missing cachedInput / cacheWrite is billed at the
 * input price by the write path; a long-context tier that names only input and output keeps the base
 * cached and cache-write prices. Nothing here is derived from a rule of thumb.
 */

export type Decimal = string;

export interface BundledPrices {
  input: Decimal;
  output: Decimal;
  /** Cache reads / cache hits. */
  cachedInput?: Decimal;
  /** Cache writes (Anthropic: the 5-minute write). */
  cacheWrite?: Decimal;
  /** Anthropic's 1-hour cache write (shown; usage rows do not split writes by TTL yet). */
  cacheWrite1h?: Decimal;
}

export interface BundledEntry extends BundledPrices {
  provider: string;
  /** The canonical model id, lower case, without a LiteLLM route prefix. */
  model: string;
  /** Other names of exactly this model and price (never a neighbouring family). */
  aliases?: readonly string[];
  /** Long-context tiers: a request whose prompt (fresh + cached + cache-write input) is above `aboveTokens`. */
  tiers?: readonly ({ aboveTokens: number } & Partial<BundledPrices>)[];
  /** DeepSeek: the off-peak prices; the entry's own prices are the peak (full) prices. */
  offPeak?: BundledPrices;
  /** Prices that applied before an instant (ISO UTC), newest last; fields not named keep the current value. */
  earlier?: readonly ({ until: string } & Partial<BundledPrices>)[];
  source: string;
  /** The date of the source (YYYY-MM-DD, or YYYY-MM when the source gives only a month). */
  asOf: string;
  confidence: 'confirmed' | 'likely' | 'unconfirmed';
  /** Fees a token price cannot express (per-request search fees, reasoning/citation tokens) and caveats. */
  notes?: readonly string[];
}

/** The newest date among the bundled sources. */
export const BUNDLED_AS_OF = '2026-11-15';

const LITELLM = 'LiteLLM model_prices_and_context_window.json @ 00035b69 (= litellm main, 2026-07-18)';
const LITELLM_MARCH = 'LiteLLM model_prices_and_context_window.json as mirrored 2026-03-11 (RoCry/llm-api-price 3c74e720); removed from the July file';
const DEEPSEEK = 'api-docs.deepseek.com/quick_start/pricing (stored copy checked 2026-11-15)';
const L = '2026-07-18';

const WEB_SEARCH_ANTHROPIC = 'Web search is billed per query (LiteLLM: $0.01) and is not part of token estimates.';
const GROUNDING_2 = 'Search grounding is billed per query (LiteLLM: $0.035) and is not part of token estimates.';
const GROUNDING_3 = 'Search grounding is billed per query (LiteLLM: $0.014) and is not part of token estimates.';
const batch = (input: string, output: string) => `Batch API: $${input} in / $${output} out per million tokens (not applied automatically).`;
const sonarFee = (low: string, medium: string, high: string) =>
  `Plus a per-request search fee of $${low} / $${medium} / $${high} (low / medium / high context), not part of token estimates; Perplexity reports usage.cost per request.`;

export const BUNDLED: readonly BundledEntry[] = [
  // ---- OpenAI (direct API) ----------------------------------------------------------------------
  { provider: 'openai', model: 'gpt-4o', input: '2.5', output: '10', cachedInput: '1.25', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('1.25', '5')] },
  { provider: 'openai', model: 'gpt-4o-mini', input: '0.15', output: '0.6', cachedInput: '0.075', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('0.075', '0.3')] },
  { provider: 'openai', model: 'gpt-4.1', input: '2', output: '8', cachedInput: '0.5', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('1', '4')] },
  { provider: 'openai', model: 'gpt-4.1-mini', input: '0.4', output: '1.6', cachedInput: '0.1', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('0.2', '0.8')] },
  { provider: 'openai', model: 'gpt-4.1-nano', input: '0.1', output: '0.4', cachedInput: '0.025', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('0.05', '0.2')] },
  { provider: 'openai', model: 'o3', input: '2', output: '8', cachedInput: '0.5', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'openai', model: 'o3-mini', input: '1.1', output: '4.4', cachedInput: '0.55', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'openai', model: 'o4-mini', input: '1.1', output: '4.4', cachedInput: '0.275', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'openai', model: 'gpt-5', input: '1.25', output: '10', cachedInput: '0.125', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'openai', model: 'gpt-5-mini', input: '0.25', output: '2', cachedInput: '0.025', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'openai', model: 'gpt-5-nano', input: '0.05', output: '0.4', cachedInput: '0.005', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'openai', model: 'gpt-5.1', input: '1.25', output: '10', cachedInput: '0.125', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'openai', model: 'gpt-5.2', input: '1.75', output: '14', cachedInput: '0.175', source: LITELLM, asOf: L, confidence: 'confirmed' },
  {
    provider: 'openai', model: 'gpt-5.4', input: '2.5', output: '15', cachedInput: '0.25',
    tiers: [{ aboveTokens: 272_000, input: '5', output: '22.5' }],
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('1.25', '7.5')],
  },
  { provider: 'openai', model: 'gpt-5.4-mini', input: '0.75', output: '4.5', cachedInput: '0.075', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('0.375', '2.25')] },
  { provider: 'openai', model: 'gpt-5.4-nano', input: '0.2', output: '1.25', cachedInput: '0.02', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('0.1', '0.625')] },
  {
    provider: 'openai', model: 'gpt-5.5', input: '5', output: '30', cachedInput: '0.5',
    tiers: [{ aboveTokens: 272_000, input: '10', output: '45' }],
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('2.5', '15')],
  },
  {
    provider: 'openai', model: 'gpt-5.6', input: '5', output: '30', cachedInput: '0.5', cacheWrite: '6.25',
    tiers: [{ aboveTokens: 272_000, input: '10', output: '45' }],
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [batch('2.5', '15')],
  },

  // ---- Anthropic (direct API) -------------------------------------------------------------------
  {
    provider: 'anthropic', model: 'claude-3-haiku-20240307', aliases: ['claude-3-haiku'],
    input: '0.25', output: '1.25', cachedInput: '0.03', cacheWrite: '0.3',
    source: LITELLM, asOf: L, confidence: 'confirmed',
    notes: ["LiteLLM's 1-hour cache-write price for this model ($6) looks wrong (providers.md §11), so it is left out."],
  },
  {
    provider: 'anthropic', model: 'claude-3-5-haiku-20241022', aliases: ['claude-3-5-haiku', 'claude-3-5-haiku-latest'],
    input: '0.8', output: '4', cachedInput: '0.08', source: LITELLM_MARCH, asOf: '2026-03-11', confidence: 'confirmed',
  },
  {
    provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', aliases: ['claude-3-5-sonnet', 'claude-3-5-sonnet-latest'],
    input: '3', output: '15', cachedInput: '0.3', source: LITELLM_MARCH, asOf: '2026-03-11', confidence: 'confirmed',
  },
  {
    provider: 'anthropic', model: 'claude-3-7-sonnet-20250219', aliases: ['claude-3-7-sonnet', 'claude-3-7-sonnet-latest'],
    input: '3', output: '15', cachedInput: '0.3', cacheWrite: '3.75', cacheWrite1h: '6',
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC],
  },
  {
    provider: 'anthropic', model: 'claude-sonnet-4-20250514', aliases: ['claude-sonnet-4', 'claude-sonnet-4-0'],
    input: '3', output: '15', cachedInput: '0.3', cacheWrite: '3.75', cacheWrite1h: '6',
    tiers: [{ aboveTokens: 200_000, input: '6', output: '22.5' }],
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC],
  },
  {
    provider: 'anthropic', model: 'claude-opus-4-20250514', aliases: ['claude-opus-4', 'claude-opus-4-0'],
    input: '15', output: '75', cachedInput: '1.5', cacheWrite: '18.75', cacheWrite1h: '30',
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC],
  },
  { provider: 'anthropic', model: 'claude-opus-4-1', input: '15', output: '75', cachedInput: '1.5', cacheWrite: '18.75', cacheWrite1h: '30', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC] },
  {
    provider: 'anthropic', model: 'claude-sonnet-4-5', input: '3', output: '15', cachedInput: '0.3', cacheWrite: '3.75', cacheWrite1h: '6',
    tiers: [{ aboveTokens: 200_000, input: '6', output: '22.5' }],
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC],
  },
  { provider: 'anthropic', model: 'claude-haiku-4-5', input: '1', output: '5', cachedInput: '0.1', cacheWrite: '1.25', cacheWrite1h: '2', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'anthropic', model: 'claude-opus-4-5', input: '5', output: '25', cachedInput: '0.5', cacheWrite: '6.25', cacheWrite1h: '10', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC] },
  { provider: 'anthropic', model: 'claude-sonnet-4-6', input: '3', output: '15', cachedInput: '0.3', cacheWrite: '3.75', cacheWrite1h: '6', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC] },
  { provider: 'anthropic', model: 'claude-opus-4-6', input: '5', output: '25', cachedInput: '0.5', cacheWrite: '6.25', cacheWrite1h: '10', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC] },
  { provider: 'anthropic', model: 'claude-opus-4-7', input: '5', output: '25', cachedInput: '0.5', cacheWrite: '6.25', cacheWrite1h: '10', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC] },
  { provider: 'anthropic', model: 'claude-opus-4-8', input: '5', output: '25', cachedInput: '0.5', cacheWrite: '6.25', cacheWrite1h: '10', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC] },
  { provider: 'anthropic', model: 'claude-sonnet-5', input: '2', output: '10', cachedInput: '0.2', cacheWrite: '2.5', cacheWrite1h: '4', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [WEB_SEARCH_ANTHROPIC] },
  {
    provider: 'anthropic', model: 'claude-opus-5', input: '5', output: '25', cachedInput: '0.5', cacheWrite: '6.25', cacheWrite1h: '10',
    source: 'platform.claude.com model overview and pricing pages (stored copies, Jul-Oct 2026)', asOf: '2026-10', confidence: 'confirmed',
  },
  {
    provider: 'anthropic', model: 'claude-opus-5-5', input: '4', output: '20', cachedInput: '0.2',
    source: 'platform.claude.com model overview ($4 / $20); cache read from third-party release notes (2026-09-23)', asOf: '2026-09-23', confidence: 'likely',
    notes: ['The cache-read price is not confirmed on an official page.'],
  },
  {
    provider: 'anthropic', model: 'claude-sonnet-5-5', input: '2', output: '10', cachedInput: '0.1',
    earlier: [{ until: '2026-10-07T00:00:00Z', cachedInput: '0.2' }],
    source: 'platform.claude.com Sonnet 5.5 overview ($2 / $10, cache read $0.20); third-party release notes: cache read $0.10 from 2026-10-07', asOf: '2026-10-07', confidence: 'likely',
    notes: ['Cache reads before 2026-10-07 are priced at $0.20; the cut to $0.10 is not confirmed on an official page.'],
  },
  {
    provider: 'anthropic', model: 'claude-haiku-5-5', input: '0.1', output: '0.5', cachedInput: '0.01',
    tiers: [{ aboveTokens: 100_000, input: '0.5', output: '2.5', cachedInput: '0.05' }],
    source: 'third-party release notes citing platform.claude.com pricing (2026-10-24); official overview says "from $0.10 / $0.50"', asOf: '2026-10-24', confidence: 'unconfirmed',
    notes: ['Prompts above 100k tokens: $0.50 / $2.50 / cache read $0.05 (not confirmed on an official page).'],
  },
  {
    provider: 'anthropic', model: 'claude-fable-5-1', input: '10', output: '50',
    source: 'platform.claude.com pricing as summarised in providers.md §11 (Claude Fable 5.1: $10 / $50)', asOf: '2026-11', confidence: 'confirmed',
    notes: ['The model id follows Anthropic\'s naming (claude-<family>-<major>-<minor>); cache prices are not known, so cache reads and writes are priced as input.'],
  },

  // ---- Groq (LiteLLM prefix groq/ stripped; the rest is Groq's own model id) ----------------------
  { provider: 'groq', model: 'llama-3.3-70b-versatile', input: '0.59', output: '0.79', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'groq', model: 'llama-3.1-8b-instant', input: '0.05', output: '0.08', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'groq', model: 'meta-llama/llama-4-scout-17b-16e-instruct', aliases: ['llama-4-scout-17b-16e-instruct'], input: '0.11', output: '0.34', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'groq', model: 'meta-llama/llama-4-maverick-17b-128e-instruct', aliases: ['llama-4-maverick-17b-128e-instruct'], input: '0.2', output: '0.6', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'groq', model: 'openai/gpt-oss-120b', aliases: ['gpt-oss-120b'], input: '0.15', output: '0.6', cachedInput: '0.075', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'groq', model: 'openai/gpt-oss-20b', aliases: ['gpt-oss-20b'], input: '0.075', output: '0.3', cachedInput: '0.0375', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'groq', model: 'qwen/qwen3-32b', aliases: ['qwen3-32b'], input: '0.29', output: '0.59', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'groq', model: 'moonshotai/kimi-k2-instruct-0905', aliases: ['kimi-k2-instruct-0905'], input: '1', output: '3', cachedInput: '0.5', source: LITELLM, asOf: L, confidence: 'confirmed' },

  // ---- Perplexity (Sonar API; supported until 2026-09-27) -----------------------------------------
  { provider: 'perplexity', model: 'sonar', input: '1', output: '1', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [sonarFee('0.005', '0.008', '0.012')] },
  { provider: 'perplexity', model: 'sonar-pro', input: '3', output: '15', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [sonarFee('0.006', '0.01', '0.014')] },
  { provider: 'perplexity', model: 'sonar-reasoning', input: '1', output: '5', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [sonarFee('0.005', '0.008', '0.014')] },
  { provider: 'perplexity', model: 'sonar-reasoning-pro', input: '2', output: '8', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [sonarFee('0.006', '0.01', '0.014')] },
  {
    provider: 'perplexity', model: 'sonar-deep-research', input: '2', output: '8', source: LITELLM, asOf: L, confidence: 'confirmed',
    notes: ['Reasoning tokens $3 and citation tokens $2 per million, and $0.005 per search, are not part of token estimates; Perplexity reports usage.cost per request.'],
  },

  // ---- DeepSeek (official page; LiteLLM's flat July rows are stale and not used) -----------------
  {
    provider: 'deepseek', model: 'deepseek-flash', aliases: ['deepseek-v4-flash', 'deepseek-chat', 'deepseek-reasoner'],
    input: '0.3', output: '1.2', cachedInput: '0.006',
    offPeak: { input: '0.15', output: '0.6', cachedInput: '0.003' },
    source: DEEPSEEK, asOf: '2026-11-15', confidence: 'confirmed',
    notes: [
      'deepseek-v4-flash is served and billed as Flash; deepseek-chat and deepseek-reasoner were aliases of V4-Flash (names retired 2026-07-24).',
      'Peak 01:00-04:00 and 06:00-10:00 UTC Monday-Friday is full price; other hours are half price. Chinese public holidays are priced as peak (an overestimate).',
    ],
  },
  {
    provider: 'deepseek', model: 'deepseek-v4-pro', input: '1.32', output: '3.96', cachedInput: '0.044',
    offPeak: { input: '0.66', output: '1.98', cachedInput: '0.022' },
    source: DEEPSEEK, asOf: '2026-11-15', confidence: 'confirmed',
    notes: ['Peak 01:00-04:00 and 06:00-10:00 UTC Monday-Friday is full price; other hours are half price. Chinese public holidays are priced as peak (an overestimate).'],
  },

  // ---- Mistral (LiteLLM prefix mistral/ stripped) -------------------------------------------------
  { provider: 'mistral', model: 'mistral-large-latest', input: '0.5', output: '1.5', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'mistral', model: 'mistral-large-2411', input: '2', output: '6', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'mistral', model: 'mistral-medium-latest', input: '1.5', output: '7.5', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'mistral', model: 'mistral-small-latest', input: '0.06', output: '0.18', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'mistral', model: 'codestral-latest', input: '1', output: '3', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'mistral', model: 'magistral-medium-latest', input: '2', output: '5', source: LITELLM, asOf: L, confidence: 'confirmed' },

  // ---- Google Gemini API (AI Studio; LiteLLM prefix gemini/ stripped) -----------------------------
  { provider: 'gemini', model: 'gemini-2.0-flash', input: '0.1', output: '0.4', cachedInput: '0.025', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_2] },
  { provider: 'gemini', model: 'gemini-2.0-flash-lite', input: '0.075', output: '0.3', cachedInput: '0.01875', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_2] },
  {
    provider: 'gemini', model: 'gemini-2.5-pro', input: '1.25', output: '10', cachedInput: '0.125',
    tiers: [{ aboveTokens: 200_000, input: '2.5', output: '15' }],
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_2],
  },
  { provider: 'gemini', model: 'gemini-2.5-flash', input: '0.3', output: '2.5', cachedInput: '0.03', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_2] },
  { provider: 'gemini', model: 'gemini-2.5-flash-lite', input: '0.1', output: '0.4', cachedInput: '0.01', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_2] },
  {
    provider: 'gemini', model: 'gemini-3-pro-preview', input: '2', output: '12', cachedInput: '0.2',
    tiers: [{ aboveTokens: 200_000, input: '4', output: '18' }],
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_3, batch('1', '6')],
  },
  { provider: 'gemini', model: 'gemini-3-flash-preview', input: '0.5', output: '3', cachedInput: '0.05', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_3] },
  {
    provider: 'gemini', model: 'gemini-3.1-pro-preview', input: '2', output: '12', cachedInput: '0.2',
    tiers: [{ aboveTokens: 200_000, input: '4', output: '18' }],
    source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_3, batch('1', '6')],
  },
  { provider: 'gemini', model: 'gemini-3.5-flash', input: '1.5', output: '9', cachedInput: '0.15', source: LITELLM, asOf: L, confidence: 'confirmed', notes: [GROUNDING_3] },

  // ---- xAI (LiteLLM prefix xai/ stripped) ---------------------------------------------------------
  { provider: 'xai', model: 'grok-3', input: '3', output: '15', cachedInput: '0.75', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'xai', model: 'grok-3-mini', input: '0.3', output: '0.5', cachedInput: '0.075', source: LITELLM, asOf: L, confidence: 'confirmed' },
  { provider: 'xai', model: 'grok-4', aliases: ['grok-4-0709'], input: '3', output: '15', source: LITELLM, asOf: L, confidence: 'confirmed' },
  {
    provider: 'xai', model: 'grok-4-fast-reasoning', input: '0.2', output: '0.5', cachedInput: '0.05',
    tiers: [{ aboveTokens: 128_000, input: '0.4', output: '1' }], source: LITELLM, asOf: L, confidence: 'confirmed',
  },
  {
    provider: 'xai', model: 'grok-4-1-fast-reasoning', input: '0.2', output: '0.5', cachedInput: '0.05',
    tiers: [{ aboveTokens: 128_000, input: '0.4', output: '1' }], source: LITELLM, asOf: L, confidence: 'confirmed',
  },
  { provider: 'xai', model: 'grok-code-fast-1', input: '0.2', output: '1.5', cachedInput: '0.02', source: LITELLM, asOf: L, confidence: 'confirmed' },
  {
    provider: 'xai', model: 'grok-4.3', input: '1.25', output: '2.5', cachedInput: '0.2',
    tiers: [{ aboveTokens: 200_000, input: '2.5', output: '5' }], source: LITELLM, asOf: L, confidence: 'confirmed',
  },
  {
    provider: 'xai', model: 'grok-4.5', input: '2', output: '6', cachedInput: '0.5',
    tiers: [{ aboveTokens: 200_000, input: '4', output: '12' }], source: LITELLM, asOf: L, confidence: 'confirmed',
  },
];

/**
 * Dated snapshots whose price differs from their family's, so the "strip the date" rule must not
 * apply to them. They stay unpriced unless the user sets a price.
 */
export const NOT_FAMILY_SNAPSHOTS: Readonly<Record<string, string>> = {
  // OpenAI's first gpt-4o snapshot kept its launch price, above today's gpt-4o.
  'openai|gpt-4o-2024-05-13': 'its launch price was higher, and it is not in the bundled sources',
};
