/** RFC 4180 CSV: header from the first row's keys, fields quoted when they need it. */
export function toCsv(rows: readonly Record<string, string | number | boolean>[], header?: readonly string[]): string {
  const columns = header ?? (rows[0] ? Object.keys(rows[0]) : []);
  const lines = [columns.map(escapeField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => escapeField(row[c] ?? '')).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function escapeField(value: string | number | boolean): string {
  let text = String(value);
  // A leading = + - @ makes spreadsheets evaluate the cell; prefix a quote (OWASP CSV injection).
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
