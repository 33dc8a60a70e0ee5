import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { BudgetPeriodView, BudgetView, CapView } from '../../../../src/api/contract/budget';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { FormFooter } from '../../components/FormFooter';
import { BudgetMeter, HealthBadge } from '../../components/Health';
import { Money } from '../../components/Money';
import { ProviderSelect } from '../../components/ProviderSelect';
import { providerName } from '../../components/providers';
import { ACTIONS, right, Table } from '../../components/Table';
import { formatMoney, isUsdString, subUsd, toNano } from '../../format/money';
import { useAction, useCall } from '../../hooks/useCall';
import { useHashRoute } from '../../hooks/useHashRoute';
import { SaveButton } from '../../components/SaveButton';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useProviderNames } from '../../hooks/useProviderNames';
import { useOpenedBy } from '../../components/actions/useOpenedBy';
import { OverridesCard, PolicyCard } from './BudgetPolicies';
import { noteOf, useNoteTurn, type NoteTurn } from './noteTurn';
import { capRemovedNote, capSetNote, CapCells, ProjectCapsCard, useFocusAfterRemoval } from './ProjectCaps';

/** "2.00" → "2.00"; "" → null (no budget); anything else → an error sentence. */
function budgetField(raw: string, what: string): { value: string | null } | { error: string } {
  const text = raw.trim().replace(/^\$/, '');
  if (text === '') return { value: null };
  if (!isUsdString(text) || text.startsWith('-')) return { error: `Enter the ${what} in US dollars such as 2.00, or leave it empty for none.` };
  return { value: text };
}

function sameAmount(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return toNano(a) === toNano(b);
}

/** The daily and monthly budgets, the reserve, provider caps and prepaid runway. */
export function Budgets() {
  const budget = useCall('budgetShow', {}, { refreshOn: ['statusChanged', 'alertFired'] });
  const providers = useCall('providers', {}, { refreshOn: [] });
  // Each cap's policy row names its provider as every other view does (a subscription by its typed name).
  const names = useProviderNames(providers.data);
  // One card's success note at a time (noteTurn.ts).
  const turn = useNoteTurn();
  const b = budget.data;
  return (
    <div className="stack">
      <ErrorNote error={budget.error} onRetry={budget.reload} />
      {!b && budget.loading ? <Loading /> : null}
      {b ? (
        <>
          <div className="grid grid-2">
            <BudgetForm view={b} onSaved={budget.reload} turn={turn} />
            <Card title="Where the budgets stand">
              <PeriodRow title="Today" period={b.day} />
              <PeriodRow title="This month" period={b.month} />
              <dl className="facts">
                <div>
                  <dt>Month forecast</dt>
                  <dd>
                    <Money usd={b.month.forecast.forecastUsd} />
                  </dd>
                </div>
                <div>
                  <dt>Average day</dt>
                  <dd>
                    <Money usd={b.month.forecast.dailyRateUsd} />
                  </dd>
                </div>
                <div>
                  <dt>Runs out</dt>
                  <dd>{b.month.forecast.runsOutOn ?? '—'}</dd>
                </div>
              </dl>
            </Card>
          </div>
          <CapsCard view={b} onSaved={budget.reload} turn={turn} />
          <ProjectCapsCard view={b} onSaved={budget.reload} turn={turn} />
          <div className="grid grid-2">
            <PolicyCard view={b} names={names} onSaved={budget.reload} turn={turn} />
            <OverridesCard view={b} turn={turn} />
          </div>
          {b.runway.length > 0 ? <RunwayCard view={b} /> : null}
        </>
      ) : null}
    </div>
  );
}

function PeriodRow({ title, period }: { title: string; period: BudgetPeriodView }) {
  return (
    <div className="period">
      <div className="period-head">
        <strong>{title}</strong>
        <HealthBadge health={period.health} />
      </div>
      {period.budgetUsd ? (
        <>
          <BudgetMeter label={`${title} against its budget`} spent={period.spentUsd} budget={period.budgetUsd} reserve={period.reserveUsd} health={period.health} />
          <p className="period-figures small">
            <Money usd={period.spentUsd} /> spent of <Money usd={period.spendableUsd} /> spendable ·{' '}
            {toNano(period.spentUsd) > toNano(period.budgetUsd) ? (
              <span className="text-bad">
                <Money usd={subUsd(period.spentUsd, period.budgetUsd)} /> over the whole budget
              </span>
            ) : period.leftUsd?.startsWith('-') ? (
              <span className="text-bad">
                <Money usd={period.leftUsd.slice(1)} /> into the reserve
              </span>
            ) : (
              <>
                <Money usd={period.leftUsd} /> left
              </>
            )}
          </p>
        </>
      ) : (
        <p className="muted small">
          No budget: <Money usd={period.spentUsd} /> spent.
        </p>
      )}
    </div>
  );
}

