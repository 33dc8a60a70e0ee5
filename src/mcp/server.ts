import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
  type GetPromptResult,
  type Prompt,
  type ReadResourceResult,
  type Resource,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import { describeZodError, dispatch, errorBody, toApiError } from '../api/dispatch';
import { withRemedy } from '../model/errors';
import type { Core } from '../app/open';
import { checkInMessage } from './narrator';
import { MCP_REMEDIES } from './remedies';
import { TOOLS, type ToolDefinition } from './tools';

/**
 * Burnrate as an MCP server: the tools of ./tools, the status as a resource and the daily check-in
 * as a prompt, over any transport (stdio in `burnrate mcp`). The low-level Server is used rather
 * than McpServer so that arguments are validated once, by dispatch with the contract's schema,
 * and a bad argument comes back as the contract's own sentence ("Invalid input: amount must be an
 * amount in US dollars such as 1.06 …") instead of a dump of zod issues.
 */

export const STATUS_URI = 'burnrate://status';
export const CHECK_IN_PROMPT = 'daily-check-in';

const INSTRUCTIONS = [
  "Burnrate tracks what the user spends on AI model providers in a local ledger, against a daily and a monthly budget with a reserve held back.",
  'Start with budget_status (or needs_attention). Amounts are exact decimal strings in US dollars: quote them as given.',
  "When the user reads a figure off a provider's console (\"Groq shows $1.42 this month\"), record it with record_reading.",
  'Errors come back as one sentence that says what to do; relay it or fix the arguments and retry.',
].join(' ');

const statusResource: Resource = {
  uri: STATUS_URI,
  name: 'status',
  title: 'Burnrate status',
  description: "Today's and this month's spend against the budgets, per provider, with reminders, alerts and what needs attention (the budget_status tool's answer, as JSON; amounts are decimal strings in USD).",
  mimeType: 'application/json',
};

const checkInPrompt: Prompt = {
  name: CHECK_IN_PROMPT,
  title: 'Daily spend check-in',
  description: "A short, warm check-in on today's AI spend: budget health, anything urgent, and the console readings it is time to take.",
  arguments: [],
};

export interface BurnrateMcpOptions {
  version: string;
  /** Diagnostics (stderr in `burnrate mcp`): never stdout, which carries the protocol. */
  log?: (line: string) => void;
}

const byName = new Map<string, ToolDefinition>(TOOLS.map((t) => [t.name, t]));

function toolListing(t: ToolDefinition): Tool {
  return { name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, annotations: t.annotations };
}

/**
 * Run one tool. Every failure is a tool result with isError and the contract's sentence (the
 * model can relay it or correct its arguments); nothing here throws.
 */
export async function callTool(core: Core, name: string, args: Record<string, unknown> | undefined, log?: (line: string) => void): Promise<CallToolResult> {
  const tool = byName.get(name);
  if (!tool) {
    const text = `There is no tool named "${name}"; Burnrate's tools are ${TOOLS.map((t) => t.name).join(', ')}.`;
    return { isError: true, content: [{ type: 'text', text }], structuredContent: { error: { code: 'not_found', message: text } } };
  }
  try {
    const result = await tool.run(core, args ?? {});
    const structured = tool.money ? { ...result, currency: 'USD' } : { ...result };
    return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
  } catch (error) {
    const apiError = toApiError(error);
    if (apiError.code === 'internal') log?.(`burnrate mcp: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    // The domain's sentence is neutral; MCP adds how to fix the call in terms of the tool's arguments.
    const text = withRemedy(apiError, MCP_REMEDIES);
    const body = errorBody(apiError);
    return { isError: true, content: [{ type: 'text', text }], structuredContent: { error: { ...body.error, message: text } } };
  }
}

/**
 * A -32602 whose message is our sentence alone: McpError would prefix "MCP error -32602: ", and the
 * SDK sends any thrown error's numeric `code` and `message` as they are.
 */
class InvalidParams extends Error {
  readonly code = ErrorCode.InvalidParams;
}

/** tools/call as it arrives: params are checked here (see setToolCallHandler), not by the SDK's schema. */
const rawToolCall = z.object({ method: z.literal('tools/call'), params: z.unknown() });

/**
 * The params of a tools/call, checked by hand: a name that is text, and arguments that are an
 * object (their fields are the contract's to check, in callTool). A wrong type is a -32602 with
 * the contract's own sentence.
 */
export function toolCallParams(params: unknown): { name: string; args: Record<string, unknown> | undefined } {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new InvalidParams('A tools/call needs params: an object with the tool\'s name and its arguments.');
  }
  const { name, arguments: args } = params as { name?: unknown; arguments?: unknown };
  if (typeof name !== 'string') {
    throw new InvalidParams(`A tools/call needs params.name, the name of one of Burnrate's tools: ${TOOLS.map((t) => t.name).join(', ')}.`);
  }
  if (args === undefined) return { name, args: undefined };
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    const tool = byName.get(name);
    const sentence = tool ? describeZodError(tool.input.safeParse(args).error!) : 'Invalid input: arguments must be an object of named fields.';
    throw new InvalidParams(`${sentence} The arguments of ${name} are an object of named fields.`);
  }
  return { name, args: args as Record<string, unknown> };
}

