import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, classifyStatus, errorFields, parseRetryAfter } from '../../../src/sync/http';

const NOW = new Date('2026-11-10T12:00:00Z');
const h = (init: Record<string, string>) => new Headers(init);

describe('parseRetryAfter', () => {
  it('reads seconds, fractional seconds, an HTTP date and retry-after-ms', () => {
    expect(parseRetryAfter(h({ 'retry-after': '7' }), NOW)).toBe(7_000);
    expect(parseRetryAfter(h({ 'retry-after': '0.25' }), NOW)).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': new Date(NOW.getTime() + 90_000).toUTCString() }), NOW)).toBe(90_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), NOW)).toBe(0); // in the past
    expect(parseRetryAfter(h({ 'retry-after-ms': '1500', 'retry-after': '9' }), NOW)).toBe(1_500);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfter(h({}), NOW)).toBeUndefined();
  });
});

describe('backoffDelay (full jitter)', () => {
  it('stays between 0 and min(max, base × 2^(retry−1))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, base, max, r) => {
          const wait = backoffDelay(retry, { baseDelayMs: base, maxDelayMs: max, random: () => r });
          const ceiling = Math.min(max, base * 2 ** (retry - 1));
          return Number.isInteger(wait) && wait >= 0 && wait <= ceiling;
        },
      ),
    );
  });

  it('grows exponentially up to the cap', () => {
    const at = (retry: number) => backoffDelay(retry, { baseDelayMs: 1_000, maxDelayMs: 30_000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6, 7].map(at)).toEqual([999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999]);
  });
});

describe('errorFields', () => {
  it('finds message and code in the shapes providers use', () => {
    expect(errorFields('{"error":{"message":"bad key","type":"invalid_request_error","code":"invalid_api_key"}}')).toEqual({ message: 'bad key', code: 'invalid_api_key' });
    expect(errorFields('{"type":"error","error":{"type":"permission_error","message":"no"}}')).toEqual({ message: 'no', code: 'permission_error' });
    expect(errorFields('{"error":{"code":403,"message":"Only management keys"}}')).toEqual({ message: 'Only management keys', code: '403' });
    expect(errorFields('{"code":16,"error":"Invalid management key"}')).toEqual({ message: 'Invalid management key', code: '16' });
    expect(errorFields('<html><body>502</body></html>')).toEqual({ message: '', code: '' });
  });
});

describe('classifyStatus', () => {
  const call = { provider: 'openai', url: 'http://127.0.0.1/v1/x', what: 'the costs page' };
  const answer = (message = '', code = '') => ({ status: 0, text: '', message, code });
  it.each([
    [401, 'auth', false],
    [403, 'permission', false],
    [404, 'config', false],
    [400, 'config', false],
    [408, 'transient', true],
    [429, 'rate_limited', true],
    [500, 'transient', true],
    [503, 'transient', true],
    [302, 'config', false],
  ] as const)('%i is %s (retryable %s)', (status, kind, retryable) => {
    const err = classifyStatus(call, status, answer());
    expect(err.kind).toBe(kind);
    expect(err.retryable).toBe(retryable);
    expect(err.status).toBe(status);
  });

  it('treats quota and spending-limit refusals as final', () => {
    for (const [status, a] of [
      [429, answer('You exceeded your current quota', 'insufficient_quota')],
      [403, answer('Team spending limit reached')],
      [402, answer('Insufficient Balance')],
    ] as const) {
      const err = classifyStatus(call, status, a);
      expect(err.quota).toBe(true);
      expect(err.retryable).toBe(false);
    }
    expect(classifyStatus(call, 429, answer('Rate limit reached for requests')).quota).toBe(false);
  });
});

describe('requestJson cancellation', () => {
  it('turns an abort during a backoff wait into a SyncError, not a raw DOMException', async () => {
    const { requestJson, defaultSleep } = await import('../../../src/sync/http');
    const { SyncError } = await import('../../../src/sync/errors');
    const { startFakeServer, fail } = await import('../../fixtures/servers/common');
    const server = await startFakeServer({ errorBody: (_s, message) => ({ error: { message } }), handle: () => ({ status: 200, body: {} }) });
    server.setScenario([fail.status(503, 'busy', { 'retry-after': '30' })]);
    const controller = new AbortController();
    const waits: number[] = [];
    try {
      const err = await requestJson(
        {
          fetch,
          clock: { now: () => NOW },
          key: 'k',
          signal: controller.signal,
          // The user cancels just as the 30 s wait begins; the real sleep must give up at once.
          sleep: (ms) => {
            waits.push(ms);
            controller.abort();
            return defaultSleep(ms, controller.signal);
          },
        },
        { provider: 'openai', url: `${server.url}/v1/x`, what: 'the costs page' },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SyncError);
      expect((err as InstanceType<typeof SyncError>).message).toMatch(/cancelled/);
      expect(waits).toEqual([30_000]);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
