/** Each coding agent as people name it, for sentences of the core and labels of the window alike. */
export const AGENT_TITLES: Readonly<Record<string, string>> = { 'claude-code': 'Claude Code', codex: 'Codex CLI', gemini: 'Gemini CLI' };

/** "Claude Code" for claude-code; an agent Burnrate does not know keeps its own name. */
export function agentTitle(agent: string | undefined): string {
  return (agent && AGENT_TITLES[agent]) ?? agent ?? 'agent';
}
