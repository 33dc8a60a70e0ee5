import type { Command } from 'commander';
import type { AlertDetail, AlertList, BudgetPeriodView, BudgetView, ChannelView } from '../../api/contract/budget';
import { defined, loadedRuntime, runMethod, type CliContext, type Register } from '../context';
import { table, usd, usdAtAGlance } from '../format';
import { readKey } from './keys';

/** Webhook sends at the end of a CLI run wait at most this long per request. */
const CLI_DELIVERY_TIMEOUT_MS = 5_000;

function healthWord(h: string | null): string {
  return h ? h.toUpperCase() : '';
}

/**
 * The budget as the user set it, to the last digit; what follows from spend (priced per token, so
 * fractions of a cent) rounded to the cent as the window shows it. --json keeps every digit.
 */
function periodLine(label: string, p: BudgetPeriodView, when: string): string {
  if (p.budgetUsd === null) return `${label}  no budget (spent ${usdAtAGlance(p.spentUsd)} ${when})`;
  return `${label}  ${usd(p.budgetUsd)} (${usdAtAGlance(p.spendableUsd)} spendable, ${usdAtAGlance(p.reserveUsd)} reserve); spent ${usdAtAGlance(p.spentUsd)} ${when}, ${usdAtAGlance(p.leftUsd)} left — ${healthWord(p.health)}`;
}

export function formatBudget(b: BudgetView): string {
  const lines = [
    periodLine('Daily  ', b.day, `on ${b.day.date}`),
    periodLine('Monthly', b.month, `in ${b.month.month}`),
    `Reserve  ${b.reservePct}% of each budget`,
    `Proxy    daily ${b.policies.daily}, monthly ${b.policies.monthly}${Object.entries(b.policies.caps).map(([p, v]) => `, ${p} cap ${v}`).join('')}${Object.entries(b.policies.projects).map(([p, v]) => `, project ${p} cap ${v}`).join('')}`,
  ];
  const f = b.month.forecast;
  const basis = f.basisDays > 0 ? `from the last ${f.basisDays} day${f.basisDays === 1 ? '' : 's'}${f.weekdayAware ? ', by weekday' : ''}` : 'from today only';
  lines.push(`Forecast ${usdAtAGlance(f.forecastUsd)} by month end (${usdAtAGlance(f.dailyRateUsd)}/day ${basis})${f.runsOutOn ? `; the monthly budget runs out on ${f.runsOutOn}` : ''}`);
  if (b.caps.length) {
    lines.push('', table([['cap', 'monthly', 'spent', 'used', ''], ...b.caps.map((c) => [c.provider, usd(c.capUsd), usdAtAGlance(c.spentUsd), c.usedPct === null ? '—' : `${c.usedPct}%`, c.health === 'good' ? '' : c.health.toUpperCase()])], [1, 2, 3]));
  }
  if (b.projectCaps.length) {
    lines.push('', table([['project cap', 'monthly', 'spent', 'used', ''], ...b.projectCaps.map((c) => [c.project, usd(c.capUsd), usdAtAGlance(c.spentUsd), c.usedPct === null ? '—' : `${c.usedPct}%`, c.health === 'good' ? '' : c.health.toUpperCase()])], [1, 2, 3]));
  }
  if (b.runway.length) {
    lines.push('', table([['balance', 'left', 'per day', 'runway'], ...b.runway.map((r) => [r.provider, usdAtAGlance(r.balanceUsd), usdAtAGlance(r.dailyBurnUsd), r.days === null ? '—' : `${r.days} days (${r.runsOutOn})`])], [1, 2]));
  }
  return lines.join('\n');
}

function alertLine(a: AlertDetail): string[] {
  const state = a.supersededBy !== null ? `superseded by #${a.supersededBy}` : a.acknowledged ? 'acknowledged' : '';
  return [`#${a.id}`, a.level, a.period, a.message, state];
}

export function formatAlerts(list: AlertList, all: boolean): string {
  if (list.alerts.length === 0) return all ? 'No alerts yet.' : 'No open alerts.';
  const lines = [table([['id', 'level', 'period', 'alert', ''], ...list.alerts.map(alertLine)])];
  if (!all) lines.push('', 'Acknowledge one with: burnrate alerts ack ID');
  return lines.join('\n');
}

