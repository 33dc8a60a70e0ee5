import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { knownContentType } from './content-types';
import { HttpError } from './respond';

export function contentTypeOf(file: string): string {
  return knownContentType(file) ?? 'application/octet-stream';
}

/**
 * The request path as segments, or a refusal. Decoding happens once, here, and every decoded
 * segment is checked, so %2e%2e, %2f and backslashes cannot smuggle a ".." past the check; the
 * containment test in `serveStatic` is the second, independent guard.
 */
export function safeSegments(rawPath: string): string[] {
  const refuse = () => new HttpError(400, 'invalid_input', 'That path is not allowed; dashboard files are only served from inside its folder.');
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw refuse();
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..' || /[\\/\0]/.test(segment) || segment.includes(':')) throw refuse();
    segments.push(segment);
  }
  return segments;
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

async function fileIn(root: string, segments: string[]): Promise<string | null> {
  return realFileInside(root, path.resolve(root, ...segments));
}

/**
 * The real path of `candidate` when it is a regular file inside `root` once every symbolic link is
 * resolved, else null: a link in the folder may not reach outside it. Shared with the desktop
 * app's app:// handler (main/app-protocol.ts).
 */
export async function realFileInside(root: string, candidate: string): Promise<string | null> {
  if (!isInside(root, candidate)) return null;
  try {
    // Resolve links too: whatever a name points at must still live inside the folder.
    const real = await fs.realpath(candidate);
    const realRoot = await fs.realpath(root);
    if (!isInside(realRoot, real)) return null;
    const stat = await fs.stat(real);
    return stat.isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * GET/HEAD of a dashboard file. Unknown paths without a file extension get index.html (the React
 * app routes on the client); a missing *file* (an old hashed asset, a typo) is a real 404, so the
 * browser never runs HTML as a script.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): Promise<void> {
  const segments = safeSegments(pathname);
  let file = segments.length ? await fileIn(root, segments) : null;
  const last = segments[segments.length - 1];
  const looksLikeFile = last !== undefined && path.extname(last) !== '';
  if (!file && !looksLikeFile) file = await fileIn(root, ['index.html']);
  if (!file) {
    if (!looksLikeFile) {
      throw new HttpError(503, 'unavailable', 'The dashboard is not built yet: run "npm run build", then restart burnrate serve. The API under /api works meanwhile.');
    }
    throw new HttpError(404, 'not_found', `There is no file ${pathname} in the dashboard.`);
  }
  const body = await fs.readFile(file);
  const isIndex = path.basename(file) === 'index.html';
  // Vite names assets by content hash, so they never change; index.html must always be fresh.
  const cache = !isIndex && segments[0] === 'assets' ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { 'Content-Type': contentTypeOf(file), 'Content-Length': body.length, 'Cache-Control': cache });
  res.end(req.method === 'HEAD' ? undefined : body);
}
