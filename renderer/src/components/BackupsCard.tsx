import { useEffect, useRef, useState } from 'react';
import { localDateTime } from '../format/time';
import { useClient } from '../hooks/client';
import { useAction, useCall } from '../hooks/useCall';
import { useConfirmFocus } from '../hooks/useConfirmFocus';
import { useLedgerZone } from '../hooks/useLedgerZone';
import { Card, EmptyState, ErrorNote, InfoNote, Loading, SuccessNote } from './Feedback';
import { ACTIONS, right, Table } from './Table';

/** "48213" → "47.1 KB": a file's size as people read it. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let size = bytes / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${size.toFixed(1)} ${units[unit]}`;
}

const nameOf = (file: string) => file.split(/[\\/]/).pop() ?? file;

/**
 * When each backup was taken, in the ledger's zone: to the minute, or to the second for all of them
 * once two share a minute (two taken in one minute looked the same). Seconds are the same in every
 * zone, so they come from the instant itself.
 */
export function takenLabels(ats: readonly string[], zone: string | undefined): string[] {
  const minutes = ats.map((at) => localDateTime(at, zone));
  if (new Set(minutes).size === minutes.length) return minutes;
  return ats.map((at, i) => {
    const d = new Date(at);
    return Number.isNaN(d.getTime()) ? minutes[i]! : `${minutes[i]}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
  });
}

/**
 * Backups of the ledger: take one now, restore one, and the ones kept in the data folder (newest
 * first, in the ledger's zone). A restore refills the open ledger (every view follows at once) after
 * backing up what it held, which then heads the list: restoring that one undoes it. "Save a copy…"
 * downloads a backup, so the browser or Electron asks where it goes: the page itself never names a
 * path on disk.
 */
export function BackupsCard() {
  const list = useCall('backupList', {}, { refreshOn: [] });
  const create = useAction('backupCreate');
  const restore = useAction('backupRestore');
  const [done, setDone] = useState<string>();
  const [confirming, setConfirming] = useState<string>();
  const zone = useLedgerZone();
  const client = useClient();
  // Buttons are disabled while their action runs, and a disabled button loses the focus to the
  // page: once the action is over it goes back to the button that started it ("Back up now"), or
  // after a restore to that backup's Restore… (its row's buttons are new, the question closed).
  const backUpRef = useRef<HTMLButtonElement>(null);
  const restoreRefs = useRef(new Map<string, HTMLButtonElement>());
  const [refocus, setRefocus] = useState<{ backUp: true } | { restore: string }>();
  const busy = create.busy || restore.busy;
  // The question "Replace the ledger?" of one row: Keep it, or Escape, hands the focus back to that row's Restore….
  const asked = useRef<string>(undefined);
  const question = useConfirmFocus(confirming !== undefined, () => setConfirming(undefined), () => restoreRefs.current.get(asked.current ?? ''));
  useEffect(() => {
    if (!refocus || busy) return;
    // Someone took the focus meanwhile (a click elsewhere): it stays where they put it.
    if (document.activeElement && document.activeElement !== document.body) return setRefocus(undefined);
    const target = 'backUp' in refocus ? backUpRef.current : restoreRefs.current.get(refocus.restore);
    if (!target) return; // its row is not back yet: the list reloads
    target.focus();
    setRefocus(undefined);
  }, [refocus, busy, list.data]);

  const backUp = async () => {
    if (document.activeElement === backUpRef.current) setRefocus({ backUp: true });
    setDone(undefined);
    const result = await create.run({});
    if (!result) return;
    setDone(`Backed up the ledger to ${result.file} (${fileSize(result.bytes)}).`);
    list.reload();
  };
  const restoreFrom = async (name: string) => {
    setRefocus({ restore: name });
    setConfirming(undefined);
    setDone(undefined);
    const result = await restore.run({ name });
    list.reload();
    if (!result) return;
    setDone(`Restored the ledger from ${nameOf(result.restored)}. What it held before is kept as ${nameOf(result.setAside)} in this list: restoring that one undoes this.`);
  };

  // Newest first by when each was taken (a restore's undo is named after the instant it was taken).
  const newestFirst = [...(list.data?.backups ?? [])].sort((a, b) => (a.at === b.at ? (a.file < b.file ? 1 : -1) : a.at < b.at ? 1 : -1));
  const taken = takenLabels(newestFirst.map((b) => b.at), zone);
  return (
    <Card
      title="Backups"
      actions={
        <button ref={backUpRef} type="button" className="btn btn-small btn-secondary" onClick={backUp} disabled={create.busy || restore.busy} aria-busy={create.busy}>
          {create.busy ? 'Backing up…' : 'Back up now'}
        </button>
      }
    >
      <ErrorNote error={list.error} onRetry={list.reload} />
      <ErrorNote error={create.error ?? restore.error} />
      {restore.busy ? <InfoNote>Restoring the backup: every view follows once it is in place.</InfoNote> : null}
      {done ? <SuccessNote>{done}</SuccessNote> : null}
      {confirming ? (
        <InfoNote>
          Restoring {confirming} replaces everything the ledger holds by what it held then: spend recorded since, and changes to budgets and
          settings, are not in it. What the ledger holds now is backed up first.
        </InfoNote>
      ) : null}
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && newestFirst.length === 0 ? (
        <EmptyState title="No backups yet">Burnrate backs the ledger up once a day while it runs; &quot;Back up now&quot; takes one at once.</EmptyState>
      ) : null}
      {newestFirst.length > 0 ? (
        <Table columns={['Taken', 'File', right('Size'), ACTIONS]}>
          {newestFirst.map((b, i) => {
            const name = nameOf(b.file);
            // Named by its file too: two taken in one minute had the same names for a screen reader.
            const which = `the backup taken ${taken[i]} (${name})`;
            return (
              <tr key={b.file}>
                <td className="nowrap">{taken[i]}</td>
                <td className="mono ellipsis wide" title={b.file}>
                  {name}
                </td>
                <td className="right num">{fileSize(b.bytes)}</td>
                <td className="right">
                  <div className="row-actions">
                    {confirming === name ? (
                      <>
                        <button {...question.scope} type="button" className="btn btn-small btn-danger" disabled={restore.busy} aria-busy={restore.busy} onClick={() => restoreFrom(name)}>
                          {restore.busy ? 'Restoring…' : 'Replace the ledger'}
                        </button>
                        <button {...question.scope} ref={question.answerRef} type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(undefined)}>
                          Keep it
                        </button>
                      </>
                    ) : (
                      <>
                        {/* The browser (or Electron) asks where to save it: `burnrate backup --to FILE` in the window. */}
                        <a className="btn btn-small btn-ghost" href={client.backupFileUrl(name)} download={name} aria-label={`Save a copy of ${which}`}>
                          Save a copy…
                        </a>
                        <button
                          ref={(el) => void (el ? restoreRefs.current.set(name, el) : restoreRefs.current.delete(name))}
                          type="button"
                          className="btn btn-small btn-ghost"
                          disabled={restore.busy}
                          onClick={() => ((asked.current = name), setConfirming(name))}
                          aria-label={`Restore ${which}`}
                        >
                          Restore…
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </Table>
      ) : null}
      {list.data ? (
        <p className="muted small">
          Kept in {list.data.folder}: the last 7 days and the last 4 weeks. Each is a complete copy of the ledger. Restoring one replaces
          everything the ledger holds (spend, budgets, settings) by what it held then; what it holds now is backed up first.
        </p>
      ) : null}
    </Card>
  );
}
