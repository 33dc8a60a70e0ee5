import { createHash } from 'node:crypto';

/**
 * The report's one stylesheet, inline in its <style>, and the CSP source that allows exactly it.
 * The window shows a report in a sandboxed srcdoc frame, which inherits the page's policy
 * (style-src 'self', no 'unsafe-inline'): the page's policy lists this hash, so the report's own
 * style applies there and nothing else inline ever does.
 */
export const REPORT_STYLE = `
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#212529;max-width:760px;margin:24px auto;padding:0 16px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #dee2e6;padding-bottom:4px}
.sub{color:#666;margin:0 0 16px}.big{font-size:30px;font-weight:600}.note{background:#fff4e6;border-left:4px solid #e67700;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:left}td.n,th:not(:first-child){text-align:right}
.empty{color:#777;font-style:italic}.adj{color:#c92a2a}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}
`;

/** `'sha256-…'` of REPORT_STYLE, for style-src. */
export const REPORT_STYLE_SOURCE = `'sha256-${createHash('sha256').update(REPORT_STYLE, 'utf8').digest('base64')}'`;
