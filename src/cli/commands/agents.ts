import type { AgentsView, ImportResultView } from '../../api/contract/agents';
import { defined, loadQuickImport, loadsRuntimeOnDemand, printResult, runMethod, type Register } from '../context';

function formatImport(r: ImportResultView): string {
  const lines: string[] = [];
  for (const a of r.agents) {
    const mb = (a.bytesRead / 1e6).toFixed(1);
    lines.push(
      `${a.agent.padEnd(12)} ${a.files} files (${a.filesRead} read, ${mb} MB): ${a.added} responses added, ${a.updated} updated` +
        `${a.skipped ? `, ${a.skipped} lines skipped` : ''}${a.unpriced ? `, ${a.unpriced} unpriced` : ''}`,
    );
    for (const p of a.problems) lines.push(`  ! ${p}`);
  }
  return lines.join('\n');
}

function formatAgents(v: AgentsView): string {
  const lines: string[] = [];
  for (const a of v.agents) {
    const billing = a.billing === null ? 'not set (counted as spend until you say)' : a.billing === 'api' ? 'api (spend)' : 'subscription (API-equivalent value, not spend)';
    lines.push(`${a.agent}${a.found ? '' : ' (not found on this machine)'}`);
    for (const r of a.roots) lines.push(`  root         ${r.path}${r.exists ? '' : ' (absent)'}`);
    lines.push(`  last import  ${a.lastImport ?? 'never'}`);
    lines.push(`  rows         ${a.rows} from ${a.files} files${a.skipped ? `, ${a.skipped} lines skipped` : ''}${a.unpricedRows ? `, ${a.unpricedRows} unpriced` : ''}`);
    lines.push(`  value        $${a.apiValueUsd} at API prices`);
    lines.push(`  billing      ${billing}`);
    for (const f of a.families) {
      const how = f.billing === null ? `as the agent${f.effective ? ` (${f.effective})` : ''}` : f.billing === 'api' ? 'api (spend)' : 'subscription (value, not spend)';
      // Responses of models the catalogue does not price are unpriced, never $0.
      const value = f.rows > 0 && f.unpricedRows === f.rows ? 'unpriced' : `$${f.apiValueUsd}${f.unpricedRows > 0 ? ` (+${f.unpricedRows} unpriced)` : ''}`;
      const models = f.models.length > 0 ? `${f.models.join(', ')}: ${f.rows} ${f.rows === 1 ? 'row' : 'rows'}, ${value}` : 'no rows yet';
      lines.push(`    ${f.family.padEnd(12)} ${how}; ${models}`);
    }
  }
  for (const agent of v.askBilling) {
    lines.push(`How is ${agent} billed? Run: burnrate agents billing ${agent} api|subscription (add --family NAME for a model family billed otherwise)`);
  }
  return lines.join('\n');
}

export const registerAgents: Register = (program, ctx) => {
  // Logs unchanged since the last import are answered without the runtime (src/cli/quick-import.ts).
  loadsRuntimeOnDemand(program.command('import'))
    .description('import the local logs of coding agents (claude-code, codex, gemini; no name: every agent found)')
    .argument('[agent]', 'claude-code, codex or gemini')
    .option('--path <dir>', 'read this folder instead of the default roots')
    .option('--json', 'print one JSON document')
    .action(async (agent: string | undefined, opts: { path?: string; json?: boolean }) => {
      const input = defined({ agent, path: opts.path });
      const unchanged = await loadQuickImport().then(
        (quick) => quick.unchangedImport(input, ctx.options),
        () => undefined, // no quick bundle (a partial build): the import below answers the same
      );
      if (unchanged) return printResult(ctx, unchanged, opts, formatImport);
      await runMethod(ctx, 'agentsImport', input, opts, formatImport);
    });
  const agents = program.command('agents').description('the coding agents found, their logs, imports and billing');
  agents
    .command('show', { isDefault: true })
    .description('list each agent: roots, last import, rows, skipped lines, billing')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      await runMethod(ctx, 'agentsList', {}, opts, formatAgents);
    });
  agents
    .command('billing')
    .description('say how an agent (or one model family of it) is billed: api (spend) or subscription (value, not spend)')
    .argument('<agent>', 'claude-code, codex or gemini')
    .argument('<mode>', 'api or subscription; with --family also inherit (billed as its agent)')
    .option('--family <name>', 'only this model family (opus, sonnet, haiku; gpt-5-codex; pro, flash…)')
    .option('--json', 'print one JSON document')
    .action(async (agent: string, mode: string, opts: { family?: string; json?: boolean }) => {
      await runMethod(ctx, 'agentsSetBilling', defined({ agent, family: opts.family, mode }), opts, formatAgents);
    });
};