function channelRow(c: ChannelView): string[] {
  const delivery = `${c.delivered} sent${c.pending ? `, ${c.pending} waiting` : ''}${c.failed ? `, ${c.failed} failed` : ''}`;
  const receives = [c.receives.alerts === 'none' ? null : `alerts ${c.receives.alerts}+`, c.receives.reminders ? 'reminders' : null, c.receives.reports ? 'reports' : null].filter(Boolean).join(', ');
  return [`#${c.id}`, c.kind, c.emailTo ? `${c.url} → ${c.emailTo}` : c.url, receives || 'nothing', delivery, c.lastError ?? ''];
}

/**
 * After every command, deliver the webhook notifications that are due, before the ledger closes
 * (openCore attaches the budget engine, so `record` and friends have queued them already).
 */
function deliverAfterCommands(program: Command, ctx: CliContext): void {
  program.hook('postAction', async () => {
    const core = ctx.opened();
    if (!core?.db.open) return;
    try {
      await loadedRuntime().deliverOutbox(core, { timeoutMs: CLI_DELIVERY_TIMEOUT_MS });
      await loadedRuntime().deliverMessages(core, { timeoutMs: CLI_DELIVERY_TIMEOUT_MS }); // reminders and reports waiting for a channel
    } catch (error) {
      ctx.err(`burnrate: could not send alert notifications now (${error instanceof Error ? error.message : String(error)}); they will be retried.`);
    }
  });
}

type JsonOpts = { json?: boolean };
const json = (cmd: Command) => Boolean((cmd.optsWithGlobals() as JsonOpts).json);