/**
 * What the reserve does, with the saved figures (so it follows every save): the daily budget's, else
 * the monthly one's, else in general. Never the field's placeholder: with no daily budget, "with
 * $2.00 a day" described a budget that does not exist.
 */
export function reserveHint(view: Pick<BudgetView, 'reservePct' | 'day' | 'month'>): string {
  for (const [period, per] of [
    [view.day, 'a day'],
    [view.month, 'a month'],
  ] as const) {
    const { budgetUsd, spendableUsd, reserveUsd } = period;
    if (budgetUsd && spendableUsd && reserveUsd) {
      return `Held back from each budget: with ${formatMoney(budgetUsd)} ${per} and ${view.reservePct}%, ${formatMoney(spendableUsd)} is spendable and ${formatMoney(reserveUsd)} waits for emergencies.`;
    }
  }
  return `Held back from each budget you set: ${view.reservePct}% of it waits for emergencies, the rest is spendable.`;
}

function BudgetForm({ view, onSaved, turn }: { view: BudgetView; onSaved: () => void; turn: NoteTurn }) {
  const [daily, setDaily] = useState(view.day.budgetUsd ?? '');
  const [monthly, setMonthly] = useState(view.month.budgetUsd ?? '');
  const [reserve, setReserve] = useState(String(view.reservePct));
  const save = useAction('budgetSet');
  const form = useFieldErrors<'daily' | 'monthly' | 'reserve'>(save, { daily: 'daily', monthly: 'monthly', reservePct: 'reserve' });
  const say = (text: string) => {
    form.setDone(text);
    turn.take('budgets');
  };

  // Figures changed elsewhere (the CLI, another window) show up in the fields the user has not
  // edited; a field being typed in keeps what was typed. Compared with the figures last shown, not
  // run on mount: a first effect that ran after the user's first keystroke wiped it.
  const shown = useRef({ daily: view.day.budgetUsd ?? '', monthly: view.month.budgetUsd ?? '', reserve: String(view.reservePct) });
  useEffect(() => {
    const next = { daily: view.day.budgetUsd ?? '', monthly: view.month.budgetUsd ?? '', reserve: String(view.reservePct) };
    const before = shown.current;
    shown.current = next;
    const follow = (was: string, now: string) => (draft: string) => (draft === was ? now : draft);
    setDaily(follow(before.daily, next.daily));
    setMonthly(follow(before.monthly, next.monthly));
    setReserve(follow(before.reserve, next.reserve));
  }, [view.day.budgetUsd, view.month.budgetUsd, view.reservePct]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const d = budgetField(daily, 'daily budget');
    const m = budgetField(monthly, 'monthly budget');
    const r = reserve.trim();
    const ok = form.check({
      daily: 'error' in d ? d.error : undefined,
      monthly: 'error' in m ? m.error : undefined,
      // The same range the CLI and the server take: 0 to 100, up to two decimals, "%" optional.
      reserve: !/^\d{1,3}(\.\d{1,2})?%?$/.test(r) || Number(r.replace(/%$/, '')) > 100 ? 'Enter a percentage from 0 to 100, such as 20.' : undefined,
    });
    if (!ok || 'error' in d || 'error' in m) return;
    const input: { daily?: string | null; monthly?: string | null; reservePct?: string } = {};
    if (!sameAmount(d.value, view.day.budgetUsd)) input.daily = d.value;
    if (!sameAmount(m.value, view.month.budgetUsd)) input.monthly = m.value;
    if (Number(r.replace(/%$/, '')) !== view.reservePct) input.reservePct = r.replace(/%$/, '');
    if (Object.keys(input).length === 0) {
      say('Nothing changed.');
      return;
    }
    const result = await save.run(input);
    if (!result) return;
    const parts: string[] = [];
    // As stored, to the last digit typed: "$6.00" for a budget of $6.005 would misstate it.
    if ('daily' in input) parts.push(result.day.budgetUsd ? `daily budget ${formatMoney(result.day.budgetUsd, { exact: true })}` : 'no daily budget');
    if ('monthly' in input) parts.push(result.month.budgetUsd ? `monthly budget ${formatMoney(result.month.budgetUsd, { exact: true })}` : 'no monthly budget');
    if ('reservePct' in input) parts.push(`reserve ${result.reservePct}%`);
    say(`Saved: ${parts.join(', ')}.`);
    onSaved();
  };

  return (
    <Card title="Budgets">
      <form ref={form.formRef} onSubmit={submit} noValidate aria-label="Budgets" className="form">
        <Field label="Daily budget (USD)" hint="Leave empty for no daily budget." error={form.errorOf('daily')}>
          <input type="text" inputMode="decimal" value={daily} onChange={form.onEdit('daily', setDaily)} placeholder="2.00" />
        </Field>
        <Field label="Monthly budget (USD)" hint="Leave empty for no monthly budget." error={form.errorOf('monthly')}>
          <input type="text" inputMode="decimal" value={monthly} onChange={form.onEdit('monthly', setMonthly)} placeholder="50.00" />
        </Field>
        <Field label="Emergency reserve (%)" hint={reserveHint(view)} error={form.errorOf('reserve')}>
          <input type="text" inputMode="decimal" value={reserve} onChange={form.onEdit('reserve', setReserve)} />
        </Field>
        <FormFooter busy={save.busy} refusal={form.refusal} done={noteOf(turn, 'budgets', form.done)}>
          Save budgets
        </FormFooter>
      </form>
    </Card>
  );
}

