import type { TeamJoinResult, TeamPushResult, TeamStatus } from '../../api/contract';
import { fail, runMethod, type CliContext, type Register } from '../context';
import { table } from '../format';

// `burnrate team …`: team totals across machines on a shared PostgreSQL (docs/team.md). The
// password is best given on standard input (--password-stdin), never left in shell history.

function formatJoin(r: TeamJoinResult): string {
  const where = r.passwordStoredIn ? ` The password is kept in the ${r.passwordStoredIn}, not in the ledger.` : '';
  return `Joined the team "${r.team}" as ${r.member} (machine ${r.machineId}); pushed ${r.pushed} figure(s).${where}`;
}

function formatPush(r: TeamPushResult): string {
  if (r.pushed === 0) return 'Nothing new to push: the team database has every figure of this machine.';
  const alerts = r.alertsFired > 0 ? ` ${r.alertsFired} team alert(s) fired.` : '';
  return `Pushed ${r.pushed} figure(s) to the team database (revision ${r.revision}).${alerts}`;
}

const budgetText = (usd: string | null, health: string | null) => (usd === null ? 'no budget' : `budget $${usd}, ${health}`);

export function formatTeamStatus(s: TeamStatus): string {
  const lines = [
    `Team ${s.team} — you are ${s.member}`,
    `Today ${s.day.date}: $${s.day.spentUsd} (${budgetText(s.day.budgetUsd, s.day.health)})`,
    `Month ${s.month.month}: $${s.month.spentUsd} (${budgetText(s.month.budgetUsd, s.month.health)}), forecast $${s.month.forecastUsd} by month end` +
      (s.month.runsOutOn ? `; at this pace the team budget is passed on ${s.month.runsOutOn}` : ''),
  ];
  if (s.billedMonthUsd !== '0.00') lines.push(`Organisation bills this month: $${s.billedMonthUsd} (members' estimates for those days, $${s.coveredEstimatesMonthUsd}, are not added)`);
  if (s.members.length > 0) {
    lines.push('', table([['member', 'machines', 'today', 'month', 'share', 'last push'], ...s.members.map((m) => [
      m.member, String(m.machines), `$${m.todaySpentUsd}`, `$${m.monthSpentUsd}`, m.shareBp === null ? '—' : `${(m.shareBp / 100).toFixed(2)}%`, m.lastPushAt ?? 'never',
    ])]));
  }
  if (s.providers.length > 0) {
    lines.push('', table([['provider', 'today', 'month', 'cap'], ...s.providers.map((p) => [p.provider, `$${p.todaySpentUsd}`, `$${p.monthSpentUsd}`, p.capUsd ? `$${p.capUsd} (${p.capHealth})` : ''])]));
  }
  for (const a of s.alerts) lines.push(`${a.level.toUpperCase()}: ${a.message}`);
  if (s.pending > 0) lines.push(`${s.pending} figure(s) of this machine wait in the outbox.`);
  return lines.join('\n');
}

async function readPassword(ctx: CliContext): Promise<string> {
  return (await ctx.readStdin()).replace(/\r?\n$/, '');
}

export const registerTeam: Register = (program, ctx) => {
  const team = program.command('team').description('team totals across machines on a shared PostgreSQL database');
  team
    .command('join')
    .description('join a team: create or migrate its shared schema, register this machine, push its figures')
    .argument('<postgres-url>', 'postgres://user@host:5432/dbname (add ?sslmode=verify-full for TLS)')
    .option('--team <name>', 'the team to join (created if new)', 'team')
    .option('--member <name>', 'your name in the team (default: your login name)')
    .option('--org <provider=orgId...>', "the organisation id a provider's bills belong to, e.g. openai=org-abc (repeatable)")
    .option('--password-stdin', 'read the database password from standard input (kept in the OS keychain)')
    .option('--json', 'print one JSON document')
    .action(async (url: string, opts: { team: string; member?: string; org?: string[]; passwordStdin?: boolean; json?: boolean }) => {
      let full = url;
      try {
        if (opts.passwordStdin) {
          const u = new URL(url);
          u.password = encodeURIComponent(await readPassword(ctx));
          full = u.toString();
        }
      } catch (error) {
        fail(ctx, error, opts.json);
        return;
      }
      const orgs = Object.fromEntries((opts.org ?? []).map((pair) => [pair.split('=')[0] ?? '', pair.split('=').slice(1).join('=')]));
      await runMethod(ctx, 'teamJoin', { url: full, team: opts.team, ...(opts.member ? { member: opts.member } : {}), ...(opts.org ? { orgs } : {}) }, opts, formatJoin);
    });
  team
    .command('status')
    .description("the team's spend today and this month, counted once across machines, with budgets and each member's share")
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => void (await runMethod(ctx, 'teamStatus', {}, opts, formatTeamStatus)));
  team
    .command('push')
    .description("send this machine's changed figures now (they wait in the outbox while the database is unreachable)")
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => void (await runMethod(ctx, 'teamPush', {}, opts, formatPush)));
  team
    .command('leave')
    .description("leave the team: stop pushing; this machine's figures stay in the team database")
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => void (await runMethod(ctx, 'teamLeave', {}, opts, (r) => `Left the team "${r.team}".${r.storeUpdated ? '' : ' The team database did not answer; it still lists this machine.'}`)));
  team
    .command('budget')
    .description("set the team's budgets: --daily USD, --monthly USD, --reserve-pct N, --provider P --monthly USD, --enforce/--no-enforce")
    .option('--daily <usd>', 'daily team budget (none to remove)')
    .option('--monthly <usd>', 'monthly team budget, or the cap of --provider (none to remove)')
    .option('--reserve-pct <n>', 'reserve held back, in percent')
    .option('--provider <p>', "set this provider's monthly cap")
    .option('--enforce', "members' metering proxies refuse requests past the team budget")
    .option('--no-enforce', 'stop enforcing')
    .option('--json', 'print one JSON document')
    .action(async (opts: { daily?: string; monthly?: string; reservePct?: string; provider?: string; enforce?: boolean; json?: boolean }) => {
      const none = (v: string | undefined) => (v === undefined ? undefined : /^(none|off)$/i.test(v) ? null : v);
      const input = {
        ...(opts.daily !== undefined ? { daily: none(opts.daily) } : {}),
        ...(opts.monthly !== undefined ? { monthly: none(opts.monthly) } : {}),
        ...(opts.reservePct !== undefined ? { reservePct: opts.reservePct } : {}),
        ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
        ...(opts.enforce !== undefined ? { enforce: opts.enforce } : {}),
      };
      await runMethod(ctx, 'teamBudgetSet', input, opts, formatTeamStatus);
    });
};
