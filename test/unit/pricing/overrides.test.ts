import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { ApiError } from '../../../src/api/errors';
import { openCore, type Core } from '../../../src/app/open';
import { openLedger } from '../../../src/ledger/db';
import { createPriceCatalogue } from '../../../src/pricing/catalogue';
import { fixedPrices } from '../../../src/pricing/fixed-prices';
import { fixedClock } from '../../../src/time';

const NOW = '2026-11-16T12:00:00Z';
const at = new Date(NOW);
const cores: Core[] = [];
const memoryCore = () => {
  const core = openCore({ memory: true, clock: fixedClock(NOW), timeZone: 'UTC' });
  cores.push(core);
  return core;
};
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

const overrideCount = (core: Core) => (core.db.prepare('SELECT COUNT(*) AS n FROM price_overrides').get() as { n: number }).n;

describe('user overrides (price_overrides)', () => {
  it('win over the bundled price, for the family and its snapshots, and go away on remove', async () => {
    const core = memoryCore();
    expect(core.prices.priceFor('openai', 'gpt-4o-mini-2024-07-18', at, 0)!.input).toBe(150_000_000);
    const set = await dispatch(core, 'priceSet', { model: 'GPT-4o-mini', provider: 'openai', input: '0.2', output: '0.8', cachedInput: '0.0375' });
    expect(set).toMatchObject({
      model: 'gpt-4o-mini',
      provider: 'openai',
      perMillion: { input: '0.20', output: '0.80', cachedInput: '0.0375', cacheWrite: null },
      replacesBundled: 'openai gpt-4o-mini',
      previous: null,
    });
    for (const name of ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'openai/gpt-4o-mini']) {
      expect(core.prices.priceFor('openai', name, at, 0)).toMatchObject({ input: 200_000_000, output: 800_000_000, cachedInput: 37_500_000 });
    }
    // gpt-4o is another family: untouched.
    expect(core.prices.priceFor('openai', 'gpt-4o', at, 0)!.input).toBe(2_500_000_000);

    const shown = await dispatch(core, 'prices', { model: 'gpt-4o-mini-2024-07-18', provider: 'openai' });
    expect(shown.match!.steps.map((s) => s.kind)).toEqual(['dated-snapshot', 'override']);
    expect(shown.entries[0]).toMatchObject({ origin: 'override', active: true });
    const list = await dispatch(core, 'prices', {});
    expect(list.entries.find((e) => e.model === 'gpt-4o-mini' && e.origin === 'bundled')!.active).toBe(false);

    const removed = await dispatch(core, 'priceRemove', { model: 'openai/gpt-4o-mini' });
    expect(removed).toMatchObject({ model: 'gpt-4o-mini', fallsBackTo: 'openai gpt-4o-mini' });
    expect(core.prices.priceFor('openai', 'gpt-4o-mini-2024-07-18', at, 0)!.input).toBe(150_000_000);
  });

  it('replace flat: no tiers and no peak hours once the user names the price', async () => {
    const core = memoryCore();
    await dispatch(core, 'priceSet', { model: 'deepseek-flash', provider: 'deepseek', input: '0.25', output: '1' });
    const peak = core.prices.priceFor('deepseek', 'deepseek-chat', new Date('2026-11-16T02:00:00Z'), 0)!;
    const offPeak = core.prices.priceFor('deepseek', 'deepseek-chat', new Date('2026-11-16T12:00:00Z'), 0)!;
    expect(peak).toEqual(offPeak);
    expect(peak.input).toBe(250_000_000);
  });

  it('price a model the catalogue does not know, for that provider only', async () => {
    const core = memoryCore();
    expect(core.prices.priceFor('acme', 'house-llm', at, 0)).toBeNull();
    await dispatch(core, 'priceSet', { model: 'house-llm', provider: 'acme', input: '1', output: '2' });
    expect(core.prices.priceFor('acme', 'house-llm', at, 0)).toMatchObject({ input: 1e9, output: 2e9, cachedInput: null, cacheWrite: null });
    expect(core.prices.priceFor('openai', 'house-llm', at, 0)).toBeNull();
  });

  it('refuse bad input with one sentence and change nothing', async () => {
    const core = memoryCore();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ model: 'gpt-4o', provider: 'openai', input: '-1', output: '2' }, /input must be an amount in US dollars/],
      [{ model: 'gpt-4o', provider: 'openai', input: 'cheap', output: '2' }, /input must be an amount in US dollars/],
      [{ model: 'gpt-4o', provider: 'openai', input: '1', output: '2', cachedInput: '0.0000000001' }, /at most 9 decimals/],
      [{ model: 'gpt-4o', provider: 'openai', input: '1' }, /output/],
      [{ model: '  ', provider: 'openai', input: '1', output: '2' }, /must name the model/],
    ];
    for (const [input, message] of cases) {
      const error = await rejection(dispatch(core, 'priceSet', input));
      expect(error.code).toBe('invalid_input');
      expect(error.message).toMatch(message);
    }
    expect(overrideCount(core)).toBe(0);
    const missing = await rejection(dispatch(core, 'priceRemove', { model: 'gpt-4o' }));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toMatch(/no price of your own for "gpt-4o"/);
    expect(core.prices.priceFor('openai', 'gpt-4o', at, 0)!.input).toBe(2_500_000_000);
  });

  it('answer an unknown or ambiguous model with a sentence saying what to do', async () => {
    const core = memoryCore();
    const unknown = await rejection(dispatch(core, 'prices', { model: 'gpt-9-ultra', provider: 'openai' }));
    expect(unknown.code).toBe('not_found');
    expect(unknown.message).toMatch(/unpriced, never \$0/);
    expect(unknown).toMatchObject({ reason: 'no_price_for_model', facts: { model: 'gpt-9-ultra', provider: 'openai' } });
    await dispatch(core, 'priceSet', { model: 'shared-name', provider: 'openai', input: '1', output: '1' });
    // One row per model name (the table's key): setting it for another provider moves it.
    const moved = await dispatch(core, 'priceSet', { model: 'shared-name', provider: 'mistral', input: '2', output: '2' });
    expect(moved.previous).toMatchObject({ input: '1.00' });
    expect(core.prices.priceFor('openai', 'shared-name', at, 0)).toBeNull();
    expect(core.prices.priceFor('mistral', 'shared-name', at, 0)!.input).toBe(2e9);
  });

  it('price the usage rows that were unpriced, through the write path, keeping rollups right', async () => {
    const core = memoryCore();
    core.usage.write([
      { source: 'proxy', provider: 'acme', model: 'House-LLM', externalId: 'r1', inputTokens: 1_000_000, outputTokens: 500_000, occurredAt: at },
      { source: 'proxy', provider: 'openai', model: 'gpt-4o', externalId: 'r2', inputTokens: 1_000_000, occurredAt: at },
    ]);
    const rollup = () =>
      core.db.prepare(`SELECT SUM(cost_nano) AS cost, SUM(unpriced_events) AS unpriced FROM daily_rollups WHERE local_day = '2026-11-16'`).get() as {
        cost: number;
        unpriced: number;
      };
    expect(rollup()).toEqual({ cost: 2_500_000_000, unpriced: 1 });
    const set = await dispatch(core, 'priceSet', { model: 'house-llm', provider: 'acme', input: '1', output: '2' });
    expect(set.repricedEvents).toBe(1);
    expect(rollup()).toEqual({ cost: 2_500_000_000 + 1_000_000_000 + 1_000_000_000, unpriced: 0 });
    // The priced row is history now: removing the price does not unprice it, and a second set changes nothing old.
    await dispatch(core, 'priceRemove', { model: 'house-llm' });
    const again = await dispatch(core, 'priceSet', { model: 'house-llm', provider: 'acme', input: '5', output: '5' });
    expect(again.repricedEvents).toBe(0);
    expect(rollup().cost).toBe(4_500_000_000);
  });
});

