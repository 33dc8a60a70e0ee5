import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes: 43 characters of base64url, safe in a URL, a header and a cookie. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{16,256}$/;

/**
 * A configured token (BURNRATE_TOKEN or --token) must be long enough not to be guessed by another
 * local process, and made only of characters that survive a URL, a header and a cookie unescaped.
 */
export function checkConfiguredToken(token: string): string | null {
  if (TOKEN_SHAPE.test(token)) return null;
  return 'The token must be 16 to 256 characters of letters, digits, "-", "_", "." or "~"; leave BURNRATE_TOKEN and --token unset to get a fresh random token.';
}

/**
 * Compare in constant time. Hashing both sides first gives equal-length buffers, so neither the
 * content nor the length of the real token leaks through timing.
 */
export function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Cookies are scoped by host, not by port, so two servers on 127.0.0.1 would overwrite one
 * another's cookie under a shared name: the port is part of the name.
 */
export function cookieName(port: number): string {
  return `burnrate_session_${port}`;
}

export function sessionCookie(port: number, token: string): string {
  // No Secure: the server speaks plain http on loopback, where a Secure cookie would never be sent.
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Every value of the named cookie (a browser may send duplicates from different paths). */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

export type AuthVia = 'bearer' | 'cookie';

/**
 * How the request proved it holds the token: the Authorization header, else the session cookie.
 * A request that sends a wrong bearer token is refused even if its cookie is right, so a client
 * never silently runs on credentials other than the ones it sent.
 */
export function authenticate(req: IncomingMessage, token: string, port: number): AuthVia | null {
  const bearer = bearerToken(req.headers.authorization);
  if (bearer !== null) return sameToken(bearer, token) ? 'bearer' : null;
  if (req.headers.authorization !== undefined) return null;
  const cookies = readCookies(req.headers.cookie, cookieName(port));
  return cookies.some((c) => sameToken(c, token)) ? 'cookie' : null;
}
