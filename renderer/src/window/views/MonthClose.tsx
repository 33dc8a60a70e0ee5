import type { MonthCloseView } from '../../../../src/api/contract/close';
import { useRef, useState } from 'react';
import { ChannelReceives } from '../../components/ChannelReceives';
import { Card, EmptyState, ErrorNote, Loading, OutcomeNote, SuccessNote, type Outcome } from '../../components/Feedback';
import { Money } from '../../components/Money';
import { providerName } from '../../components/providers';
import { ACTIONS, right, Table } from '../../components/Table';
import { localDateTime, monthName } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { useConfirmFocus } from '../../hooks/useConfirmFocus';
import { hashOf } from '../../routes';
import { EmailChannelForm } from '../../components/EmailChannelForm';
import { closeStateText, closeTrouble, enterFinalLabel, finalsMissingText } from './month-close-words';

/** Save text as a file the browser (or Electron's download handler) writes where the user says. */
function download(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * One month's row. A month whose close waits for final figures typed in from a console can be
 * closed without them, once the user has confirmed whose figures will not be waited for.
 */
function MonthRow({ m, onOpen, timeZone, missingFinals }: { m: MonthCloseView; onOpen: (month: string) => void; timeZone: string; missingFinals: string[] }) {
  const close = useAction('monthClose');
  const csv = useAction('report');
  const [confirmSkip, setConfirmSkip] = useState(false);
  const closable = m.state !== 'open' && m.state !== 'closed';
  // Only a close not yet past its first step waits for final figures; one stopped later does not.
  const waitsForFinals = closable && (m.state === 'waiting' || ((m.step === null || m.step === 'finals') && missingFinals.length > 0));
  const whose = missingFinals.length > 0 ? missingFinals.map((p) => providerName(p)).join(', ') : 'the providers whose final figure is missing';
  const trouble = closeTrouble(m, timeZone);
  // The confirmation takes the keyboard focus when it appears. Dismissed (Keep waiting, or Escape), it
  // hands the focus back to the button that asked; after the close went on, to "Open report", which
  // stays in the row.
  const reportRef = useRef<HTMLButtonElement>(null);
  const closed = useRef(false);
  const question = useConfirmFocus(confirmSkip, () => setConfirmSkip(false), () => (closed.current ? reportRef.current : null));
  const ask = () => {
    closed.current = false;
    setConfirmSkip(true);
  };
  return (
    <>
      <tr className={m.state === 'retrying' ? 'row-warn' : undefined}>
        <td>{monthName(m.month, true)}</td>
        <td>{closeStateText(m)}</td>
        <td className="right">
          <Money usd={m.totalUsd} />
        </td>
        <td>
          {m.adjustments.length === 0 ? (
            <span className="muted">—</span>
          ) : (
            m.adjustments.map((a) => (
              <div key={a.id} className="small">
                <Money usd={a.deltaUsd} signed /> {providerName(a.provider)} <span className="muted">({a.reason}, {localDateTime(a.createdAt, timeZone)})</span>
              </div>
            ))
          )}
        </td>
        <td className="small">{m.rawDetail === 'pruned' ? 'Daily totals only (per-request detail pruned)' : m.closedAt ? `Closed ${localDateTime(m.closedAt, timeZone)}` : ''}</td>
        <td className="right">
          <div className="row-actions">
            {closable ? (
              <button type="button" className="btn btn-secondary btn-small" disabled={close.busy} onClick={() => void close.run({ month: m.month })}>
                {close.busy ? 'Closing…' : m.state === 'not_closed' ? 'Close month' : 'Resume close'}
              </button>
            ) : null}
            {waitsForFinals && !confirmSkip ? (
              <button ref={question.askRef} type="button" className="btn btn-secondary btn-small" disabled={close.busy} onClick={ask}>
                Close without waiting…
              </button>
            ) : null}
            {m.state !== 'open' ? (
              <>
                <button ref={reportRef} type="button" className="btn btn-secondary btn-small" onClick={() => onOpen(m.month)}>
                  Open report
                </button>
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  disabled={csv.busy}
                  onClick={async () => {
                    const r = await csv.run({ month: m.month, format: 'csv' });
                    if (r) download(`burnrate-${m.month}.csv`, 'text/csv', r.content);
                  }}
                >
                  CSV
                </button>
              </>
            ) : null}
          </div>
        </td>
      </tr>
      {trouble || waitsForFinals ? (
        <tr>
          <td />
          <td colSpan={5} className="small">
            <span className={m.state === 'retrying' ? 'text-warn' : 'muted'}>{trouble ? trouble.text : finalsMissingText(missingFinals, m.month)}</span>
            {/* Where the hold-up is put right: each missing final figure's form, the failing channel's settings. */}
            {waitsForFinals
              ? missingFinals.map((p) => (
                  <a key={p} className="link fix-link" href={hashOf({ surface: 'window', view: 'readings', provider: p, action: 'final', month: m.month })}>
                    {enterFinalLabel(p, m.month)}
                  </a>
                ))
              : null}
            {trouble?.fix === 'settings' ? (
              <a className="link fix-link" href={hashOf({ surface: 'window', view: 'settings' })}>
                Open notification channels
              </a>
            ) : null}
          </td>
        </tr>
      ) : null}
      {waitsForFinals && confirmSkip ? (
        <tr>
          <td />
          <td colSpan={5}>
            <div {...question.scope} className="note note-warning confirm-skip" role="group" aria-label={`Close ${monthName(m.month, true)} without waiting`}>
              <p>
                Close {monthName(m.month, true)} without waiting for the final figures of {whose}? Their estimates from the readings count instead; a final figure entered later
                shows as a change after the close.
              </p>
              <div className="row-actions">
                <button
                  ref={question.answerRef}
                  type="button"
                  className="btn btn-primary btn-small"
                  disabled={close.busy}
                  onClick={async () => {
                    if (!(await close.run({ month: m.month, skipFinals: true }))) return;
                    closed.current = true;
                    setConfirmSkip(false);
                  }}
                >
                  {close.busy ? 'Closing…' : 'Close without waiting'}
                </button>
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirmSkip(false)}>
                  Keep waiting
                </button>
              </div>
            </div>
          </td>
        </tr>
      ) : null}
      {close.error || csv.error ? (
        <tr>
          <td colSpan={6}>
            <ErrorNote error={close.error ?? csv.error} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/**
 * The report of one month in a sandboxed frame (no script runs in it), with download and print. A
 * closed month shows the report as it was sent; "Rebuild from the ledger" shows one built now.
 */
function ReportPanel({ month, closed, onClose }: { month: string; closed: boolean; onClose: () => void }) {
  const [fresh, setFresh] = useState(false);
  const report = useCall('report', { month, format: 'html', ...(fresh ? { fresh: true } : {}) });
  const frame = useRef<HTMLIFrameElement>(null);
  return (
    <Card
      title={`Report for ${monthName(month, true)}`}
      actions={
        <>
          {/* Not while a rebuilt report loads: the one on screen would be saved under the new one's name. */}
          <button type="button" className="btn btn-secondary" disabled={!report.data || !report.fresh} onClick={() => report.data && download(`burnrate-${month}.html`, 'text/html', report.data.content)}>
            Download HTML
          </button>
          <button type="button" className="btn btn-secondary" disabled={!report.data || !report.fresh} onClick={() => frame.current?.contentWindow?.print()}>
            Print or save as PDF
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      <ErrorNote error={report.error} onRetry={report.reload} />
      {report.loading ? <Loading /> : null}
      {report.data ? (
        <>
          <p className="muted small">
            {report.data.origin === 'built' ? 'Built now from the ledger. ' : closed ? 'As built and sent when the month closed. ' : 'As built by the close, which has not finished sending it. '}
            {report.data.origin === 'stored' ? (
              <button type="button" className="link" disabled={!report.fresh} onClick={() => setFresh(true)}>
                Rebuild from the ledger
              </button>
            ) : fresh ? (
              <button type="button" className="link" disabled={!report.fresh} onClick={() => setFresh(false)}>
                Show the report the close kept
              </button>
            ) : null}
          </p>
          {/* allow-modals lets print() open the print dialog; no allow-scripts: the report has none. */}
          <iframe ref={frame} title={`Report for ${monthName(month, true)}`} sandbox="allow-same-origin allow-modals" srcDoc={report.data.content} style={{ width: '100%', height: 640, border: '1px solid var(--border, #ddd)', background: '#fff' }} />
        </>
      ) : null}
    </Card>
  );
}

/** The email channel form and the list of channels, each testable. */
function EmailChannel() {
  const channels = useCall('channels', {});
  const test = useAction('channelTest');
  const [note, setNote] = useState<Outcome>();

  return (
    <Card title="Where reports and alerts go">
      {channels.data && channels.data.channels.length > 0 ? (
        <Table columns={['Channel', 'Receives', right('Sent'), ACTIONS]}>
          {channels.data.channels.map((c) => (
            <tr key={c.id}>
              <td>
                #{c.id} {c.kind} <span className="muted small">{c.emailTo ? `${c.url} → ${c.emailTo}` : c.url}</span>
                {c.lastError ? <div className="small text-warn">{c.lastError}</div> : null}
              </td>
              <td className="small">
                <ChannelReceives channel={c} onChanged={channels.reload} />
              </td>
              <td className="right num">{c.delivered}</td>
              <td className="right">
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  disabled={test.busy}
                  onClick={async () => {
                    const r = await test.run({ id: c.id });
                    if (r) setNote(r.ok ? { kind: 'ok', text: `Sent a test message to channel #${c.id}.` } : { kind: 'failed', text: `Channel #${c.id} did not take the test message: ${r.error}` });
                  }}
                >
                  Test
                </button>
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <EmptyState title="No channels yet">Add an email address below to receive each month's report (HTML in the mail, CSV attached).</EmptyState>
      )}
      <ErrorNote error={test.error ?? channels.error} />
      {/* A failed test is a failure to see, not a success note with bad news in it. */}
      <OutcomeNote outcome={note} />
      <EmailChannelForm onAdded={channels.reload} />
    </Card>
  );
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** Retention: what a prune would remove (dry run first), then prune. */
function Retention({ days }: { days: number }) {
  const prune = useAction('prune');
  const [result, setResult] = useState<string>();
  const run = async (dryRun: boolean) => {
    const r = await prune.run({ dryRun });
    if (!r) return;
    if (r.events === 0) setResult(`Nothing to prune: no raw events before ${r.cutoff} in a closed month.${r.waitingForClose.length ? ` ${r.waitingForClose.join(', ')} must be closed first.` : ''}`);
    else if (r.dryRun) setResult(`Would remove ${r.events} raw events through ${r.through}, freeing about ${mb(r.bytesFreed)}. Daily totals stay.`);
    else setResult(`Removed ${r.events} raw events through ${r.through}; the ledger went from ${mb(r.bytesBefore)} to ${mb(r.bytesAfter)}. Daily totals stay.`);
  };
  return (
    <Card
      title="Retention"
      actions={
        <>
          <button type="button" className="btn btn-secondary" disabled={prune.busy} onClick={() => void run(true)}>
            What would go?
          </button>
          <button type="button" className="btn btn-secondary" disabled={prune.busy} onClick={() => void run(false)}>
            Prune now
          </button>
        </>
      }
    >
      <p className="muted small">
        Per-request events older than {days} days are removed once their month is closed; daily totals, billed figures, readings and reports are kept. The scheduler
        prunes after each close.
      </p>
      <ErrorNote error={prune.error} />
      {result ? <SuccessNote>{result}</SuccessNote> : null}
    </Card>
  );
}

/** Month close: where each month stands, the close on demand, its report, and where reports go. */
export function MonthClose() {
  const status = useCall('monthStatus', {});
  // The odometer's "enter the final figure" reminders name whose figures a close waits for.
  const reminders = useCall('reminders', {});
  const [open, setOpen] = useState<string>();
  const s = status.data;
  const missingFinals = (month: string) => (reminders.data?.reminders ?? []).filter((r) => r.kind === 'month_final' && r.period === month).map((r) => r.provider);
  return (
    <div className="stack">
      <Card title="Months">
        <ErrorNote error={status.error} onRetry={status.reload} />
        {!s && status.loading ? <Loading /> : null}
        {s ? (
          <>
            <Table columns={['Month', 'State', right('Total'), 'Changed after close', 'Detail', ACTIONS]}>
              {s.months.map((m) => (
                <MonthRow key={m.month} m={m} onOpen={setOpen} timeZone={s.timezone} missingFinals={missingFinals(m.month)} />
              ))}
            </Table>
            <p className="muted small">
              A month is closed {s.settings.afterDays} days after it ends (final figures, a last sync, reconciliation, then its figures are frozen and the report is sent). Raw
              events are kept {s.settings.retentionDays} days; daily totals are kept for good.
            </p>
          </>
        ) : null}
      </Card>
      {/* Keyed by month: another month opens as it was sent, not rebuilt. */}
      {open ? <ReportPanel key={open} month={open} closed={s?.months.find((m) => m.month === open)?.state === 'closed'} onClose={() => setOpen(undefined)} /> : null}
      <EmailChannel />
      {s ? <Retention days={s.settings.retentionDays} /> : null}
    </div>
  );
}