export const registerBudget: Register = (program, ctx) => {
  deliverAfterCommands(program, ctx);

  const budget = program
    .command('budget')
    .description('the daily and monthly budgets, the reserve and provider caps (alone: budget show)')
    .option('--json', 'print one JSON document')
    .action(async (opts: JsonOpts) => {
      await runMethod(ctx, 'budgetShow', {}, opts, formatBudget);
    });

  budget
    .command('show')
    .description('where each budget stands, the month forecast and prepaid runway')
    .option('--json', 'print one JSON document')
    .action(async (_opts: JsonOpts, cmd: Command) => {
      await runMethod(ctx, 'budgetShow', {}, { json: json(cmd) }, formatBudget);
    });

  budget
    .command('set')
    .description('set budgets; none removes one (e.g. budget set --daily 5 --reserve-pct 20, budget set --provider openai --monthly 50, budget set --project web --monthly 20)')
    .option('--daily <usd>', 'daily budget in USD, or none')
    .option('--monthly <usd>', 'monthly budget in USD, or none (with --provider: that provider\'s monthly cap)')
    .option('--reserve-pct <n>', 'share of each budget held back as an emergency reserve, 0–100 (default 20)')
    .option('--provider <provider>', 'set a monthly cap for this provider (with --monthly)')
    .option('--project <name>', 'set a monthly cap for this project (with --monthly): the project of X-Burnrate-Project, /p/NAME/ or an agent log')
    .option('--enforce', 'the metering proxy refuses requests that would pass these budgets (all set budgets when none is named)')
    .option('--warn', 'the metering proxy lets requests past these budgets through (the default); alerts still fire')
    .option('--no-enforce', 'the metering proxy ignores these budgets')
    .option('--json', 'print one JSON document')
    .action(async (opts: { daily?: string; monthly?: string; reservePct?: string; provider?: string; project?: string; enforce?: boolean; warn?: boolean }, cmd: Command) => {
      const { daily, monthly, reservePct, provider, project } = opts;
      const policy = opts.enforce === true ? 'enforce' : opts.warn ? 'warn' : opts.enforce === false ? 'off' : undefined;
      await runMethod(ctx, 'budgetSet', defined({ daily, monthly, reservePct, provider, project, policy }), { json: json(cmd) }, formatBudget);
    });

  const alerts = program
    .command('alerts')
    .description('open alerts (--all: every alert); ack ID; channel add|list|remove|test')
    .option('--json', 'print one JSON document')
    .option('--all', 'include acknowledged and superseded alerts')
    .action(async (opts: JsonOpts & { all?: boolean }) => {
      await runMethod(ctx, 'alerts', { all: Boolean(opts.all) }, opts, (r) => formatAlerts(r, Boolean(opts.all)));
    });

  alerts
    .command('ack <id>')
    .description('acknowledge an alert')
    .option('--json', 'print one JSON document')
    .action(async (id: string, _opts: JsonOpts, cmd: Command) => {
      await runMethod(ctx, 'alertAck', { id }, { json: json(cmd) }, (a) => `Acknowledged #${a.id}: ${a.message}`);
    });

  const channel = alerts.command('channel').description('webhooks that receive alerts: add KIND URL, list, remove ID, test ID');

  channel
    .command('add <kind> <url>')
    .description('kind: slack (incoming webhook), discord (webhook), ntfy (topic URL), webhook (generic JSON POST) or email (smtp://[USER@]HOST:PORT, STARTTLS; smtps:// for TLS)')
    .option('--to <addresses>', 'email: recipients, comma-separated')
    .option('--from <address>', 'email: sender (default: the first recipient)')
    .option('--alerts <level>', 'alerts it receives: info, warning, critical (and above) or none')
    .option('--reminders', 'also send reminders to check a console')
    .option('--no-reports', 'do not send the monthly report')
    .option('--json', 'print one JSON document')
    .action(async (kind: string, url: string, opts: { to?: string; from?: string; alerts?: string; reminders?: boolean; reports?: boolean }, cmd: Command) => {
      let password: string | undefined;
      if (kind === 'email' && /^smtps?:\/\/[^/@]+@/i.test(url.trim())) {
        // The SMTP password is read like a key: from a pipe, or typed without echo; it goes to the keychain.
        password = (await readKey(ctx, 'smtp', 'the SMTP password')).replace(/\r?\n$/, '');
      }
      const input = {
        kind,
        url,
        ...(opts.to !== undefined ? { to: opts.to } : {}),
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        ...(password ? { password } : {}),
        ...(opts.alerts !== undefined ? { alerts: opts.alerts } : {}),
        ...(opts.reminders ? { reminders: true } : {}),
        ...(opts.reports === false ? { reports: false } : {}),
      };
      await runMethod(ctx, 'channelAdd', input, { json: json(cmd) }, (r) =>
        r.created ? `Added ${r.channel.kind} channel #${r.channel.id} (${r.channel.url}${r.channel.emailTo ? ` to ${r.channel.emailTo}` : ''}). Try it with: burnrate alerts channel test ${r.channel.id}` : `That ${r.channel.kind} channel exists already (#${r.channel.id}); nothing changed.`,
      );
    });

  channel
    .command('set <id>')
    .description('choose what a channel receives')
    .option('--alerts <level>', 'info, warning, critical (and above) or none')
    .option('--reminders', 'send reminders')
    .option('--no-reminders', 'do not send reminders')
    .option('--reports', 'send the monthly report')
    .option('--no-reports', 'do not send the monthly report')
    .option('--json', 'print one JSON document')
    .action(async (id: string, opts: { alerts?: string; reminders?: boolean; reports?: boolean }, cmd: Command) => {
      await runMethod(ctx, 'channelSet', { id, ...defined(opts) }, { json: json(cmd) }, (c) => `Channel #${c.id} receives: alerts ${c.receives.alerts === 'none' ? 'none' : `${c.receives.alerts} and above`}, reminders ${c.receives.reminders ? 'yes' : 'no'}, monthly reports ${c.receives.reports ? 'yes' : 'no'}.`);
    });

  channel
    .command('list')
    .description('list channels (URLs redacted) with their delivery counts')
    .option('--json', 'print one JSON document')
    .action(async (_opts: JsonOpts, cmd: Command) => {
      await runMethod(ctx, 'channels', {}, { json: json(cmd) }, (r) =>
        r.channels.length ? table([['id', 'kind', 'url', 'receives', 'delivery', 'last error'], ...r.channels.map(channelRow)]) : 'No alert channels. Add one with: burnrate alerts channel add slack URL',
      );
    });

  channel
    .command('remove <id>')
    .description('stop sending alerts to a channel')
    .option('--json', 'print one JSON document')
    .action(async (id: string, _opts: JsonOpts, cmd: Command) => {
      await runMethod(ctx, 'channelRemove', { id }, { json: json(cmd) }, (c) => `Removed ${c.kind} channel #${c.id} (${c.url}).`);
    });

  channel
    .command('test <id>')
    .description('send a test message to a channel now')
    .option('--json', 'print one JSON document')
    .action(async (id: string, _opts: JsonOpts, cmd: Command) => {
      const result = await runMethod(ctx, 'channelTest', { id }, { json: json(cmd) }, (r) =>
        r.ok ? `Sent a test message to ${r.channel.kind} channel #${r.channel.id}.` : `The ${r.channel.kind} channel #${r.channel.id} did not take the test message: ${r.error}`,
      );
      if (result && !result.ok) ctx.exitCode = 1;
    });
};
