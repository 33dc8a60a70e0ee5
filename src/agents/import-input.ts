import fs from 'node:fs';
import { agentTitle } from '../model/agent-titles';
import { invalidInput, type BurnrateError } from '../model/errors';

/**
 * What makes an import's input unusable before anything is read, or null. Asked by the import
 * handler (which throws it) and by `burnrate import`'s quick answer (which then leaves the input to
 * the handler), so the two can never disagree on what is refused.
 */
export function importInputProblem(input: { agent?: string | undefined; path?: string | undefined }): BurnrateError | null {
  // One folder holds one agent's logs: reading it as every agent's would misread them.
  if (input.path && !input.agent) return invalidInput('agent_path_without_agent', `Name the agent whose logs are in ${input.path} (claude-code, codex or gemini).`, { path: input.path });
  // A folder the user named that is not there is a mistake to say, not "0 files" (the default roots may be absent).
  if (input.path && !fs.existsSync(input.path)) return invalidInput('agent_path_missing', `There is no folder ${input.path}; name the folder that holds the ${agentTitle(input.agent)} logs. Nothing was imported.`, { path: input.path });
  return null;
}
