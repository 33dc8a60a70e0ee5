import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteProvider, redactSecrets, SyncError, SYNC_ERROR_KINDS } from '../../../src/sync/errors';

describe('redactSecrets', () => {
  it('never lets a key through, wherever the provider puts it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sk-admin-', 'sk-proj-', 'sk-ant-admin01-', 'sk-or-v1-', 'xai-', 'sk-', ''),
        fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'.split('')), minLength: 16, maxLength: 64 }),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (prefix, secret, before, after) => {
          const key = prefix + secret;
          const out = redactSecrets(`${before}${key}${after}`, key);
          return !out.includes(key);
        },
      ),
    );
  });

  it('removes masked and bearer forms too', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
    expect(redactSecrets('Incorrect API key provided: sk-proj-****0123.', key)).not.toMatch(/0123/);
    expect(redactSecrets('header was Bearer abc.def.ghi', key)).toBe('header was Bearer [redacted]');
    expect(redactSecrets(`prefix ${key.slice(0, 14)}… suffix ${key.slice(-8)}`, key)).not.toContain(key.slice(-8));
  });

  it('shortens long provider messages', () => {
    expect(quoteProvider('x '.repeat(300)).length).toBeLessThanOrEqual(200);
    expect(quoteProvider(undefined)).toBe('');
  });
});

describe('SyncError', () => {
  it('has the six kinds and serialises without detail or cause', () => {
    expect(SYNC_ERROR_KINDS).toEqual(['auth', 'permission', 'rate_limited', 'transient', 'malformed', 'config']);
    const err = new SyncError('transient', 'OpenAI had a server error.', { provider: 'openai', status: 500, detail: 'd', cause: new Error('c') });
    expect(err.retryable).toBe(true);
    expect(JSON.parse(JSON.stringify(err))).toEqual({ kind: 'transient', provider: 'openai', status: 500, message: 'OpenAI had a server error.' });
    expect(new SyncError('auth', 'x', { provider: 'openai' }).retryable).toBe(false);
  });
});