/**
 * Register tools/call past the SDK Server's own wrapper, which checks params with its zod schema
 * and answers a wrong type with a dump of zod issues; the SDK's result check is not needed, since
 * callTool always returns a CallToolResult. Burnrate offers no tasks, so nothing else is lost.
 */
function setToolCallHandler(server: Server, run: (name: string, args: Record<string, unknown> | undefined) => Promise<CallToolResult>): void {
  Protocol.prototype.setRequestHandler.call(server, rawToolCall, (request: z.output<typeof rawToolCall>) => {
    const { name, args } = toolCallParams(request.params);
    return run(name, args);
  });
}

async function statusJson(core: Core): Promise<string> {
  try {
    return JSON.stringify(await dispatch(core, 'status', {}));
  } catch (error) {
    throw new McpError(ErrorCode.InternalError, toApiError(error).message);
  }
}

async function checkIn(core: Core): Promise<GetPromptResult> {
  let status;
  try {
    status = await dispatch(core, 'status', {});
  } catch (error) {
    throw new McpError(ErrorCode.InternalError, toApiError(error).message);
  }
  const draft = checkInMessage(status);
  const instructions = [
    "You are Burnrate's narrator. Below is the user's spend check-in, drafted from their ledger at " + status.asOf + '.',
    'Give it to them in your own voice: warm and short (a few sentences or bullets), every figure exactly as written (US dollars).',
    'Lead with budget health, then anything urgent, then the readings it is time to take.',
    'If a reading is due, offer to record it with the record_reading tool once they tell you the figure from the console. Never invent figures; the full status is attached.',
  ].join(' ');
  return {
    description: checkInPrompt.description,
    messages: [
      { role: 'user', content: { type: 'text', text: `${instructions}\n\n---\n${draft}` } },
      { role: 'user', content: { type: 'resource', resource: { uri: STATUS_URI, mimeType: 'application/json', text: JSON.stringify(status) } } },
    ],
  };
}

export function createMcpServer(core: Core, options: BurnrateMcpOptions): Server {
  const server = new Server(
    { name: 'burnrate', title: 'Burnrate', version: options.version },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS.map(toolListing) }));
  setToolCallHandler(server, (name, args) => callTool(core, name, args, options.log));
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [statusResource] }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request): Promise<ReadResourceResult> => {
    if (request.params.uri !== STATUS_URI) {
      // -32002 is the spec's "resource not found".
      throw new McpError(-32002, `There is no resource ${request.params.uri}; Burnrate offers ${STATUS_URI}.`);
    }
    return { contents: [{ uri: STATUS_URI, mimeType: 'application/json', text: await statusJson(core) }] };
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: [checkInPrompt] }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    if (request.params.name !== CHECK_IN_PROMPT) {
      throw new McpError(ErrorCode.InvalidParams, `There is no prompt named "${request.params.name}"; Burnrate offers ${CHECK_IN_PROMPT}.`);
    }
    return checkIn(core);
  });
  return server;
}
