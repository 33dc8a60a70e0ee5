import fs from 'node:fs';
import type { Command } from 'commander';
import type { MonthCloseView, MonthStatusResult, PruneView } from '../../api/contract/close';
import { fail, loadedRuntime, runMethod, type Register } from '../context';
import { table, usd } from '../format';
import { htmlToPdf } from '../report-pdf';

type JsonOpts = { json?: boolean };
const json = (cmd: Command) => Boolean((cmd.optsWithGlobals() as JsonOpts).json);

const STATE_WORDS: Record<MonthCloseView['state'], string> = {
  open: 'open (running)',
  not_closed: 'not closed',
  running: 'closing',
  waiting: 'waiting',
  retrying: 'stopped, will retry',
  closed: 'closed',
};

function adjustmentText(m: MonthCloseView): string {
  if (m.adjustments.length === 0) return '';
  return m.adjustments.map((a) => `${a.deltaUsd.startsWith('-') ? '' : '+'}${usd(a.deltaUsd)} ${a.provider} (${a.reason}, ${a.createdAt.slice(0, 10)})`).join('; ');
}

export function formatMonth(m: MonthCloseView): string {
  const lines = [`${m.month}: ${STATE_WORDS[m.state]}${m.step && m.state !== 'closed' ? ` at step ${m.step}` : ''}, ${usd(m.totalUsd)}${m.frozenUsd !== null && m.frozenUsd !== m.totalUsd ? ` (frozen at ${usd(m.frozenUsd)})` : ''}.`];
  // A waiting close's sentence says so itself; each time carries its zone.
  const nextTry = m.nextAttemptAt ? `; next try ${m.nextAttemptAt.slice(0, 16).replace('T', ' ')} (UTC)` : '';
  if (m.lastError) lines.push(`  ${m.state === 'waiting' ? '' : 'Last error: '}${m.lastError}${nextTry}`);
  for (const s of m.steps) if (s.status !== 'pending') lines.push(`  ${s.status === 'done' ? '✓' : '→'} ${s.step}${s.finishedAt ? ` ${s.finishedAt.slice(0, 16).replace('T', ' ')}` : ''}`);
  for (const d of m.deliveries) lines.push(`  report to ${d.kind} channel #${d.channelId}: ${d.status}${d.lastError ? ` (${d.lastError})` : ''}`);
  if (m.adjustments.length) lines.push(`  Adjusted after the close: ${adjustmentText(m)}`);
  if (m.rawDetail === 'pruned') lines.push('  Per-request detail was pruned; totals and charts come from the daily rollups.');
  return lines.join('\n');
}

function formatStatus(r: MonthStatusResult): string {
  const rows = r.months.map((m) => [m.month, STATE_WORDS[m.state], m.state === 'closed' || m.state === 'open' || m.state === 'not_closed' ? '' : (m.step ?? ''), usd(m.totalUsd), adjustmentText(m), m.rawDetail === 'pruned' ? 'daily totals only' : '']);
  const lines = [table([['month', 'state', 'step', 'total', 'adjustments', 'detail'], ...rows], [3])];
  for (const m of r.months) if (m.lastError && m.state !== 'closed') lines.push(`${m.month}: ${m.lastError}`);
  lines.push('', `The scheduler closes a month ${r.settings.afterDays} days after it ends; raw events are kept ${r.settings.retentionDays} days.`);
  return lines.join('\n');
}

function formatPrune(p: PruneView): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
  const lines: string[] = [];
  if (p.events === 0) lines.push(`Nothing to prune: no raw events before ${p.cutoff} in a closed month.`);
  else if (p.dryRun) lines.push(`Would remove ${p.events} raw events through ${p.through}, freeing about ${mb(p.bytesFreed)}; daily totals stay.`);
  else lines.push(`Removed ${p.events} raw events through ${p.through}; the ledger went from ${mb(p.bytesBefore)} to ${mb(p.bytesAfter)} (${p.vacuum} vacuum). Daily totals stay.`);
  if (p.waitingForClose.length) lines.push(`Kept until closed: ${p.waitingForClose.join(', ')} (burnrate month close ${p.waitingForClose[0]}).`);
  if (p.mismatchedDays.length) lines.push(`Kept because their daily totals disagree with their events: ${p.mismatchedDays.join(', ')}. Please report it.`);
  return lines.join('\n');
}

export const registerClose: Register = (program, ctx) => {
  const month = program.command('month').description('month close: close [YYYY-MM], status');
  month
    .command('close [month]')
    .description('close a month (default: the previous one): final figures, last sync, reconcile, freeze, report, send; resumes a stopped close')
    .option('--skip-finals', 'do not wait for missing odometer final figures')
    .option('--json', 'print one JSON document')
    .action(async (m: string | undefined, opts: { skipFinals?: boolean }, cmd: Command) => {
      const r = await runMethod(ctx, 'monthClose', { ...(m ? { month: m } : {}), ...(opts.skipFinals ? { skipFinals: true } : {}) }, { json: json(cmd) }, formatMonth);
      if (r && r.state === 'retrying') ctx.exitCode = 1;
    });
  month
    .command('status')
    .description('where each month stands')
    .option('--json', 'print one JSON document')
    .action(async (_o: JsonOpts, cmd: Command) => {
      await runMethod(ctx, 'monthStatus', {}, { json: json(cmd) }, formatStatus);
    });

  program
    .command('report')
    .description("a month's report: self-contained HTML, CSV, or PDF (printed by Chromium)")
    .requiredOption('--month <YYYY-MM>', 'the month')
    .option('--format <format>', 'html, csv or pdf', 'html')
    .option('--output <file>', 'write to this file instead of standard output')
    .option('--fresh', 'build it now from the ledger even if the close stored one')
    .action(async (opts: { month: string; format: string; output?: string; fresh?: boolean }) => {
      try {
        const { dispatch, invalid, unavailable } = loadedRuntime();
        if (!['html', 'csv', 'pdf'].includes(opts.format)) throw invalid(`--format must be html, csv or pdf, not "${opts.format}".`);
        if (opts.format === 'pdf' && !opts.output) throw invalid('A PDF is written to a file: give --output FILE.pdf.');
        const r = (await dispatch(ctx.core(), 'report', { month: opts.month, format: opts.format === 'csv' ? 'csv' : 'html', ...(opts.fresh ? { fresh: true } : {}) })) as { content: string };
        let bytes: Buffer | string = r.content;
        if (opts.format === 'pdf') {
          const printed = await htmlToPdf(r.content);
          if ('unavailable' in printed) throw unavailable(printed.unavailable);
          bytes = printed.pdf;
        }
        if (opts.output) {
          fs.writeFileSync(opts.output, bytes);
          ctx.err(`Wrote the ${opts.month} report (${opts.format}) to ${opts.output}.`);
        } else {
          process.stdout.write(bytes);
        }
      } catch (error) {
        fail(ctx, error);
      }
    });

  program
    .command('prune')
    .description('remove raw usage events older than the retention period (90 days) of closed months; daily totals stay')
    .option('--dry-run', 'say what would be removed and the space freed, change nothing')
    .option('--json', 'print one JSON document')
    .action(async (opts: { dryRun?: boolean }, cmd: Command) => {
      await runMethod(ctx, 'prune', { dryRun: opts.dryRun ?? false }, { json: json(cmd) }, formatPrune);
    });
};
