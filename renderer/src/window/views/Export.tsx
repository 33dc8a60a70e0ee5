import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ExportResult } from '../../../../src/api/contract';
import { Card, ErrorNote, SuccessNote } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icons';
import { formatCount } from '../../format/numbers';
import { dayRangeProblem } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';

/** Hand a document to the browser as a download (a Blob URL: no data: URLs, no server round trip). */
export function download(result: ExportResult): string {
  const type = result.format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json';
  const url = URL.createObjectURL(new Blob([result.content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName(result);
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return a.download;
}

export function fileName(result: Pick<ExportResult, 'format' | 'from' | 'to'>): string {
  return `burnrate-${result.from}-to-${result.to}.${result.format}`;
}

/** The quick ranges: this month so far, this year so far, and everything (both ends open). */
export function rangePresets(month: string, today: string): { label: string; from: string; to: string }[] {
  return [
    { label: 'This month', from: `${month}-01`, to: today },
    { label: 'This year', from: `${today.slice(0, 4)}-01-01`, to: today },
    { label: 'Everything', from: '', to: '' },
  ];
}

/** Any date range of usage and billed rows as CSV or JSON, money as exact decimal strings. */
export function Export() {
  const status = useCall('status', {}, { refreshOn: [] });
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const run = useAction('export');
  const form = useFieldErrors<'from'>(run, { from: 'from' });

  // Default: this month so far, once, unless the user typed a range before it arrived. Later empty
  // fields are the user's choice ("Everything"), kept as they are.
  const defaulted = useRef(false);
  useEffect(() => {
    if (status.data && !defaulted.current) {
      defaulted.current = true;
      setFrom(`${status.data.month.month}-01`);
      setTo(status.data.day.date);
    }
  }, [status.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check({ from: dayRangeProblem(from, to) })) return;
    const result = await run.run({ format, ...(from ? { from } : {}), ...(to ? { to } : {}) });
    if (!result) return;
    const name = download(result);
    form.setDone(`Saved ${name}: ${formatCount(result.rows)} ${result.rows === 1 ? 'row' : 'rows'} from ${result.from} to ${result.to}.`);
  };

  const preset = (f: string, t: string) => {
    setFrom(f);
    setTo(t);
    form.edited();
  };
  const s = status.data;

  return (
    <Card title="Export usage and billed costs">
      <form ref={form.formRef} className="form" onSubmit={submit} noValidate aria-label="Export">
        {s ? (
          <div className="segmented presets" role="group" aria-label="Quick ranges">
            {rangePresets(s.month.month, s.day.date).map((p) => {
              // The preset the fields now hold shows as chosen ("Everything" leaves both fields empty,
              // which alone would look like nothing was picked).
              const on = p.from === from && p.to === to;
              return (
                <button key={p.label} type="button" className={on ? 'segment checked' : 'segment'} aria-pressed={on} onClick={() => preset(p.from, p.to)}>
                  {p.label}
                </button>
              );
            })}
          </div>
        ) : null}
        <div className="form-row">
          <Field label="From" error={form.errorOf('from')} hint="Empty: from the first day in the ledger.">
            <input type="date" value={from} onChange={form.onEdit('from', (v) => ((defaulted.current = true), setFrom(v)))} />
          </Field>
          <Field label="To" hint="Empty: up to today.">
            <input type="date" value={to} onChange={(e) => ((defaulted.current = true), setTo(e.target.value), form.edited('from'))} />
          </Field>
        </div>
        <fieldset className="radio-row">
          <legend>Format</legend>
          <label className="check">
            <input type="radio" name="format" value="csv" checked={format === 'csv'} onChange={() => setFormat('csv')} />
            CSV (spreadsheets)
          </label>
          <label className="check">
            <input type="radio" name="format" value="json" checked={format === 'json'} onChange={() => setFormat('json')} />
            JSON
          </label>
        </fieldset>
        <p className="muted small">Amounts are exact decimal strings in US dollars (such as 0.000075), never rounded.</p>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={run.busy}>
            <Icon.download />
            {run.busy ? 'Exporting…' : `Export ${format.toUpperCase()}`}
          </button>
        </div>
        <ErrorNote error={form.refusal} />
        {form.done ? <SuccessNote>{form.done}</SuccessNote> : null}
      </form>
    </Card>
  );
}
