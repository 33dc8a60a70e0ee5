import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authenticate, bearerToken, checkConfiguredToken, newToken, readCookies, sameToken } from '../../../src/server/auth';
import { formatEvent } from '../../../src/server/events';
import { crossOriginRefusal, isAllowedHost } from '../../../src/server/security';
import { contentTypeOf, safeSegments } from '../../../src/server/static';

const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;

describe('tokens', () => {
  it('a fresh token is 32 random bytes in base64url, and passes its own shape check', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(checkConfiguredToken(a)).toBeNull();
    expect(newToken()).not.toBe(a);
  });

  it('compares exactly', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (x, y) => {
        expect(sameToken(x, y)).toBe(x === y);
      }),
    );
  });

  it('reads a bearer token and cookies', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(readCookies('a=1; burnrate_session_5=t; b=2', 'burnrate_session_5')).toEqual(['t']);
    expect(readCookies('burnrate_session_55=t', 'burnrate_session_5')).toEqual([]);
  });

  it('authenticates by header or cookie; a cookie for another port does not count', () => {
    const token = newToken();
    expect(authenticate(req('GET', { authorization: `Bearer ${token}` }), token, 4317)).toBe('bearer');
    expect(authenticate(req('GET', { cookie: `burnrate_session_4317=${token}` }), token, 4317)).toBe('cookie');
    expect(authenticate(req('GET', { cookie: `burnrate_session_4318=${token}` }), token, 4317)).toBeNull();
    expect(authenticate(req('GET', { authorization: 'Basic x', cookie: `burnrate_session_4317=${token}` }), token, 4317)).toBeNull();
    expect(authenticate(req('GET', {}), token, 4317)).toBeNull();
  });
});

describe('Host and origin guards', () => {
  it('accepts only our two names with our port', () => {
    expect(isAllowedHost('127.0.0.1:4317', 4317)).toBe(true);
    expect(isAllowedHost('LOCALHOST:4317', 4317)).toBe(true);
    for (const h of [undefined, '', '127.0.0.1', 'localhost', '127.0.0.1:4318', 'evil.example:4317', '127.0.0.1:4317.evil.example', '[::1]:4317']) {
      expect(isAllowedHost(h, 4317), String(h)).toBe(false);
    }
  });

  it('refuses cross-origin use of the cookie: foreign Origin on writes, foreign Sec-Fetch-Site on anything', () => {
    expect(crossOriginRefusal(req('POST', { origin: 'http://127.0.0.1:4317' }), 4317)).toBeNull();
    expect(crossOriginRefusal(req('POST', { origin: 'http://localhost:4317' }), 4317)).toBeNull();
    expect(crossOriginRefusal(req('POST', {}), 4317)).toBeNull();
    expect(crossOriginRefusal(req('POST', { origin: 'http://127.0.0.1:8080' }), 4317)).toMatch(/refused/);
    expect(crossOriginRefusal(req('POST', { origin: 'https://127.0.0.1:4317' }), 4317)).toMatch(/refused/);
    expect(crossOriginRefusal(req('GET', { 'sec-fetch-site': 'cross-site' }), 4317)).toMatch(/another site/);
    expect(crossOriginRefusal(req('GET', { 'sec-fetch-site': 'same-origin' }), 4317)).toBeNull();
    expect(crossOriginRefusal(req('GET', { 'sec-fetch-site': 'none' }), 4317)).toBeNull();
  });
});

describe('static paths', () => {
  it('no accepted path ever resolves outside the folder', () => {
    const root = path.resolve('/srv/site');
    const piece = fc.oneof(fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', '..%2f', '%5c', '\\', '%00', 'assets', 'a.js', '%2f', '%'), fc.string());
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        let segments: string[];
        try {
          segments = safeSegments('/' + parts.join('/'));
        } catch {
          return; // refused: fine
        }
        const resolved = path.resolve(root, ...segments);
        expect(resolved === root || resolved.startsWith(root + path.sep)).toBe(true);
      }),
    );
  });

  it('refuses the classic spellings outright', () => {
    for (const p of ['/../x', '/%2e%2e/x', '/a/..%2f..%2fx', '/..%5cx', '/a\\..\\x', '/%00', '/%e0%a4%a']) expect(() => safeSegments(p), p).toThrow(/not allowed/);
    expect(safeSegments('/assets/./app.js')).toEqual(['assets', 'app.js']);
  });

  it('names content types', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('icon.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('blob.bin')).toBe('application/octet-stream');
  });
});

describe('server-sent events', () => {
  it('one event is one event line and one data line, whatever the payload holds', () => {
    expect(formatEvent('statusChanged', { reason: 'a\nb' })).toBe('event: statusChanged\ndata: {"reason":"a\\nb"}\n\n');
  });
});
