import type { IncomingMessage, ServerResponse } from 'node:http';
import { REPORT_STYLE_SOURCE } from '../close/report/style';

/**
 * The dashboard loads only its own scripts, styles, data and images. No 'unsafe-inline' anywhere:
 * Vite's build emits CSS files, and React sets `style` props through the CSSOM, which CSP allows.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${REPORT_STYLE_SOURCE}`, // the month report's <style>, shown in a srcdoc frame (src/close/report/style.ts)
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent on every response, pages, files, API answers and refusals alike. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** The Host values a browser sends when it really is talking to this server. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/**
 * DNS rebinding: a page of evil.example can point its own name at 127.0.0.1 and then talk to us
 * "same-origin", but its requests still carry `Host: evil.example`. Only our two names pass.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  return allowedHosts(port).includes(host.toLowerCase());
}

/**
 * For requests authenticated by the cookie: refuse what a browser marks as coming from another
 * origin. SameSite=Strict is not enough on loopback, because a page on another port of 127.0.0.1
 * is the same *site*; Origin and Sec-Fetch-Site tell the ports apart. Returns a refusal sentence,
 * or null when the request may proceed.
 */
export function crossOriginRefusal(req: IncomingMessage, port: number): string | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `This request came from another site (${site}); only the Burnrate dashboard itself may use its session.`;
  }
  if (req.method === 'POST') {
    const origin = req.headers.origin;
    const ours = allowedHosts(port).map((h) => `http://${h}`);
    if (origin !== undefined && !ours.includes(origin.toLowerCase())) {
      return `This request came from ${origin}, not from the Burnrate dashboard; it was refused to protect your data.`;
    }
  }
  return null;
}
