export { createMcpServer, callTool, STATUS_URI, CHECK_IN_PROMPT, type BurnrateMcpOptions } from './server';
export { serveStdio, type StdioOptions } from './stdio';
export { TOOLS, MONEY_NOTE, type ToolDefinition } from './tools';
export { checkInMessage } from './narrator';
