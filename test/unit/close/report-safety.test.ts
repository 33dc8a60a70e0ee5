import { describe, expect, it } from 'vitest';
import { reportCsv } from '../../../src/close/report/csv';
import type { ReportData } from '../../../src/close/report/data';
import { reportHtml } from '../../../src/close/report/html';
import { REPORT_STYLE_SOURCE } from '../../../src/close/report/style';

/** A month whose names come from logs and requests: the report must keep them as plain text. */
function month(project: string, model: string): ReportData {
  return {
    month: '2026-11',
    timezone: 'UTC',
    builtAt: '2026-12-03T00:00:00.000Z',
    close: null,
    totalNano: 2_500_000_000n,
    budgetNano: null,
    budgetUsedBp: null,
    providers: [],
    models: [{ provider: 'openai', model, costNano: 2_500_000_000n, events: 3, unpricedEvents: 0 }],
    projects: [{ project, costNano: 2_500_000_000n }],
    days: [],
    topDays: [],
    drift: [{ provider: 'openai', billedNano: 1_000_000_000n, estimatedNano: 1_250_000_000n, driftNano: -250_000_000n, driftBp: -2000, coveredDays: 1, days: 1 }],
    forecast: null,
    subscriptions: [],
    balances: [],
    unpriced: [],
    adjustments: [],
    names: { openai: 'OpenAI' },
    rawPruned: false,
  };
}

describe('the monthly report keeps hostile names as text', () => {
  it('quotes a CSV cell that a spreadsheet would run as a formula, and leaves negative amounts alone', () => {
    const csv = reportCsv(month('=HYPERLINK("http://evil.example","x")', '@SUM(A1:A9)'));
    const lines = csv.split('\n');
    const project = lines.find((l) => l.startsWith('project,'))!;
    expect(project.startsWith(`project,"'=HYPERLINK(""http://evil.example"",""x"")"`)).toBe(true);
    expect(lines.find((l) => l.startsWith('model,'))).toContain("'@SUM(A1:A9)");
    // A refund or a drift below zero is a number, not a formula: no quote mark before it.
    expect(lines.find((l) => l.startsWith('drift,'))).toContain(',1.00,1.25,-2000,');
    expect(csv).not.toMatch(/,'-\d/);
  });

  it('forbids every script and outside request in the HTML, allowing only its own style', () => {
    const html = reportHtml(month('<script>alert(1)</script>', 'gpt-4o'));
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${REPORT_STYLE_SOURCE}">`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
