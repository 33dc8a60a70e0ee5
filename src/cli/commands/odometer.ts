import type { Command } from 'commander';
import type { BalanceView, MonthView, ProviderView, ReadingView, ReminderView, SubscriptionView } from '../../api/contract/odometer';
import { defined, loadedRuntime, runMethod, type CliContext, type Register } from '../context';
import { table, usd } from '../format';

// Commands of the odometer area: provider modes, readings, top-ups, subscriptions, reminders.

function balanceLine(b: BalanceView | null): string {
  if (!b) return '';
  const pace = b.burnPerDayUsd ? `, burning ${usd(b.burnPerDayUsd)}/day` : '';
  const runway = b.runwayDays !== null ? `: lasts about ${b.runwayDays} day${b.runwayDays === 1 ? '' : 's'}${b.runsOutOn ? ` (until ${b.runsOutOn})` : ''}` : '';
  return `Balance ${usd(b.balanceUsd)} as of ${b.asOf}${pace}${runway}.`;
}

function monthLine(m: MonthView | null, label = ''): string {
  if (!m) return '';
  const status = m.status === 'open' ? 'so far' : m.status === 'final' ? 'final' : 'estimated: its final figure is still missing';
  return `${label}${m.month}: ${usd(m.totalUsd)} (${status}).`;
}

function readingRows(rows: readonly ReadingView[]): string {
  if (rows.length === 0) return 'No readings yet.';
  return table(
    [
      ['id', 'kind', 'amount', 'taken at', 'month', 'adds', 'note'],
      ...rows.map((r) => [
        String(r.id),
        r.kind === 'odometer' && r.final ? 'final' : r.kind,
        usd(r.amountUsd),
        r.takenAt,
        r.billingMonth,
        r.spendUsd === null ? '' : usd(r.spendUsd),
        [r.note, r.inferredTopupUsd && r.inferredTopupUsd !== '0.00' ? `rise of ${usd(r.inferredTopupUsd)} taken as an unrecorded top-up` : '']
          .filter(Boolean)
          .join('; '),
      ]),
    ],
    [0, 2, 5],
  );
}

function providerRows(list: readonly ProviderView[]): string {
  return table(
    [
      ['provider', 'mode', 'billing zone', 'last reading', 'month to date', 'balance'],
      ...list.map((p) => [
        p.provider,
        p.mode + (p.configured ? '' : ' (default)'),
        p.billingTimeZone,
        p.lastReading ? `${usd(p.lastReading.amountUsd)} at ${p.lastReading.takenAt}` : '—',
        usd(p.monthToDateUsd),
        p.balance ? `${usd(p.balance.balanceUsd)}${p.balance.runwayDays !== null ? ` (~${p.balance.runwayDays} days)` : ''}` : '—',
      ]),
    ],
    [4],
  );
}

function subscriptionLine(s: SubscriptionView): string {
  const state = s.active ? `next charge ${s.nextChargeOn}` : `ended ${s.endedOn}`;
  return `#${s.id} ${s.name} (${s.provider}): ${usd(s.monthlyUsd)}/month on day ${s.dayOfMonth}, since ${s.startedOn}, ${state}`;
}

function reminderLine(r: ReminderView): string {
  const { withCommand, commandFor } = loadedRuntime();
  const state = r.state === 'snoozed' ? ` [snoozed until ${r.snoozedUntil}]` : r.state === 'dismissed' ? ' [dismissed]' : '';
  return `#${r.id} ${withCommand(r.message, commandFor(r.kind, r.provider, r.period))}${state}`;
}

function registerProviders(program: Command, ctx: CliContext): void {
  program
    .command('providers')
    .description('list providers with their tracking mode, last reading and balance')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      await runMethod(ctx, 'providers', {}, opts, (r) => providerRows(r.providers));
    });

  const provider = program.command('provider').description("configure a provider's tracking mode");
  provider
    .command('set <provider>')
    .description('set how Burnrate tracks a provider: api, odometer, balance, subscription or manual')
    .option('--mode <mode>', 'api | odometer | balance | subscription | manual')
    .option('--billing-tz <zone>', 'zone of the provider\'s billing month (default UTC)')
    .option('--json', 'print one JSON document')
    .action(async (slug: string, opts: { mode?: string; billingTz?: string; json?: boolean }) => {
      const { json, ...rest } = opts;
      await runMethod(ctx, 'providerSet', { provider: slug, ...defined(rest) }, { json }, (p) =>
        `${p.name} is tracked in mode ${p.mode}, billing month in ${p.billingTimeZone}.`,
      );
    });
}

