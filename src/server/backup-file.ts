import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { noSuchBackup } from '../api/handlers/backup';
import type { Core } from '../app/open';
import { backupNamed } from '../ledger/backupFiles';
import { BACKUP_FILE_NAME } from '../model/input-patterns';
import { HttpError } from './respond';

/**
 * GET /api/backupFile?name=…: one of the listed backups as a download, for the window's "Save a
 * copy…" (what `burnrate backup --to FILE` does on the command line: here the browser asks where).
 * A name as backupList shows it, never a path; streamed from the file in constant memory.
 */
export const BACKUP_FILE_ROUTE = 'backupFile';

export async function sendBackupFile(core: Core, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'invalid_input', 'A backup file is read with GET.', { Allow: 'GET, HEAD' });
  const name = query.get('name') ?? '';
  if (!BACKUP_FILE_NAME.test(name)) {
    throw new HttpError(400, 'invalid_input', 'name must be the name of a backup as the list shows it, such as ledger-2026-12-01.sqlite.');
  }
  const backup = backupNamed(core.home, name);
  if (!backup) throw new HttpError(404, 'not_found', noSuchBackup(core.home, name).message);
  const file = await fs.promises.open(backup.file, 'r'); // held open: a prune meanwhile cannot cut the download short
  try {
    const { size } = await file.stat();
    res.writeHead(200, {
      'Content-Type': 'application/vnd.sqlite3',
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="${name}"`,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(file.createReadStream({ autoClose: false }), res);
  } finally {
    await file.close();
  }
}
