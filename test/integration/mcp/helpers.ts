import { execFile } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from '../../helpers/cli';

export type Env = Record<string, string>;

/** The environment of every child: ours minus any BURNRATE_* and keychain bus, plus `extra`. */
export function childEnv(extra: Env): Env {
  const env: Env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('BURNRATE_')) continue;
    env[k] = v;
  }
  // Never a developer's real keychain.
  return { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/burnrate-test-bus', ...extra };
}

/**
 * The CLI as a user runs it, asynchronously: a fake provider server living in this process must
 * keep answering while the CLI runs.
 */
export function cli(args: string[], env: Env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: childEnv(env), timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `burnrate … --json`, parsed; fails the test with the CLI's stderr when it fails. */
export async function cliJson<T = any>(args: string[], env: Env): Promise<T> {
  const r = await cli([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`burnrate ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export interface McpSession {
  client: Client;
  /** Everything the server wrote on stderr so far. */
  stderr(): string;
  /** Errors the client's transport saw (a non-JSON line on stdout would land here). */
  transportErrors: Error[];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** `node bin/burnrate.cjs mcp`, driven by the SDK's own client over stdio. */
export async function startMcp(env: Env): Promise<McpSession> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env: childEnv(env), stderr: 'pipe' });
  let stderr = '';
  (transport.stderr as Readable | null)?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'burnrate-test', version: '1.0.0' });
  const transportErrors: Error[] = [];
  client.onerror = (error) => transportErrors.push(error);
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    transportErrors,
    call: (name, args = {}) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: () => client.close(),
  };
}

export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  if (!first || first.type !== 'text') throw new Error('The tool answered without a text block.');
  return first.text;
}

/** A tool's structured answer without the currency tag the MCP adapter adds. */
export function withoutCurrency<T extends Record<string, unknown>>(value: unknown): T {
  const { currency, ...rest } = value as Record<string, unknown>;
  if (currency !== 'USD') throw new Error(`Expected currency USD, got ${String(currency)}.`);
  return rest as T;
}
