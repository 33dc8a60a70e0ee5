import type { AccuracySummary, DriftSummary, ReconcileResult, ReconciledDayView } from '../../api/contract/reconcile';
import { defined, fail, loadedRuntime, runMethod, type Register } from '../context';
import { table, usd } from '../format';

/** 1234 → "12.34%"; null → "—". Integer arithmetic, like the core. */
function pct(bp: number | null): string {
  if (bp === null) return '—';
  const abs = Math.abs(bp);
  return `${bp < 0 ? '-' : bp > 0 ? '+' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

function coverage(bp: number | null): string {
  return bp === null ? '—' : pct(bp).replace(/^\+/, '');
}

function signedUsd(text: string | null): string {
  if (text === null) return '—';
  return text.startsWith('-') || /^0\.0*$/.test(text) ? usd(text) : `+${usd(text)}`;
}

function driftCell(s: DriftSummary): string {
  return s.coveredDays === 0 ? 'no estimates' : `${pct(s.driftBp)} (${signedUsd(s.driftUsd)})`;
}

/** Which tier the day's estimate came from, in the user's words (docs/ledger.md, THE RULE FOR TOTALS). */
const TIER_LABEL: Record<NonNullable<ReconciledDayView['estimateTier']>, string> = {
  readings: 'readings',
  reported: 'usage API',
  estimates: 'our estimates',
};

function worstLines(days: readonly ReconciledDayView[]): string[] {
  if (!days.length) return [];
  return [
    '',
    'Worst days:',
    table(
      days.map((d) => [
        '  ' + d.date,
        d.provider,
        `billed ${usd(d.billedUsd)}`,
        `estimated ${usd(d.estimatedUsd)}${d.estimateTier ? ` (${TIER_LABEL[d.estimateTier]})` : ''}`,
        pct(d.driftBp),
      ]),
      [4],
    ),
  ];
}

export function formatReconcile(r: ReconcileResult): string {
  const lines: string[] = [];
  const head = `Reconciled ${r.run.from} to ${r.run.to} (${r.run.timezone} days)`;
  lines.push(
    r.changed
      ? `${head}: run ${r.run.id}, new figures stored.`
      : `${head}: same figures as run ${r.run.id} of ${r.run.ranAt}; nothing new stored.`,
  );
  if (!r.days.length) {
    lines.push('No billed figures in this range, so there is nothing to compare estimates with. Add a billing key (burnrate keys set openai) and sync.');
    return lines.join('\n');
  }
  lines.push('');
  lines.push(
    table(
      [
        ['provider', 'days est./billed', 'billed', 'estimated', 'drift', 'day-by-day error', 'coverage'],
        ...r.providers.map((p) => [
          p.provider,
          `${p.coveredDays}/${p.days}`,
          usd(p.billedUsd),
          p.coveredDays ? usd(p.estimatedUsd) : '—',
          driftCell(p),
          p.coveredDays ? `${pct(p.absDriftBp).replace(/^\+/, '')} (${usd(p.absDriftUsd)})` : '—',
          coverage(p.coverageBp),
        ]),
      ],
      [2, 3],
    ),
  );
  const unpriced = r.providers.reduce((n, p) => n + p.unpricedEvents, 0);
  if (unpriced) lines.push('', `${unpriced} estimated event${unpriced === 1 ? ' has' : 's have'} no price, so those estimates run low; see burnrate prices.`);
  const worst = [...r.days]
    .filter((d) => d.driftBp !== null)
    .sort((a, b) => Math.abs(b.driftBp!) - Math.abs(a.driftBp!))
    .slice(0, 5);
  lines.push(...worstLines(worst));
  lines.push('', 'Totals use the billed figures; drift = estimated - billed over days that had an estimate; coverage = share of billed spend that had one.');
  return lines.join('\n');
}

export function formatAccuracy(a: AccuracySummary): string {
  const lines: string[] = [];
  lines.push(
    `Estimate accuracy against the bill (attention above ${coverage(a.thresholdBp)}), ` +
      (a.lastRun ? `last reconciled ${a.lastRun.checkedAt} (run ${a.lastRun.id}).` : 'never reconciled yet: run burnrate reconcile.'),
  );
  if (!a.providers.length) {
    lines.push(`No reconciled billed days from ${a.last30.from} to ${a.last30.to}.`);
    return lines.join('\n');
  }
  lines.push('');
  lines.push(
    table(
      [
        ['provider', `7 days (to ${a.last7.to})`, '30 days', 'coverage 30d'],
        ...a.providers.map((p) => [p.provider + (p.exceedsThreshold ? ' !' : ''), driftCell(p.last7), driftCell(p.last30), coverage(p.last30.coverageBp)]),
      ],
    ),
  );
  const sources = a.providers.flatMap((p) => p.sources.map((s) => [`  ${p.provider}`, s.source, `${s.days} day${s.days === 1 ? '' : 's'}`, pct(s.driftBp)]));
  if (sources.length) lines.push('', 'Each estimate source alone, 30 days:', table(sources, [3]));
  lines.push(...worstLines(a.worstDays));
  if (a.attention.length) {
    lines.push('', 'Needs attention:');
    for (const item of a.attention) lines.push(`  ! ${item.message}`);
  }
  return lines.join('\n');
}

export const registerReconcile: Register = (program, ctx) => {
  program
    .command('reconcile')
    .description('compare billed with estimated spend per provider and day, and store the drift')
    .option('--from <date>', 'first local day, YYYY-MM-DD (default: 30 days before --to)')
    .option('--to <date>', 'last local day, YYYY-MM-DD (default: yesterday, the last complete day)')
    .option('--summary', 'print the accuracy summary instead (same as burnrate accuracy)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { from?: string; to?: string; summary?: boolean; json?: boolean }) => {
      if (opts.summary) {
        if (opts.from !== undefined || opts.to !== undefined) {
          fail(ctx, loadedRuntime().invalid('The summary always covers the last 7 and 30 days; drop --from/--to, or run burnrate reconcile without --summary.'), opts.json);
          return;
        }
        await runMethod(ctx, 'accuracy', {}, opts, formatAccuracy);
        return;
      }
      await runMethod(ctx, 'reconcile', defined({ from: opts.from, to: opts.to }), opts, formatReconcile);
    });

  program
    .command('accuracy')
    .description('how far estimates drifted from the bill over the last 7 and 30 days, and the worst days')
    .option('--provider <provider>', 'one provider only')
    .option('--worst <n>', 'how many worst days to list', '5')
    .option('--json', 'print one JSON document')
    .action(async (opts: { provider?: string; worst?: string; json?: boolean }) => {
      await runMethod(ctx, 'accuracy', defined({ provider: opts.provider, worst: opts.worst }), opts, formatAccuracy);
    });
};
