import { describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

// 2026-11-16 is a Monday: 02:00 UTC is DeepSeek peak time, 12:00 UTC off-peak.
const NOW = '2026-11-16T12:00:00Z';

describe('burnrate prices and record, through the real CLI', () => {
  it('prices a dated snapshot through its family, to the exact nano-dollar', () => {
    const env = { BURNRATE_HOME: tempHome(), BURNRATE_NOW: NOW };
    const r = burnrate(
      ['record', '--provider', 'openai', '--model', 'gpt-4o-mini-2024-07-18', '--input-tokens', '1234567', '--output-tokens', '89012',
        '--cached-input-tokens', '100000', '--json'],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // 1,234,567 × $0.15 + 89,012 × $0.60 + 100,000 × $0.075, per million tokens.
    expect(r.json()).toMatchObject({ priced: 'catalogue', costUsd: '0.24609225', model: 'gpt-4o-mini-2024-07-18' });
    const shown = burnrate(['prices', 'gpt-4o-mini-2024-07-18', '--json'], env).json();
    expect(shown.match).toMatchObject({ explanation: expect.stringContaining('dated snapshot of gpt-4o-mini'), effective: { input: '0.15', cachedInput: '0.075' } });
  });

  it('uses an override for new records once set, and the bundled price again after remove', () => {
    const env = { BURNRATE_HOME: tempHome(), BURNRATE_NOW: NOW };
    const record = (id: string) =>
      burnrate(['record', '--provider', 'groq', '--model', 'llama-3.3-70b-versatile', '--input-tokens', '1000000', '--output-tokens', '1000000', '--id', id, '--json'], env);
    expect(record('a').json().costUsd).toBe('1.38'); // $0.59 + $0.79

    const set = burnrate(['prices', 'set', 'groq/llama-3.3-70b-versatile', '--provider', 'groq', '--input', '0.5', '--output', '0.0375', '--json'], env);
    expect(set.code).toBe(0);
    expect(set.json()).toMatchObject({ model: 'llama-3.3-70b-versatile', replacesBundled: 'groq llama-3.3-70b-versatile', perMillion: { output: '0.0375' } });
    expect(record('b').json().costUsd).toBe('0.5375');
    const history = burnrate(['export', '--format', 'json'], env);
    const costs = JSON.parse(history.stdout).rows.map((row: { external_id: string; cost_usd: string }) => [row.external_id, row.cost_usd]);
    expect(costs).toEqual([['a', '1.38'], ['b', '0.5375']]); // the earlier record keeps its price

    const list = burnrate(['prices', '--provider', 'groq', '--json'], env).json();
    expect(list.entries[0]).toMatchObject({ origin: 'override', model: 'llama-3.3-70b-versatile', perMillion: { input: '0.50' } });

    const removed = burnrate(['prices', 'remove', 'llama-3.3-70b-versatile'], env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/priced as groq llama-3.3-70b-versatile again/);
    expect(record('c').json().costUsd).toBe('1.38');
  });

  it('refuses to record an unknown model without --cost, and records nothing', () => {
    const env = { BURNRATE_HOME: tempHome(), BURNRATE_NOW: NOW };
    const r = burnrate(['record', '--provider', 'openai', '--model', 'gpt-9-ultra', '--input-tokens', '1000'], env);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no price for model "gpt-9-ultra"/);
    expect(burnrate(['status', '--json'], env).json().providers).toEqual([]);
    // With a price of the user's own it is accepted.
    expect(burnrate(['prices', 'set', 'gpt-9-ultra', '--provider', 'openai', '--input', '10', '--output', '30'], env).code).toBe(0);
    expect(burnrate(['record', '--provider', 'openai', '--model', 'gpt-9-ultra', '--input-tokens', '1000', '--json'], env).json().costUsd).toBe('0.01');
  });

  it("prices DeepSeek by the instant of the call: peak is full price, off-peak half", () => {
    const env = { BURNRATE_HOME: tempHome(), BURNRATE_NOW: NOW };
    const at = (iso: string) =>
      burnrate(['record', '--provider', 'deepseek', '--model', 'deepseek-chat', '--input-tokens', '1000000', '--output-tokens', '1000000', '--at', iso, '--json'], env).json();
    expect(at('2026-11-16T02:00:00Z').costUsd).toBe('1.50'); // $0.30 + $1.20
    expect(at('2026-11-16T11:00:00Z').costUsd).toBe('0.75');
    expect(at('2026-11-14T02:00:00Z').costUsd).toBe('0.75'); // Saturday
    const shown = burnrate(['prices', 'deepseek-v4-flash', '--provider', 'deepseek', '--at', '2026-11-16T07:30:00Z', '--json'], env).json();
    expect(shown.match).toMatchObject({ period: 'peak', effective: { input: '0.30', cachedInput: '0.006' } });
  });

  it('answers bad input with one sentence on stderr and a non-zero exit, changing nothing', () => {
    const env = { BURNRATE_HOME: tempHome(), BURNRATE_NOW: NOW };
    for (const args of [
      ['prices', 'set', 'gpt-4o', '--provider', 'openai', '--input', '-2', '--output', '10'],
      ['prices', 'set', 'gpt-4o', '--provider', 'openai', '--input', 'two', '--output', '10'],
      ['prices', 'remove', 'gpt-4o'],
      ['prices', 'no-such-model'],
    ]) {
      const r = burnrate(args, env);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^burnrate: /);
    }
    const gpt4o = burnrate(['prices', 'gpt-4o', '--provider', 'openai', '--json'], env).json();
    expect(gpt4o.entries[0]).toMatchObject({ origin: 'bundled', perMillion: { input: '2.50', output: '10.00' } });
  });

  it('lists every bundled price in one JSON document, as decimal strings per million tokens', () => {
    const r = burnrate(['prices', '--json'], { BURNRATE_HOME: tempHome(), BURNRATE_NOW: NOW });
    expect(r.code).toBe(0);
    const list = r.json();
    const providers = new Set(list.entries.map((e: { provider: string }) => e.provider));
    expect(providers).toEqual(new Set(['openai', 'anthropic', 'groq', 'perplexity', 'deepseek', 'xai', 'mistral', 'gemini']));
    const gptOss = list.entries.find((e: { model: string }) => e.model === 'openai/gpt-oss-20b');
    expect(gptOss.perMillion.cachedInput).toBe('0.0375');
    const human = burnrate(['prices'], { BURNRATE_HOME: tempHome(), BURNRATE_NOW: NOW });
    expect(human.stdout).toMatch(/never \$0/);
  });
});
