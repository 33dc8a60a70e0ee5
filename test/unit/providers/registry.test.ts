import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../src/providers/catalog';
import { coreEnv } from '../../../main/lib/core-env';
import { baseUrlEnvName, baseUrlFor, clientFor, contextFor, INSECURE_BASE_URL_ENV, PROVIDER_CLIENTS, requireClient } from '../../../src/providers/registry';
import { SyncError } from '../../../src/sync/errors';
import { fixedClock } from '../../../src/time';

describe('registry', () => {
  it('has a client for every syncable provider in the catalogue, under its slug', () => {
    const syncable = PROVIDERS.filter((p) => p.syncable).map((p) => p.slug).sort();
    expect(Object.keys(PROVIDER_CLIENTS).sort()).toEqual(syncable);
    for (const [slug, client] of Object.entries(PROVIDER_CLIENTS)) expect(client.provider).toBe(slug);
    expect(clientFor('groq')).toBeUndefined();
    expect(clientFor('toString')).toBeUndefined();
    expect(() => requireClient('groq')).toThrow(SyncError);
  });

  it('uses the default base URL unless BURNRATE_<P>_BASE_URL is set', () => {
    expect(baseUrlFor('openai', {})).toBe('https://api.openai.com');
    expect(baseUrlFor('xai', {})).toBe('https://management-api.x.ai');
    expect(baseUrlEnvName('openrouter')).toBe('BURNRATE_OPENROUTER_BASE_URL');
    expect(baseUrlFor('openai', { BURNRATE_OPENAI_BASE_URL: 'http://127.0.0.1:5001' })).toBe('http://127.0.0.1:5001');
    expect(baseUrlFor('openai', { BURNRATE_OPENAI_BASE_URL: 'http://127.0.0.1:5001/' })).toBe('http://127.0.0.1:5001');
    expect(baseUrlFor('anthropic', { BURNRATE_ANTHROPIC_BASE_URL: 'https://proxy.example/anthropic/v1/' })).toBe('https://proxy.example/anthropic');
    expect(baseUrlFor('openrouter', { BURNRATE_OPENROUTER_BASE_URL: 'https://openrouter.ai/api/v1' })).toBe('https://openrouter.ai');
    expect(baseUrlFor('deepseek', { BURNRATE_DEEPSEEK_BASE_URL: '' })).toBe('https://api.deepseek.com');
  });

  it('refuses an override that is not a plain http(s) URL, as a config error', () => {
    for (const bad of ['127.0.0.1:5001', 'ftp://x', 'http://u:p@host', 'http://h/?q=1']) {
      try {
        baseUrlFor('openai', { BURNRATE_OPENAI_BASE_URL: bad });
        expect.unreachable(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(SyncError);
        expect((err as SyncError).kind).toBe('config');
      }
    }
  });

  it('takes plain http:// only to this machine: anything else must be https (issue 14)', () => {
    for (const local of ['http://localhost:5001', 'http://127.0.0.2:9', 'http://[::1]:8080', 'http://api.localhost']) {
      expect(baseUrlFor('openai', { BURNRATE_OPENAI_BASE_URL: local })).toBe(local);
    }
    for (const remote of ['http://10.0.0.5:5001', 'http://api.openai.com', 'http://127.0.0.1.evil.example', 'http://[::ffff:7f00:1]']) {
      expect(() => baseUrlFor('openai', { BURNRATE_OPENAI_BASE_URL: remote })).toThrow(
        'BURNRATE_OPENAI_BASE_URL must be an https:// URL (plain http:// only to this machine: localhost or 127.0.0.1), so your key never crosses the network in clear.',
      );
    }
    // The development switch, which the packaged desktop app drops (main/lib/core-env.ts).
    expect(baseUrlFor('openai', { BURNRATE_OPENAI_BASE_URL: 'http://10.0.0.5:5001', [INSECURE_BASE_URL_ENV]: '1' })).toBe('http://10.0.0.5:5001');
    expect(coreEnv({ [INSECURE_BASE_URL_ENV]: '1', HOME: '/h' }, true)).toEqual({ HOME: '/h' });
    expect(coreEnv({ [INSECURE_BASE_URL_ENV]: '1' }, false)).toEqual({ [INSECURE_BASE_URL_ENV]: '1' });
  });

  it('builds a client context with the resolved base URL', () => {
    const ctx = contextFor('xai', { key: 'k', env: { BURNRATE_XAI_BASE_URL: 'http://127.0.0.1:9', BURNRATE_XAI_TEAM_ID: 't' }, clock: fixedClock('2026-11-10T00:00:00Z') });
    expect(ctx.baseUrl).toBe('http://127.0.0.1:9');
    expect(ctx.env?.BURNRATE_XAI_TEAM_ID).toBe('t');
    expect(ctx.fetch).toBe(globalThis.fetch);
  });
});
