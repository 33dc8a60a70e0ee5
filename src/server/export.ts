import type { ServerResponse } from 'node:http';
import { exportRequest } from '../api/handlers/core';
import { readView } from '../api/read-view';
import type { Core } from '../app/open';
import { pipeExport } from '../export/document';
import { HttpError } from './respond';

/**
 * GET /api/export, streamed: the same ExportResult the contract gives ({ format, from, to,
 * content, rows }), written a chunk of rows at a time with `content` as one JSON string that grows
 * as the rows are read. The server's memory stays constant whatever the ledger's size, and other
 * requests (a status, a record) are answered between chunks. `rows` comes last: it is known only
 * at the end. A failure after the first byte ends the connection without the closing brace, so a
 * client can never mistake a cut document for a whole one.
 */
export async function sendExport(writable: Core, res: ServerResponse, input: unknown): Promise<void> {
  const core = readView(writable); // an export is a read: the read-only view, with rows due now
  const request = exportRequest(core, input); // every refusal happens here, before the status line
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  res.write(`{"format":${JSON.stringify(request.format)},"from":${JSON.stringify(request.from)},"to":${JSON.stringify(request.to)},"content":"`);
  const rows = await pipeExport(core.db, request, (chunk) => write(res, JSON.stringify(chunk).slice(1, -1)));
  res.end(`","rows":${rows}}`);
}

/** Write and, when the socket's buffer is full, wait until it drains (or the client leaves). */
function write(res: ServerResponse, text: string): Promise<void> | void {
  if (res.destroyed) throw new HttpError(400, 'invalid_input', 'The client closed the connection during the export.');
  if (res.write(text)) return;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
