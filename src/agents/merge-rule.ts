import type { MergeRule } from './parsers/types';

/**
 * Whether a reading of a response replaces the reading seen before (seenOutput undefined: none),
 * by its merge rule (docs/agents.md, the traps): Claude's largest output, Codex's first, Gemini's
 * last. Within a file (parse-file.ts) and across a batch's files (importer.ts) alike.
 */
export function replacesSeen(merge: MergeRule, seenOutput: number | undefined, output: number): boolean {
  if (seenOutput === undefined) return true;
  if (merge === 'largest-output') return output > seenOutput;
  return merge !== 'same';
}