function registerReadings(program: Command, ctx: CliContext): void {
  const reading = program.command('reading').description("enter a figure from a provider's console (by the provider's mode), or delete one");
  reading
    .command('add <provider> <usd>', { isDefault: true })
    .description("month-to-date spend (odometer mode) or prepaid balance (balance mode); also: burnrate reading P USD")
    .option('--at <iso>', 'when you read it (default: now)')
    .option('--note <text>', 'a note kept with the reading')
    .option('--replace', 'correct the latest reading (keeps its time unless --at is given)')
    .option('--month <yyyy-mm>', "with --final: the past billing month the figure closes")
    .option('--final', "a past month's final figure (with --month)")
    .option('--json', 'print one JSON document')
    .action(async (provider: string, amount: string, opts: { at?: string; note?: string; replace?: boolean; month?: string; final?: boolean; json?: boolean }) => {
      const { json, ...rest } = opts;
      await runMethod(ctx, 'readingAdd', { provider, amount, ...defined(rest) }, { json }, (r) => {
        const lines: string[] = [];
        const what = r.reading.final ? `final figure for ${r.reading.billingMonth}` : r.mode === 'balance' ? 'balance' : 'month-to-date reading';
        lines.push(`Recorded ${r.reading.provider} ${what} ${usd(r.reading.amountUsd)} (#${r.reading.id}${r.replaced ? `, replacing #${r.replaced.id}` : ''}).`);
        if (r.closesMonth) lines.push(`Read at the very start of a billing month, so it is ${r.closesMonth}'s closing figure.`);
        if (r.closedMonth) lines.push(monthLine(r.closedMonth, 'New billing month: closed '));
        if (r.month) lines.push(monthLine(r.month));
        if (r.balance) lines.push(balanceLine(r.balance));
        return lines.filter(Boolean).join('\n');
      });
    });
  reading
    .command('delete <id>')
    .description('delete a reading or top-up by id (see burnrate readings P)')
    .option('--json', 'print one JSON document')
    .action(async (id: string, opts: { json?: boolean }) => {
      await runMethod(ctx, 'readingDelete', { id }, opts, (r) =>
        [`Deleted ${r.deleted.kind} #${r.deleted.id} (${usd(r.deleted.amountUsd)} at ${r.deleted.takenAt}).`, monthLine(r.month), balanceLine(r.balance)]
          .filter(Boolean)
          .join('\n'),
      );
    });

  program
    .command('readings <provider>')
    .description("a provider's readings, months and balance")
    .option('--json', 'print one JSON document')
    .action(async (provider: string, opts: { json?: boolean }) => {
      await runMethod(ctx, 'readings', { provider }, opts, (r) => {
        const lines = [`${r.provider} (mode ${r.mode}, billing month in ${r.billingTimeZone})`, '', readingRows(r.readings)];
        if (r.months.length) lines.push('', ...r.months.map((m) => monthLine(m)));
        if (r.balance) lines.push('', balanceLine(r.balance));
        return lines.join('\n');
      });
    });

  program
    .command('topup <provider> <usd>')
    .description("record money added to a balance-mode provider's prepaid balance")
    .option('--at <iso>', 'when it was added (default: now)')
    .option('--note <text>', 'a note kept with the top-up')
    .option('--json', 'print one JSON document')
    .action(async (provider: string, amount: string, opts: { at?: string; note?: string; json?: boolean }) => {
      const { json, ...rest } = opts;
      await runMethod(ctx, 'topup', { provider, amount, ...defined(rest) }, { json }, (r) =>
        [`Recorded a top-up of ${usd(r.topup.amountUsd)} for ${r.topup.provider} (#${r.topup.id}).`, balanceLine(r.balance)].filter(Boolean).join('\n'),
      );
    });
}

function registerSubscriptions(program: Command, ctx: CliContext): void {
  const sub = program.command('subscription').description('flat monthly subscriptions (ChatGPT Plus, Claude Pro, Copilot …)');
  sub
    .command('add <name>')
    .description('add a subscription; its fee counts in each month, spread over the month\'s days')
    .requiredOption('--monthly <usd>', 'the monthly fee in USD')
    .requiredOption('--day <n>', 'day of the month it is charged (1-31)')
    .option('--provider <slug>', 'provider name in the ledger (default: from the name, e.g. chatgpt-plus)')
    .option('--since <date>', 'first day it ran, YYYY-MM-DD (default: today)')
    .option('--dry-run', "show what it does to today's and this month's figures, without adding it")
    .option('--json', 'print one JSON document')
    .action(async (name: string, opts: { monthly: string; day: string; provider?: string; since?: string; dryRun?: boolean; json?: boolean }) => {
      const { json, dryRun, ...rest } = opts;
      if (dryRun) {
        await runMethod(ctx, 'subscriptionPreview', { name, ...defined(rest) }, { json }, (p) => `${p.summary}
Nothing was added.`);
        return;
      }
      await runMethod(ctx, 'subscriptionAdd', { name, ...defined(rest) }, { json }, (s) => `Added ${subscriptionLine(s)}.`);
    });
  sub
    .command('list')
    .description('list subscriptions')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      await runMethod(ctx, 'subscriptions', {}, opts, (r) =>
        r.subscriptions.length
          ? [...r.subscriptions.map(subscriptionLine), '', `Active subscriptions: ${usd(r.monthlyTotalUsd)}/month.`].join('\n')
          : 'No subscriptions. Add one with: burnrate subscription add "ChatGPT Plus" --monthly 20 --day 5',
      );
    });
  sub
    .command('remove <id>')
    .description('end a subscription today (past months keep their fee); --purge deletes it and its history')
    .option('--purge', 'delete it and every row it produced (for a mistaken entry)')
    .option('--json', 'print one JSON document')
    .action(async (id: string, opts: { purge?: boolean; json?: boolean }) => {
      await runMethod(ctx, 'subscriptionRemove', { id, purge: Boolean(opts.purge) }, { json: opts.json }, (r) =>
        r.purged ? `Deleted subscription #${r.subscription.id} (${r.subscription.name}) and its history.` : `Ended ${subscriptionLine(r.subscription)}.`,
      );
    });
}

