import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Core } from '../app/open';
import { JsonRpcLineFilter } from './line-filter';
import { createMcpServer, type BurnrateMcpOptions } from './server';

export interface StdioOptions extends BurnrateMcpOptions {
  stdin?: NodeJS.ReadableStream & { pause(): unknown };
  stdout?: NodeJS.WritableStream;
  /** Resolves when the server should stop (a signal); the end of stdin stops it too. */
  stop?: Promise<unknown>;
}

/**
 * Serve MCP over stdin/stdout until the client goes away (stdin ends: that is how clients such as
 * Claude Desktop and the SDK's StdioClientTransport disconnect) or `stop` resolves. Stdout carries
 * protocol messages only; diagnostics go to `log`.
 */
export async function serveStdio(core: Core, options: StdioOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const server = createMcpServer(core, options);
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  server.onerror = (error) => options.log?.(`burnrate mcp: ${error.message}`);
  // The SDK types stdin/stdout as node streams; process.stdin/stdout are those.
  // Lines that are not JSON-RPC are answered by the filter (-32700, -32600); the SDK would drop them.
  const filtered = stdin.pipe(new JsonRpcLineFilter((reply) => stdout.write(JSON.stringify(reply) + '\n')));
  const transport = new StdioServerTransport(filtered as unknown as typeof process.stdin, stdout as typeof process.stdout);
  await server.connect(transport);
  const close = () => void server.close();
  stdin.once('end', close);
  stdin.once('close', close);
  void options.stop?.then(close);
  options.log?.(`burnrate mcp: serving the ledger in ${core.home} over stdio (protocol on stdout, these lines on stderr).`);
  await closed;
  stdin.off('end', close);
  stdin.off('close', close);
}
