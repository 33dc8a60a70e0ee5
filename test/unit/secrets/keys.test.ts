import { describe, expect, it } from 'vitest';
import { openCore } from '../../../src/app/open';
import { envKeyName, keyFromEnv } from '../../../src/secrets/env';
import { KeyFormatError, lastFour, normaliseKey, providersWithKeys, redactSecret, resolveKey, saveKeyMetadata } from '../../../src/secrets/keys';
import { fixedClock } from '../../../src/time';

describe('keys from standard input', () => {
  it('drops the trailing newline and surrounding whitespace', () => {
    expect(normaliseKey('sk-admin-abcdefgh1234\n')).toBe('sk-admin-abcdefgh1234');
    expect(normaliseKey('  sk-admin-abcdefgh1234\r\n')).toBe('sk-admin-abcdefgh1234');
  });

  it('refuses empty, multi-line, short and odd input without repeating it', () => {
    const cases = ['', '\n', 'sk-one\nsk-two-abcdefgh', 'sk-abc', 'sk-admin-abcd\u00e9fgh', `sk-${'x'.repeat(1100)}`];
    for (const input of cases) {
      let error: unknown;
      try {
        normaliseKey(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KeyFormatError);
      const message = (error as Error).message;
      if (input.trim().length > 3) expect(message).not.toContain(input.trim().slice(0, 8));
    }
  });

  it('shows only the last four characters', () => {
    expect(lastFour('sk-admin-abcdefgh1234')).toBe('1234');
  });
});

describe('redactSecret', () => {
  const key = 'sk-admin-0123456789abcdefXYZW';
  it('removes the key and any long piece of it', () => {
    expect(redactSecret(`bad key ${key} given`, key)).toBe('bad key [redacted] given');
    expect(redactSecret('Incorrect API key provided: sk-admin-0123***XYZW', key)).not.toContain('sk-admin-0123');
    expect(redactSecret('abcdefXYZW was refused', key)).toBe('[redacted] was refused');
  });
  it('leaves ordinary words alone', () => {
    expect(redactSecret('OpenAI answered HTTP 500 (internal)', key)).toBe('OpenAI answered HTTP 500 (internal)');
  });
});

describe('environment keys', () => {
  it('names one variable per provider', () => {
    expect(envKeyName('openai')).toBe('BURNRATE_OPENAI_KEY');
    expect(envKeyName('x.ai-test')).toBe('BURNRATE_X_AI_TEST_KEY');
    expect(keyFromEnv({ BURNRATE_OPENAI_KEY: ' sk-1234567890\n' }, 'openai')).toBe('sk-1234567890');
    expect(keyFromEnv({ BURNRATE_OPENAI_KEY: '  ' }, 'openai')).toBeNull();
  });

  it('the environment wins, and the keychain is not asked for providers without an indexed key', async () => {
    // A store that fails the test if asked: resolveKey must not touch it for un-indexed providers.
    const asked: string[] = [];
    const secrets = {
      description: 'test store',
      async get(p: string) {
        asked.push(p);
        return p === 'anthropic' ? 'sk-ant-admin01-abcdefgh' : null;
      },
      async set() {},
      async delete() {
        return false;
      },
    };
    const core = openCore({ memory: true, clock: fixedClock('2026-03-10T12:00:00Z'), timeZone: 'UTC', secrets, env: { BURNRATE_OPENAI_KEY: 'sk-admin-fromenv1234' } });
    try {
      expect(await resolveKey(core, 'openai')).toEqual({ key: 'sk-admin-fromenv1234', origin: 'env' });
      expect(await resolveKey(core, 'anthropic')).toBeNull();
      expect(asked).toEqual([]);
      saveKeyMetadata(core.db, { provider: 'anthropic', kind: 'admin', last4: 'efgh', storedIn: 'keychain', updatedAt: '2026-03-10T12:00:00.000Z' });
      expect(await resolveKey(core, 'anthropic')).toEqual({ key: 'sk-ant-admin01-abcdefgh', origin: 'keychain' });
      expect(await resolveKey(core, 'deepseek', { askKeychain: true })).toBeNull();
      expect(asked).toEqual(['anthropic', 'deepseek']);
      expect(providersWithKeys(core, ['openai', 'anthropic', 'deepseek'])).toEqual(['openai', 'anthropic']);
    } finally {
      core.close();
    }
  });
});
