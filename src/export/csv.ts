/** One RFC 4180 CSV field, quoted when it needs it (src/export/document.ts writes the rows). */
export function escapeField(value: string | number | boolean): string {
  let text = String(value);
  // A leading = + - @ makes spreadsheets evaluate the cell; prefix a quote (OWASP CSV injection).
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
