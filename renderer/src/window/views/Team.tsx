import type { TeamStatus } from '../../../../src/api/contract/team';
import { useState, type FormEvent } from 'react';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icons';
import { Money } from '../../components/Money';
import { providerName } from '../../components/providers';
import { right, Table } from '../../components/Table';
import { reservePctOf, reservePctProblem, typedUsd, usdProblem } from '../../components/budget-input';
import { TeamCapsCard } from '../../components/TeamCapsCard';
import { orgProblems, orgsInput, TeamOrgRows, type OrgField, type OrgRow } from '../../components/TeamOrgRows';
import { formatMoney } from '../../format/money';
import { localDateTime, whenText } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useProviderNames } from '../../hooks/useProviderNames';
import { TEAM_REFRESH_MS } from '../../components/TeamLine';

/**
 * Team totals across machines (docs/team.md): join a team's PostgreSQL database (saying which
 * organisation each provider's bills belong to), see the team's spend counted once with each
 * member's share, set the team's budgets, reserve and provider caps, push now, leave.
 */
export function Team() {
  const membership = useCall('teamMembership', {}, { refreshOn: ['statusChanged'] });
  const joined = membership.data?.joined ?? false;
  const status = useCall('teamStatus', {}, { coalesceMs: TEAM_REFRESH_MS, refreshOn: ['statusChanged', 'alertFired'], skip: !joined });
  const push = useAction('teamPush');
  const leave = useAction('teamLeave');
  const [done, setDone] = useState<string>();

  if (!membership.data) return membership.loading ? <Loading /> : <ErrorNote error={membership.error} onRetry={membership.reload} />;
  if (!joined) return <JoinForm onJoined={membership.reload} />;
  const s = status.data;
  const pushNow = async () => {
    const r = await push.run({});
    if (r) setDone(r.pushed === 0 ? 'The team database already has every figure of this machine.' : `Pushed ${r.pushed} figure(s).`);
    status.reload();
    membership.reload();
  };
  const leaveTeam = async () => {
    if (await leave.run({})) membership.reload();
  };
  // A stack, as every view: the cards keep their gap between them.
  return (
    <div className="stack">
      <Card
        title={`Team ${membership.data.team ?? ''} · you are ${membership.data.member ?? ''}`}
        actions={
          <button type="button" className="btn btn-small btn-secondary" onClick={pushNow} disabled={push.busy}>
            Push now
          </button>
        }
      >
        <ErrorNote error={status.error ?? push.error} onRetry={status.reload} />
        {done ? <SuccessNote>{done}</SuccessNote> : null}
        {membership.data.pending > 0 ? <p className="muted">{membership.data.pending === 1 ? '1 figure of this machine waits' : `${membership.data.pending} figures of this machine wait`} to be pushed.</p> : null}
        {!s && status.loading ? <Loading /> : null}
        {s ? <TeamFigures s={s} /> : null}
      </Card>
      {s ? <TeamBudgetForm s={s} onSaved={status.reload} /> : null}
      {s ? <TeamCapsCard s={s} onSaved={status.reload} /> : null}
      <Card title="Leave the team">
        <p className="muted">This machine stops pushing; its figures stay in the team database (they were spent). The password leaves the keychain.</p>
        <div className="form-actions">
          <button type="button" className="btn btn-small btn-secondary" onClick={leaveTeam} disabled={leave.busy}>
            Leave the team
          </button>
        </div>
        <ErrorNote error={leave.error} />
      </Card>
    </div>
  );
}

