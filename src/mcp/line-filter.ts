import { Transform, type TransformCallback } from 'node:stream';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';

/**
 * JSON-RPC 2.0 says a line that is not JSON gets a -32700 "Parse error" reply and a JSON value that
 * is not a request gets -32600 "Invalid Request", both with id null when the id cannot be read. The
 * SDK's stdio transport drops such lines without a word, so a client waits for ever. This filter
 * sits between stdin and the transport: good lines pass through unchanged, bad ones are answered
 * here (through `reply`, which writes one line to stdout) and go no further.
 */

/** A line longer than this is refused rather than buffered (a client cannot fill our memory). */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;

export interface RpcErrorReply {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

/** The reply a bad line deserves, or null when the line is a well-formed JSON-RPC message. */
export function checkLine(line: string): RpcErrorReply | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: 'Parse error: the line is not JSON; send one JSON-RPC 2.0 message per line.' } };
  }
  if (JSONRPCMessageSchema.safeParse(value).success) return null;
  const id = (value as { id?: unknown } | null)?.id;
  return {
    jsonrpc: '2.0',
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    error: { code: INVALID_REQUEST, message: 'Invalid Request: a message needs "jsonrpc": "2.0" and a "method" (with an "id" for a request), or is a response to one of ours.' },
  };
}

export class JsonRpcLineFilter extends Transform {
  private pending = '';
  private skipping = false;

  constructor(private readonly reply: (message: RpcErrorReply) => void) {
    super({ decodeStrings: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let text = this.pending + chunk.toString('utf8');
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      const line = text.slice(0, newline).replace(/\r$/, '');
      text = text.slice(newline + 1);
      if (this.skipping) this.skipping = false;
      else this.pass(line);
      newline = text.indexOf('\n');
    }
    if (Buffer.byteLength(text) > MAX_LINE_BYTES) {
      // Drop the rest of this line as it arrives; answer it once.
      if (!this.skipping) this.reply({ jsonrpc: '2.0', id: null, error: { code: PARSE_ERROR, message: `Parse error: a message may be at most ${MAX_LINE_BYTES} bytes.` } });
      this.skipping = true;
      text = '';
    }
    this.pending = text;
    done();
  }

  private pass(line: string): void {
    if (line.trim() === '') return;
    const problem = checkLine(line);
    if (problem) this.reply(problem);
    else this.push(line + '\n');
  }
}
