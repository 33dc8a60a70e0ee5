/**
 * Charts as inline SVG strings: no script, no external file, readable offline and printable.
 * Heights and widths are layout, not money: amounts arrive as integer nano-USD and only their
 * ratio to the largest bar is turned into pixels.
 */

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Pixels for `value` out of `max` over `span` pixels (integer math on the amounts, one division at the end). */
function scale(value: number, max: number, span: number): number {
  if (max <= 0 || value <= 0) return 0;
  return Math.max(1, Math.round((value / max) * span));
}

/** Spend per day as vertical bars, with the top days marked. */
export function dailyBars(days: readonly { day: string; nano: number | bigint }[], label: (nano: number | bigint) => string, marked: ReadonlySet<string>): string {
  const width = 720;
  const height = 180;
  const pad = 24;
  // The label shows the exact largest day; only the bars' heights use a float ratio (layout, not money).
  const maxNano = days.reduce((m, d) => (BigInt(d.nano) > m ? BigInt(d.nano) : m), 0n);
  const max = Number(maxNano);
  const step = (width - pad * 2) / Math.max(1, days.length);
  const barW = Math.max(2, Math.floor(step * 0.7));
  const bars = days
    .map((d, i) => {
      const h = scale(Number(d.nano), max, height - pad * 2);
      const x = Math.round(pad + i * step);
      const y = height - pad - h;
      const fill = marked.has(d.day) ? '#d9480f' : '#1c7ed6';
      const dayNo = Number(d.day.slice(8));
      const tick = dayNo === 1 || dayNo % 5 === 0 ? `<text x="${x + barW / 2}" y="${height - 8}" font-size="10" text-anchor="middle" fill="#555">${dayNo}</text>` : '';
      return `<rect x="${x}" y="${y}" width="${barW}" height="${h}" fill="${fill}"><title>${escapeXml(`${d.day}: ${label(d.nano)}`)}</title></rect>${tick}`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Spend per day">
<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#999"/>${bars}
<text x="${pad}" y="14" font-size="11" fill="#555">max ${escapeXml(label(maxNano))} per day</text></svg>`;
}

/** Horizontal bars: one per row, labelled, for providers (each in its colour, as in the window) and models. */
export function horizontalBars(rows: readonly { label: string; nano: number | bigint; text: string; color?: string }[]): string {
  const width = 720;
  const rowH = 22;
  const labelW = 220;
  const max = Math.max(0, ...rows.map((r) => Number(r.nano)));
  const height = rows.length * rowH + 8;
  const body = rows
    .map((r, i) => {
      const w = scale(Number(r.nano), max, width - labelW - 120);
      const y = 4 + i * rowH;
      return `<text x="0" y="${y + 15}" font-size="12" fill="#222">${escapeXml(r.label.slice(0, 34))}</text>
<rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 8}" fill="${r.color ?? '#5c7cfa'}"/>
<text x="${labelW + w + 6}" y="${y + 15}" font-size="12" fill="#222">${escapeXml(r.text)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img">${body}</svg>`;
}

/** The month against its budget: a bar filled to the share spent (capped at the frame, with the excess said in words). */
export function budgetGauge(usedBp: number, text: string): string {
  const width = 720;
  const fill = scale(Math.min(usedBp, 10_000), 10_000, width - 4);
  const colour = usedBp >= 10_000 ? '#c92a2a' : usedBp >= 7_500 ? '#e67700' : '#2b8a3e';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 40" width="100%" role="img" aria-label="${escapeXml(text)}">
<rect x="1" y="1" width="${width - 2}" height="20" fill="#f1f3f5" stroke="#adb5bd"/>
<rect x="2" y="2" width="${fill}" height="18" fill="${colour}"/>
<text x="2" y="33" font-size="11" fill="#333">${escapeXml(text)}</text></svg>`;
}
