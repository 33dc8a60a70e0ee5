import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors';

/**
 * Where `burnrate export --output FILE` writes. A regular file (or a new one) is written whole or
 * not at all: into a temporary file beside it, renamed over it at the end. Anything else (a
 * terminal, /dev/stdout, a FIFO, /dev/null) is written in place: renaming a file over a device or a
 * pipe would replace it instead of writing to it. A symbolic link is followed, so the link stays a
 * link and its target gets the document.
 */
export interface ExportSink {
  write(chunk: string): Promise<void>;
  /** Finish: flush, and for a regular file put it in place. */
  commit(): Promise<void>;
  /** Give up: remove the temporary file, leave the target as it was. */
  abort(): Promise<void>;
}

/** The reader of a pipe went away (`burnrate export | head`): stop quietly, as other tools do. */
export class ReaderGone extends Error {
  override name = 'ReaderGone';
}

/** One sentence for a file-system failure, naming the file and what to do. */
export function writeFailure(target: string, error: unknown): ApiError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why: Record<string, string> = {
    ENOENT: 'its folder does not exist; create the folder or choose another file',
    ENOTDIR: 'part of its path is not a folder; choose another file',
    EISDIR: 'it is a folder; give a file name inside it',
    EACCES: 'permission denied; choose a file you may write',
    EPERM: 'permission denied; choose a file you may write',
    EROFS: 'the disk is read-only; choose another place',
    ENOSPC: 'the disk is full; free some space or choose another disk',
    EDQUOT: 'the disk quota is used up; free some space or choose another disk',
  };
  const reason = (code && why[code]) ?? `the system refused (${code ?? 'no reason given'}); check the path and try again`;
  const yours = code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
  return new ApiError(yours ? 'invalid_input' : 'unavailable', `Burnrate cannot write ${target}: ${reason}.`);
}

/** Resolve the target and decide how to write it; refuses a missing folder before any work. */
export function openExportSink(target: string): ExportSink {
  let real = path.resolve(target);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(real); // follows links: /dev/stdout is a link to the process's own output
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailure(target, error);
    // A new file (or a dangling link: write where it points).
    real = danglingTarget(real);
  }
  if (stat?.isDirectory()) throw writeFailure(target, Object.assign(new Error(), { code: 'EISDIR' }));
  if (stat && !stat.isFile()) {
    // Our own standard output (/dev/stdout, /dev/fd/1): write to it directly; a socket cannot be opened by name.
    if (isStandardOutput(stat)) return streamSink(target, process.stdout, async () => {});
    return streamSink(target, fs.createWriteStream(real, { flags: 'w' }), async () => {});
  }
  if (stat) real = fs.realpathSync(real);
  const folder = path.dirname(real);
  let folderStat: fs.Stats;
  try {
    folderStat = fs.statSync(folder);
  } catch (error) {
    throw writeFailure(target, error);
  }
  if (!folderStat.isDirectory()) throw writeFailure(target, Object.assign(new Error(), { code: 'ENOTDIR' }));
  const temporary = path.join(folder, `.${path.basename(real)}.${process.pid}.tmp`);
  let stream: fs.WriteStream;
  try {
    // Same mode as an existing target, so replacing it keeps who may read it.
    const fd = fs.openSync(temporary, 'wx', stat ? stat.mode & 0o777 : 0o666);
    stream = fs.createWriteStream('', { fd });
  } catch (error) {
    throw writeFailure(target, error);
  }
  const sink = streamSink(target, stream, async () => {
    try {
      fs.renameSync(temporary, real);
    } catch (error) {
      throw writeFailure(target, error);
    }
  });
  return {
    ...sink,
    abort: async () => {
      await sink.abort();
      fs.rmSync(temporary, { force: true });
    },
  };
}

function isStandardOutput(stat: fs.Stats): boolean {
  try {
    const out = fs.fstatSync(1);
    return out.dev === stat.dev && out.ino === stat.ino;
  } catch {
    return false;
  }
}

/** Where a dangling symbolic link points (absolute), or the path itself when it is no link. */
function danglingTarget(file: string): string {
  try {
    const link = fs.readlinkSync(file);
    return path.resolve(path.dirname(file), link);
  } catch {
    return file;
  }
}

/** Chunks into a writable stream, waiting for it to drain (constant memory whatever the reader's pace). */
export function streamSink(target: string, stream: NodeJS.WritableStream, finish: () => Promise<void>): ExportSink {
  let failed: unknown;
  stream.on('error', (error) => {
    failed ??= error;
  });
  // A stream destroyed by a failed write answers later calls with ERR_STREAM_DESTROYED; the cause
  // (ENOSPC, EPIPE) is what the stream was destroyed with, and that is what the user is told.
  const causeOf = (error: unknown): unknown =>
    (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_STREAM_DESTROYED' ? ((stream as { errored?: unknown }).errored ?? error) : error;
  const failure = (error: unknown) => {
    const cause = causeOf(error);
    return (cause as NodeJS.ErrnoException).code === 'EPIPE' ? new ReaderGone() : writeFailure(target, cause);
  };
  const check = () => {
    if (failed !== undefined) throw failure(failed);
  };
  const settle = (resolve: () => void, reject: (e: unknown) => void) => (error?: unknown) => {
    const decide = () => {
      const first = failed ?? error; // the cause (ENOSPC), not the destroyed stream it left behind
      if (first) reject(failure(first));
      else resolve();
    };
    // A stream destroyed by a failed write answers later callbacks with ERR_STREAM_DESTROYED before
    // its 'error' event names the cause: give that event its turn first.
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'ERR_STREAM_DESTROYED' && failed === undefined) setImmediate(decide);
    else decide();
  };
  return {
    async write(chunk) {
      check();
      if (stream.write(chunk)) return;
      await new Promise<void>((resolve, reject) => {
        const done = settle(resolve, reject);
        const onError = (error: unknown) => {
          stream.off('drain', onDrain);
          done(error);
        };
        const onDrain = () => {
          stream.off('error', onError);
          done();
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    async commit() {
      check();
      await new Promise<void>((resolve, reject) => {
        if (stream === process.stdout) stream.write('', settle(resolve, reject));
        else stream.end(settle(resolve, reject));
      });
      await finish();
    },
    async abort() {
      if (stream !== process.stdout) (stream as fs.WriteStream).destroy?.();
    },
  };
}