describe('overrides across processes', () => {
  it('persist in the ledger and reach another open connection', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-pricing-'));
    const a = openLedger(home);
    const b = openLedger(home);
    try {
      const serving = createPriceCatalogue(a, { recheckMs: 0 });
      const cli = createPriceCatalogue(b);
      expect(serving.priceFor('groq', 'llama-3.3-70b-versatile', at, 0)!.input).toBe(590_000_000);
      cli.setOverride({ model: 'llama-3.3-70b-versatile', provider: 'groq', input: 500_000_000, output: 700_000_000, cachedInput: null, cacheWrite: null }, at);
      expect(serving.priceFor('groq', 'llama-3.3-70b-versatile', at, 0)!.input).toBe(500_000_000);
      // A catalogue opened later reads it from the ledger.
      const c = openLedger(home);
      expect(createPriceCatalogue(c).lookup('groq/llama-3.3-70b-versatile', 'groq')).toMatchObject({ origin: 'override', model: 'llama-3.3-70b-versatile' });
      c.close();
      cli.removeOverride('llama-3.3-70b-versatile');
      expect(serving.priceFor('groq', 'llama-3.3-70b-versatile', at, 0)!.input).toBe(590_000_000);
    } finally {
      a.close();
      b.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('price snapshots for the parse workers', () => {
  it('price as the catalogue did, and move to a new generation only when the overrides change, whoever changed them', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-snapshot-'));
    const writer = openCore({ home, clock: fixedClock(NOW), timeZone: 'UTC' });
    const reader = openLedger(home);
    try {
      const catalogue = createPriceCatalogue(reader, { recheckMs: 0 });
      const first = catalogue.snapshot();
      // Another process's usage row changes data_version, not the prices: same generation.
      writer.usage.write([{ source: 'manual', provider: 'openai', model: 'gpt-4o', externalId: 'x1', inputTokens: 10, occurredAt: at }]);
      expect(catalogue.snapshot().generation).toBe(first.generation);
      writer.prices.setOverride({ model: 'gpt-4o', provider: 'openai', input: 7_000_000, output: 9_000_000, cachedInput: null, cacheWrite: null }, at);
      const second = catalogue.snapshot();
      expect(second.generation).not.toBe(first.generation);
      // A worker's fixed prices from each snapshot price as the catalogue did then and now.
      expect(fixedPrices(first.overrides).priceFor('openai', 'gpt-4o', at, 0)!.input).toBe(2_500_000_000);
      expect(fixedPrices(second.overrides).priceFor('openai', 'gpt-4o', at, 0)).toEqual(catalogue.priceFor('openai', 'gpt-4o', at, 0));
      expect(fixedPrices(second.overrides).priceFor('openai', 'gpt-4o', at, 0)!.input).toBe(7_000_000);
    } finally {
      reader.close();
      writer.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
