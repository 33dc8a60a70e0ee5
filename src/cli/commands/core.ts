import type { SpendSummary, Status } from '../../api/contract/core';
import { defined, fail, loadedRuntime, runMethod, type Register } from '../context';
import type { ExportSink } from '../export-output';
import { table, usd, usdAtAGlance } from '../format';

function healthWord(h: string | null): string {
  return h ? h.toUpperCase() : 'no budget';
}

export function formatStatus(s: Status): string {
  const lines: string[] = [];
  const dayBudget = s.day.budgetUsd ? ` of ${usdAtAGlance(s.day.budgetUsd)} (${usdAtAGlance(s.day.spendableUsd)} spendable, ${usdAtAGlance(s.day.reserveUsd)} reserve)` : '';
  lines.push(`Today ${s.day.date}: ${usdAtAGlance(s.day.spentUsd)}${dayBudget} — ${healthWord(s.day.health)}`);
  const monthBudget = s.month.budgetUsd ? ` of ${usdAtAGlance(s.month.budgetUsd)}` : '';
  lines.push(`Month ${s.month.month}: ${usdAtAGlance(s.month.spentUsd)}${monthBudget}, forecast ${usdAtAGlance(s.month.forecastUsd)} — ${healthWord(s.month.health)}`);
  if (s.providers.length) {
    lines.push('');
    lines.push(
      table(
        [['provider', 'today', 'month', 'source', 'updated'], ...s.providers.map((p) => [p.provider, usdAtAGlance(p.todaySpentUsd), usdAtAGlance(p.monthSpentUsd), p.source, p.lastUpdatedAt ?? '—'])],
        [1, 2],
      ),
    );
  } else {
    lines.push('', 'No spend recorded yet. Set a budget (burnrate budget set --daily 2), add a key (burnrate keys set openai) or enter a reading (burnrate reading groq 1.06).');
  }
  if (s.attention.length) {
    lines.push('', 'Needs attention:');
    for (const a of s.attention) lines.push(`  ${a.severity === 'critical' ? '!!' : a.severity === 'warning' ? '! ' : '- '} ${loadedRuntime().withCommand(a.message, loadedRuntime().commandFor(a.kind, a.provider))}`);
  }
  return lines.join('\n');
}

/** A group's cost, saying so when some of its events have no price: one of only those is "unpriced", never $0.00. */
function groupCost(g: SpendSummary['groups'][number]): string {
  if (g.unpricedEvents > 0 && g.unpricedEvents === g.events) return 'unpriced';
  return g.unpricedEvents > 0 ? `${usdAtAGlance(g.costUsd)} + ${g.unpricedEvents} unpriced` : usdAtAGlance(g.costUsd);
}

export function formatSummary(s: SpendSummary): string {
  const lines = [`Spend ${s.from} to ${s.to} (${s.timezone}) by ${s.groupBy}: ${usdAtAGlance(s.totalUsd)}`];
  if (s.groups.length === 0) {
    lines.push('', 'Nothing counted in this range.');
  } else {
    const withProvider = s.groupBy === 'model';
    const label = (key: string) => key || (s.groupBy === 'project' ? '(no project)' : s.groupBy === 'agent' ? '(not an agent)' : '(no model)');
    const header = [...(withProvider ? ['provider'] : []), s.groupBy, 'cost', 'events', 'input', 'output'];
    const rows = s.groups.map((g) => [
      ...(withProvider ? [g.provider ?? ''] : []),
      label(g.key),
      groupCost(g),
      String(g.events),
      String(g.inputTokens),
      String(g.outputTokens),
    ]);
    const first = withProvider ? 2 : 1;
    lines.push('', table([header, ...rows], [first, first + 1, first + 2, first + 3]));
  }
  if (s.unpricedEvents > 0) {
    lines.push(
      '',
      `${s.unpricedEvents} counted event${s.unpricedEvents === 1 ? ' has no known price and adds' : 's have no known price and add'} nothing to these figures; add the model's price with "burnrate prices set".`,
    );
  }
  return lines.join('\n');
}

export const registerCore: Register = (program, ctx) => {
  program
    .command('status')
    .description("today's and this month's spend against the budgets")
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      await runMethod(ctx, 'status', {}, opts, formatStatus);
    });

  program
    .command('record')
    .description('record one usage event (tokens priced from the catalogue, or a known --cost)')
    .requiredOption('--provider <provider>', 'provider, e.g. openai')
    .requiredOption('--model <model>', 'model name, e.g. gpt-4o-mini')
    .option('--input-tokens <n>', 'fresh (uncached) input tokens')
    .option('--output-tokens <n>', 'output tokens, reasoning included')
    .option('--cached-input-tokens <n>', 'cached input tokens (cache reads)')
    .option('--cache-write-tokens <n>', 'cache write tokens')
    .option('--cost <usd>', 'the cost in USD, when known')
    .option('--at <iso>', 'when it happened (default: now)')
    .option('--id <external-id>', 'an id that makes re-recording idempotent')
    .option('--project <name>', 'project name')
    .option('--json', 'print one JSON document')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const { json, ...rest } = opts;
      await runMethod(ctx, 'record', defined(rest), { json: Boolean(json) }, (r) =>
        r.outcome === 'unchanged'
          ? `Already recorded (${r.id}); nothing changed.`
          : `Recorded ${r.provider} ${r.model}: ${r.costUsd === null ? 'unpriced' : usd(r.costUsd)} on ${r.localDay} (${r.outcome}).`,
      );
    });

  program
    .command('summary')
    .description('counted spend of a date range grouped by provider, model, project or day (default: this month to today)')
    .option('--from <date>', 'first local day, YYYY-MM-DD (default: the first day of the month of --to)')
    .option('--to <date>', 'last local day, YYYY-MM-DD (default: today)')
    .option('--by <grouping>', 'provider (default), model, project, agent or day')
    .option('--json', 'print one JSON document')
    .action(async (opts: { from?: string; to?: string; by?: string; json?: boolean }) => {
      await runMethod(ctx, 'spendSummary', defined({ from: opts.from, to: opts.to, groupBy: opts.by }), opts, formatSummary);
    });

  program
    .command('export')
    .description('export usage and billed rows of a date range')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--from <date>', 'first local day, YYYY-MM-DD')
    .option('--to <date>', 'last local day, YYYY-MM-DD')
    .option('--output <file>', 'write to a file instead of standard output')
    .action(async (opts: { format: string; from?: string; to?: string; output?: string }) => {
      const { output, ...input } = opts;
      let sink: ExportSink | undefined;
      try {
        const { exportRequest, pipeExport, readView, openExportSink, streamSink } = loadedRuntime();
        // An export is a read: it sees the ledger through the read-only view, as the contract's export does.
        const core = readView(ctx.core());
        const request = exportRequest(core, defined(input));
        // Checked before any row is read: a missing folder is one sentence, and nothing is written.
        sink = output ? openExportSink(output) : streamSink('standard output', process.stdout, async () => {});
        const rows = await pipeExport(core.db, request, (chunk) => sink!.write(chunk));
        await sink.commit();
        if (output) ctx.err(`Wrote ${rows} ${rows === 1 ? 'row' : 'rows'} (${request.from} to ${request.to}) to ${output}.`);
      } catch (error) {
        await sink?.abort();
        if (!(error instanceof loadedRuntime().ReaderGone)) fail(ctx, error);
      }
    });
};
