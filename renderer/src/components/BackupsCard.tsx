import { useState } from 'react';
import { localDateTime } from '../format/time';
import { useAction, useCall } from '../hooks/useCall';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from './Feedback';
import { right, Table } from './Table';

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

/**
 * Backups of the ledger: take one now, and the ones kept in the data folder (newest first, in the
 * ledger's zone). A backup to a file of one's choosing and a restore stay outside the window: the
 * first would let a page write anywhere on disk, the second replaces the ledger under the running app.
 */
export function BackupsCard() {
  const list = useCall('backupList', {}, { refreshOn: [] });
  const status = useCall('status', {}, { refreshOn: [] });
  const create = useAction('backupCreate');
  const [taken, setTaken] = useState<string>();
  const zone = status.data?.timezone;

  const backUp = async () => {
    setTaken(undefined);
    const result = await create.run({});
    if (!result) return;
    setTaken(`Backed up the ledger to ${result.file} (${fileSize(result.bytes)}).`);
    list.reload();
  };

  const newestFirst = [...(list.data?.backups ?? [])].reverse();
  return (
    <Card
      title="Backups"
      actions={
        <button type="button" className="btn btn-small btn-secondary" onClick={backUp} disabled={create.busy} aria-busy={create.busy}>
          {create.busy ? 'Backing up…' : 'Back up now'}
        </button>
      }
    >
      <ErrorNote error={list.error} onRetry={list.reload} />
      <ErrorNote error={create.error} />
      {taken ? <SuccessNote>{taken}</SuccessNote> : null}
      {!list.data && list.loading ? <Loading /> : null}
      {list.data && newestFirst.length === 0 ? (
        <EmptyState title="No backups yet">Burnrate backs the ledger up once a day while it runs; &quot;Back up now&quot; takes one at once.</EmptyState>
      ) : null}
      {newestFirst.length > 0 ? (
        <Table columns={['Taken', 'File', right('Size')]}>
          {newestFirst.map((b) => (
            <tr key={b.file}>
              <td className="nowrap">{localDateTime(b.at, zone)}</td>
              <td className="mono ellipsis wide" title={b.file}>
                {b.file.split(/[\\/]/).pop()}
              </td>
              <td className="right num">{fileSize(b.bytes)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {list.data ? (
        <p className="muted small">
          Kept in {list.data.folder}: the last 7 days and the last 4 weeks. Each is a complete copy of the ledger; restoring one replaces the
          ledger, which is done while Burnrate is closed.
        </p>
      ) : null}
    </Card>
  );
}