function CapsCard({ view, onSaved, turn }: { view: BudgetView; onSaved: () => void; turn: NoteTurn }) {
  const providers = useCall('providers', {}, { refreshOn: [] });
  // A cap's warning links here (`?action=cap&provider=groq`): that cap is picked and shown.
  const route = useHashRoute();
  const opened = route.surface === 'window' && route.action === 'cap' ? route.provider : undefined;
  const [provider, setProvider] = useState(opened ?? '');
  const [amount, setAmount] = useState(() => view.caps.find((c) => c.provider === opened)?.capUsd ?? '');
  const cardRef = useOpenedBy<HTMLDivElement>(opened !== undefined, providers.data !== undefined);
  const save = useAction('budgetSet');
  const form = useFieldErrors<'amount'>(save, { monthly: 'amount' });
  const names = useProviderNames(providers.data);
  const choices = providers.data?.providers ?? [];
  const chosen = provider || choices[0]?.provider || '';
  const focus = useFocusAfterRemoval(cardRef, view.caps.map((c) => c.provider));
  const title = (p: string) => `${providerName(p, names)} cap`;
  const say = (text: string) => {
    form.setDone(text);
    turn.take('caps');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const a = budgetField(amount, 'monthly cap');
    if (!form.check({ amount: 'error' in a ? a.error : a.value === null ? 'Enter the monthly cap in US dollars, such as 10.00.' : undefined }) || 'error' in a || a.value === null) return;
    const was = view.caps.find((c) => c.provider === chosen)?.capUsd;
    const result = await save.run({ provider: chosen, monthly: a.value });
    if (!result) return;
    setAmount('');
    say(capSetNote(title(chosen), result.caps.find((c) => c.provider === chosen)?.capUsd ?? a.value, was));
    onSaved();
  };
  const remove = async (cap: CapView): Promise<boolean> => {
    form.setDone(undefined);
    focus.removing(cap.provider);
    if (!(await save.run({ provider: cap.provider, monthly: null }))) {
      focus.failed();
      return false;
    }
    say(capRemovedNote(title(cap.provider), cap.capUsd));
    onSaved();
    return true;
  };

  return (
    <div ref={cardRef} id="caps">
    <Card title="Provider caps">
      {view.caps.length === 0 ? (
        <EmptyState title="No caps">A cap limits one provider's spend in a month; you get an alert as it nears the cap.</EmptyState>
      ) : (
        <Table columns={['Provider', right('Spent'), right('Cap'), right('Used'), 'Health', ACTIONS]}>
          {view.caps.map((c) => (
            <tr key={c.provider} className={c.provider === opened ? 'row-focus' : undefined}>
              <td>{providerName(c.provider, names)}</td>
              <CapCells cap={c} title={title(c.provider)} busy={save.busy} onRemove={() => remove(c)} />
            </tr>
          ))}
        </Table>
      )}
      <form ref={form.formRef} className="form-row" onSubmit={submit} noValidate aria-label="Add a provider cap">
        <Field label="Provider">
          <ProviderSelect providers={choices} value={chosen} onChange={(next) => (setProvider(next), form.edited())} />
        </Field>
        <Field label="Monthly cap (USD)" error={form.errorOf('amount')}>
          <input type="text" inputMode="decimal" value={amount} onChange={form.onEdit('amount', setAmount)} placeholder="10.00" />
        </Field>
        <SaveButton busy={save.busy} disabled={!chosen}>
          Set cap
        </SaveButton>
      </form>
      <ErrorNote error={form.refusal} />
      {noteOf(turn, 'caps', form.done) ? <SuccessNote>{form.done}</SuccessNote> : null}
    </Card>
    </div>
  );
}

function RunwayCard({ view }: { view: BudgetView }) {
  return (
    <Card title="Prepaid runway">
      <Table columns={['Provider', right('Balance'), right('Per day'), right('Lasts'), 'Runs out']}>
        {view.runway.map((r) => (
          <tr key={r.provider}>
            <td>{providerName(r.provider)}</td>
            <td className="right">
              <Money usd={r.balanceUsd} />
            </td>
            <td className="right">
              <Money usd={r.dailyBurnUsd} />
            </td>
            <td className="right num">{r.days === null ? '—' : `${r.days} ${r.days === 1 ? 'day' : 'days'}`}</td>
            <td className="num">{r.runsOutOn ?? '—'}</td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}
