import { formatUsd } from '../../money';
import type { ReportData } from './data';

/**
 * The report as one CSV: a `section` column says which table a row belongs to, so a spreadsheet
 * filter gives each table, and every amount is a decimal USD string (never a float).
 */
function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  // A model or project name starting like a formula would run as one in a spreadsheet: quote it as text.
  if (/^[=+@\t\r]/.test(text) || /^-(?!\d)/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(r: ReportData): string {
  const rows: (string | number | null)[][] = [['section', 'key', 'provider', 'model', 'amount_usd', 'other_usd', 'figure', 'note']];
  rows.push(['month', r.month, '', '', formatUsd(r.totalNano), r.budgetNano === null ? null : formatUsd(r.budgetNano), r.budgetUsedBp, 'total spent; other = monthly budget; figure = share of budget in basis points']);
  for (const p of r.providers) rows.push(['provider', p.name, p.provider, '', formatUsd(p.countedNano), p.frozenNano === null ? null : formatUsd(p.frozenNano), null, `counted from ${p.tier}; other = frozen at close`]);
  for (const m of r.models) rows.push(['model', m.model || '(none)', m.provider, m.model, formatUsd(m.costNano), null, m.events, m.unpricedEvents ? `${m.unpricedEvents} unpriced events` : '']);
  for (const p of r.projects) rows.push(['project', p.project || '(none)', '', '', formatUsd(p.costNano), null, null, '']);
  for (const d of r.drift) rows.push(['drift', d.provider, d.provider, '', formatUsd(d.billedNano), formatUsd(d.estimatedNano), d.driftBp, `billed; other = estimated; figure = drift in basis points over ${d.coveredDays}/${d.days} days`]);
  for (const d of r.days) rows.push(['day', d.day, '', '', formatUsd(d.nano), null, null, '']);
  for (const d of r.topDays) rows.push(['top_day', d.day, '', '', formatUsd(d.nano), null, null, '']);
  if (r.forecast) rows.push(['forecast', r.forecast.madeOn, '', '', formatUsd(r.forecast.forecastNano), formatUsd(r.forecast.actualNano), r.forecast.errorBp, `forecast made on ${r.forecast.madeOn}; other = actual; figure = error in basis points`]);
  for (const s of r.subscriptions) rows.push(['subscription', s.name, s.provider, '', formatUsd(s.chargedNano), null, null, '']);
  for (const b of r.balances) rows.push(['balance', b.provider, b.provider, '', formatUsd(b.balanceNano), b.perDayNano === null ? null : formatUsd(b.perDayNano), b.runwayDays, 'balance; other = spend per day; figure = runway in days']);
  for (const u of r.unpriced) rows.push(['unpriced', u.model, u.provider, u.model, null, null, u.events, 'events without a known price: not in any amount']);
  for (const a of r.adjustments) rows.push(['adjustment', a.createdAt, a.provider, '', formatUsd(a.deltaNano), null, null, `after close: ${a.reason}`]);
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
