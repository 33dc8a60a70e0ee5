import { formatUsd, formatUsdForPeople } from '../../money';
import { providerColor } from '../../model/provider-colors';
import { monthName } from '../../odometer/billing';
import type { ReportData } from './data';
import { REPORT_STYLE as STYLE, REPORT_STYLE_SOURCE } from './style';
import { budgetGauge, dailyBars, escapeXml as esc, horizontalBars } from './svg';

/**
 * The monthly report as one self-contained HTML file: inline CSS and SVG, no script, no link to
 * anything, so it reads the same offline, in a mail client and on paper (print CSS keeps tables
 * whole). Amounts are shown to the cent (formatUsdForPeople) with the exact figure in the title.
 */

const money = (nano: number | bigint): string => `<span title="${formatUsd(nano)} USD">${esc(formatUsdForPeople(nano))}</span>`;

function pct(bp: number | null): string {
  if (bp === null) return '—';
  const abs = Math.abs(bp);
  return `${bp < 0 ? '−' : bp > 0 ? '+' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}


export function reportHtml(r: ReportData): string {
  const name = monthName(r.month);
  const marked = new Set(r.topDays.map((d) => d.day));
  const parts: string[] = [];
  const slugs = r.providers.map((p) => p.provider);
  const named = (slug: string): string => esc(r.names[slug] ?? slug);
  parts.push(`<h1>Burnrate — ${esc(name)}</h1>`);
  const state = r.close ? (r.close.state === 'closed' ? `closed on ${esc(r.close.closedAt?.slice(0, 10) ?? '')}` : `close ${esc(r.close.state)}`) : 'not closed: figures may still change';
  parts.push(`<p class="sub">${esc(r.month)} in ${esc(r.timezone)} · ${state} · built ${esc(r.builtAt.slice(0, 16).replace('T', ' '))} UTC</p>`);
  parts.push(`<p><span class="big">${money(r.totalNano)}</span> spent</p>`);
  if (r.budgetNano !== null && r.budgetUsedBp !== null) {
    parts.push(budgetGauge(r.budgetUsedBp, `${formatUsdForPeople(r.totalNano)} of a ${formatUsdForPeople(r.budgetNano)} monthly budget (${pct(r.budgetUsedBp).replace('+', '')})`));
  } else {
    parts.push('<p class="empty">No monthly budget was set.</p>');
  }
  if (r.rawPruned) parts.push('<p class="note">Per-request detail of this month was pruned after 90 days: these figures come from the daily totals, which are kept; projects show billed figures only.</p>');
  if (r.adjustments.length > 0) {
    parts.push(
      `<p class="note">Changed after the close: ${r.adjustments.map((a) => `<span class="adj">${named(a.provider)} ${a.deltaNano > 0 ? '+' : ''}${esc(formatUsdForPeople(a.deltaNano))}</span> (${esc(a.reason)}, ${esc(a.createdAt.slice(0, 10))})`).join('; ')}.</p>`,
    );
  }

  parts.push('<h2>Per day</h2>', dailyBars(r.days, formatUsdForPeople, marked));
  parts.push('<h2>Top days</h2>', table(['Day', 'Spent'], r.topDays.map((d) => [esc(d.day), money(d.nano)]), 'No spend this month.'));

  parts.push('<h2>Per provider</h2>');
  if (r.providers.length) parts.push(horizontalBars(r.providers.map((p) => ({ label: p.name, nano: p.countedNano, text: formatUsdForPeople(p.countedNano), color: providerColor(p.provider, slugs) }))));
  parts.push(
    table(
      ['Provider', 'Counted from', 'Spent', 'Frozen at close'],
      r.providers.map((p) => [esc(p.name), esc(p.tier), money(p.countedNano), p.frozenNano === null ? '—' : money(p.frozenNano)]),
      'No provider had spend this month.',
    ),
  );
  parts.push('<h2>Per model</h2>', table(['Model', 'Provider', 'Spent', 'Requests'], r.models.slice(0, 25).map((m) => [esc(m.model || '(none)'), named(m.provider), money(m.costNano), String(m.events)]), 'No per-model figures.'));
  parts.push('<h2>Per project</h2>', table(['Project', 'Spent'], r.projects.map((p) => [esc(p.project || '(no project)'), money(p.costNano)]), 'No per-project figures.'));
  parts.push(
    '<h2>Billed versus estimated</h2>',
    table(
      ['Provider', 'Billed', 'Estimated', 'Drift', 'Days compared'],
      r.drift.map((d) => [named(d.provider), money(d.billedNano), d.coveredDays ? money(d.estimatedNano) : '—', d.coveredDays ? `${pct(d.driftBp)} (${esc(formatUsdForPeople(d.driftNano))})` : 'no estimates', `${d.coveredDays}/${d.days}`]),
      'No billed figures this month to compare estimates with.',
    ),
  );
  parts.push('<h2>Forecast</h2>');
  parts.push(
    r.forecast
      ? `<p>On ${esc(r.forecast.madeOn)} the forecast for the month was ${money(r.forecast.forecastNano)}; the month ended at ${money(r.forecast.actualNano)}: an error of ${esc(formatUsdForPeople(r.forecast.errorNano))} (${pct(r.forecast.errorBp)}).</p>`
      : '<p class="empty">Too little history in the first half of the month for a forecast.</p>',
  );
  parts.push('<h2>Subscriptions</h2>', table(['Subscription', 'Provider', 'Charged'], r.subscriptions.map((s) => [esc(s.name), named(s.provider), money(s.chargedNano)]), 'No subscriptions.'));
  parts.push(
    '<h2>Balances and runway</h2>',
    table(
      ['Provider', 'Balance now', 'Per day', 'Runway'],
      r.balances.map((b) => [named(b.provider), money(b.balanceNano), b.perDayNano === null ? '—' : money(b.perDayNano), b.runwayDays === null ? '—' : `${b.runwayDays} ${b.runwayDays === 1 ? "day" : "days"}`]),
      'No prepaid balances.',
    ),
  );
  parts.push(
    '<h2>Unpriced</h2>',
    table(['Model', 'Provider', 'Events'], r.unpriced.map((u) => [esc(u.model), named(u.provider), String(u.events)]), 'Every event this month had a known price.'),
  );
  if (r.unpriced.length) parts.push('<p class="empty">Unpriced events are in no amount above (never counted as $0).</p>');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${REPORT_STYLE_SOURCE}"><title>Burnrate report ${esc(r.month)}</title><style>${STYLE}</style></head><body>${parts.join('\n')}</body></html>\n`;
}