function registerReminders(program: Command, ctx: CliContext): void {
  const reminders = program.command('reminders').description('reminders to check a console; snooze or dismiss them');
  reminders
    .command('list', { isDefault: true })
    .description('list due and snoozed reminders')
    .option('--dismissed', 'list the dismissed ones too')
    .option('--json', 'print one JSON document')
    .action(async (opts: { dismissed?: boolean; json?: boolean }) => {
      await runMethod(ctx, 'reminders', { dismissed: opts.dismissed === true }, { json: opts.json }, (r) => (r.reminders.length ? r.reminders.map(reminderLine).join('\n') : 'No reminders.'));
    });
  reminders
    .command('snooze <id>')
    .description('hide a reminder for some hours')
    .option('--hours <n>', 'how long (default 24)')
    .option('--json', 'print one JSON document')
    .action(async (id: string, opts: { hours?: string; json?: boolean }) => {
      await runMethod(ctx, 'reminderSnooze', { id, ...defined({ hours: opts.hours }) }, { json: opts.json }, (r) => `Snoozed #${r.id} until ${r.snoozedUntil}.`);
    });
  reminders
    .command('unsnooze <id>')
    .description('end a reminder\'s snooze now, so it is due again')
    .option('--json', 'print one JSON document')
    .action(async (id: string, opts: { json?: boolean }) => {
      await runMethod(ctx, 'reminderUnsnooze', { id }, opts, (r) => `Reminder #${r.id} is ${r.state}.`);
    });
  reminders
    .command('dismiss <id>')
    .description('dismiss a reminder for good')
    .option('--json', 'print one JSON document')
    .action(async (id: string, opts: { json?: boolean }) => {
      await runMethod(ctx, 'reminderDismiss', { id }, opts, (r) => `Reminder #${r.id} is ${r.state}.`);
    });
}

export const registerOdometer: Register = (program, ctx) => {
  registerProviders(program, ctx);
  registerReadings(program, ctx);
  registerSubscriptions(program, ctx);
  registerReminders(program, ctx);
};
