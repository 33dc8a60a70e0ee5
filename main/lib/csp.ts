import { REPORT_STYLE_SOURCE } from '../../src/close/report/style';
/**
 * The Content-Security-Policy every page of ours is served with (as a response header of the
 * app:// protocol; the renderer may repeat it in a <meta> tag). Scripts and styles only from our
 * own origin, no eval, no inline script, no plugins, no framing, no form posts, no network except
 * our own origin (IPC is not network). data: images for Chart.js exports.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${REPORT_STYLE_SOURCE}`, // the month report's <style>, shown in a srcdoc frame (src/close/report/style.ts)
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "worker-src 'none'",
].join('; ');

/** Headers sent with every page and asset of the app:// protocol. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
});