function TeamFigures({ s }: { s: TeamStatus }) {
  return (
    <>
      <p>
        Today <Money usd={s.day.spentUsd} />
        {s.day.budgetUsd ? <> of <Money usd={s.day.budgetUsd} /> ({s.day.health})</> : null} · this month <Money usd={s.month.spentUsd} />
        {s.month.budgetUsd ? <> of <Money usd={s.month.budgetUsd} /> ({s.month.health})</> : null}
      </p>
      <p className="muted small" data-testid="team-forecast">
        Forecast by month end: <Money usd={s.month.forecastUsd} /> (about <Money usd={s.month.dailyRateUsd} /> a day
        {s.month.forecastBasisDays > 0 ? `, from the last ${s.month.forecastBasisDays} days` : ', from today only'})
        {s.month.runsOutOn ? <>; at this pace the team budget is passed on {s.month.runsOutOn}.</> : '.'}
      </p>
      {s.billedMonthUsd !== '0.00' ? (
        <p className="muted small">
          Organisation bills this month: <Money usd={s.billedMonthUsd} />, counted once. Members&apos; estimates for those days (<Money usd={s.coveredEstimatesMonthUsd} />) are compared, not added.
        </p>
      ) : null}
      {s.members.length === 0 ? <EmptyState title="No figures yet">Members' figures appear here after their first push.</EmptyState> : null}
      {s.members.length > 0 ? (
        <Table columns={['Member', right('Machines'), right('Today'), right('Month'), right('Share'), 'Last push']}>
          {s.members.map((m) => (
            <tr key={m.member}>
              <td>{m.member}</td>
              <td className="right num">{m.machines}</td>
              <td className="right"><Money usd={m.todaySpentUsd} /></td>
              <td className="right"><Money usd={m.monthSpentUsd} /></td>
              <td className="right num">{m.shareBp === null ? '—' : `${(m.shareBp / 100).toFixed(2)} %`}</td>
              <td>{m.lastPushAt ? localDateTime(m.lastPushAt, s.timezone) : 'never'}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {s.providers.length > 0 ? (
        <Table columns={['Provider', right('Today'), right('Month'), right('Cap')]}>
          {s.providers.map((p) => (
            <tr key={p.provider}>
              <td>{providerName(p.provider)}</td>
              <td className="right"><Money usd={p.todaySpentUsd} /></td>
              <td className="right"><Money usd={p.monthSpentUsd} /></td>
              <td className="right">{p.capUsd ? <><Money usd={p.capUsd} /> ({p.capHealth})</> : '—'}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {s.alerts.length > 0 ? (
        <ul className="alert-list">
          {s.alerts.map((a) => (
            <li key={a.id} className={`alert-item level-${a.level}`}>
              {/* The alert list's grid starts with the icon column (as in the Alerts view). */}
              <span className="alert-icon" aria-hidden="true">
                {a.level === 'info' ? <Icon.info /> : <Icon.warning />}
              </span>
              <div className="alert-body">
                <p className="alert-message">{a.message}</p>
                <p className="muted small">{localDateTime(a.firedAt, s.timezone)} · {whenText(a.period)}</p>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function JoinForm({ onJoined }: { onJoined: () => void }) {
  const join = useAction('teamJoin');
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [team, setTeam] = useState('');
  const [member, setMember] = useState('');
  const [orgs, setOrgs] = useState<OrgRow[]>([]);
  const providers = useCall('providers', {}, { refreshOn: [] });
  const names = useProviderNames(providers.data);
  const form = useFieldErrors<'url' | OrgField>(join, { url: 'url' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = form.check({
      url: /^postgres(ql)?:\/\/\S+$/.test(url.trim()) ? undefined : "Paste the team database's URL, starting with postgres://.",
      ...orgProblems(orgs, names),
    });
    if (!ok) return;
    let full = url.trim();
    try {
      const u = new URL(full);
      if (password) u.password = encodeURIComponent(password);
      full = u.toString();
    } catch {
      // The core answers a malformed URL with its own sentence.
    }
    const declared = orgsInput(orgs);
    const r = await join.run({ url: full, ...(team.trim() ? { team: team.trim() } : {}), ...(member.trim() ? { member: member.trim() } : {}), ...(declared ? { orgs: declared } : {}) });
    if (r) onJoined();
  };
  return (
    <Card title="Join a team">
      <p className="muted small">
        A team shares one PostgreSQL database. Each machine keeps its own ledger and pushes its daily totals; the team&apos;s figures count every bill once.
      </p>
      <form ref={form.formRef} onSubmit={submit} noValidate aria-label="Join a team" className="form">
        <Field label="Database URL" hint="postgres://user@host:5432/dbname — add ?sslmode=verify-full for TLS." error={form.errorOf('url')}>
          <input type="text" value={url} onChange={form.onEdit('url', setUrl)} placeholder="postgres://burnrate_member@db.example.com:5432/burnrate" />
        </Field>
        <Field label="Password" hint="Kept in the system keychain, never in the ledger.">
          <input type="password" value={password} onChange={(e) => (setPassword(e.target.value), form.edited())} autoComplete="off" />
        </Field>
        <Field label="Team" hint="Created if it is new. Default: team.">
          <input type="text" value={team} onChange={(e) => (setTeam(e.target.value), form.edited())} />
        </Field>
        <Field label="Your name in the team" hint="Default: your login name.">
          <input type="text" value={member} onChange={(e) => (setMember(e.target.value), form.edited())} />
        </Field>
        <TeamOrgRows
          rows={orgs}
          providers={(providers.data?.providers ?? []).map((p) => ({ provider: p.provider, name: providerName(p.provider, names) }))}
          onChange={(rows, edited) => (setOrgs(rows), form.edited(edited))}
          errorOf={form.errorOf}
        />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={join.busy}>
            Join
          </button>
        </div>
        <ErrorNote error={form.refusal} />
      </form>
    </Card>
  );
}

function TeamBudgetForm({ s, onSaved }: { s: TeamStatus; onSaved: () => void }) {
  const save = useAction('teamBudgetSet');
  const [daily, setDaily] = useState(s.budgets.dailyUsd ?? '');
  const [monthly, setMonthly] = useState(s.budgets.monthlyUsd ?? '');
  const [reserve, setReserve] = useState(String(s.budgets.reservePct));
  const [enforce, setEnforce] = useState(s.budgets.enforce);
  const form = useFieldErrors<'daily' | 'monthly' | 'reserve'>(save, { daily: 'daily', monthly: 'monthly', reservePct: 'reserve' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const hasBudget = typedUsd(daily) !== '' || typedUsd(monthly) !== '';
    const ok = form.check({
      daily: usdProblem(daily, 'daily team budget', true),
      monthly: usdProblem(monthly, 'monthly team budget', true),
      // The team keeps its reserve with its daily and monthly budgets (src/team/budgets.ts): without
      // either, a new reserve would be dropped without a word.
      reserve:
        reservePctProblem(reserve) ??
        (!hasBudget && reservePctOf(reserve) !== s.budgets.reservePct ? 'Set a daily or monthly team budget too: the reserve is held back from them.' : undefined),
    });
    if (!ok) return;
    const r = await save.run({ daily: typedUsd(daily) || null, monthly: typedUsd(monthly) || null, ...(hasBudget ? { reservePct: reserve.trim().replace(/%$/, '') } : {}), enforce });
    if (r) {
      form.setDone(`Saved the team's budgets${hasBudget ? `, with a reserve of ${r.budgets.reservePct}%` : ''}.`);
      onSaved();
    }
  };
  const example = s.month.budgetUsd && s.month.reserveUsd ? ` Now ${formatMoney(s.month.reserveUsd)} of the ${formatMoney(s.month.budgetUsd)} a month waits for emergencies.` : '';
  return (
    <Card title="Team budgets">
      <form ref={form.formRef} onSubmit={submit} noValidate aria-label="Team budgets" className="form">
        <Field label="Daily team budget (USD)" hint="Leave empty for none." error={form.errorOf('daily')}>
          <input type="text" inputMode="decimal" value={daily} onChange={form.onEdit('daily', setDaily)} placeholder="20.00" />
        </Field>
        <Field label="Monthly team budget (USD)" hint="Leave empty for none." error={form.errorOf('monthly')}>
          <input type="text" inputMode="decimal" value={monthly} onChange={form.onEdit('monthly', setMonthly)} placeholder="500.00" />
        </Field>
        <Field label="Team reserve (%)" hint={`Held back from each team budget for emergencies.${example}`} error={form.errorOf('reserve')}>
          <input type="text" inputMode="decimal" value={reserve} onChange={form.onEdit('reserve', setReserve)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={enforce} onChange={(e) => (setEnforce(e.target.checked), form.edited())} />
          Members&apos; metering proxies refuse requests past the team budget
        </label>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.busy}>
            Save team budgets
          </button>
        </div>
        <ErrorNote error={form.refusal} />
        {form.done ? <SuccessNote>{form.done}</SuccessNote> : null}
      </form>
    </Card>
  );
}
