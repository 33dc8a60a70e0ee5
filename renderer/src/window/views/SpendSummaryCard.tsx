import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SpendSummary, SummaryGroupBy } from '../../../../src/api/contract';
import { Choice } from '../../components/Choice';
import { Card, EmptyState, ErrorNote, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { Money } from '../../components/Money';
import { providerName } from '../../components/providers';
import { summaryGroupLabel } from '../../components/summary-labels';
import { right, secondary, Table } from '../../components/Table';
import { ViewLink } from '../../components/ViewLink';
import { percentOf } from '../../format/money';
import { formatCount, formatPct } from '../../format/numbers';
import { addDaysIso, dayRangeProblem } from '../../format/time';
import { useCall } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';

// Every grouping the contract has (the Record's type refuses one left out), in the CLI's order of --by.
const GROUP_LABEL: Record<SummaryGroupBy, string> = { provider: 'Provider', model: 'Model', project: 'Project', agent: 'Agent', day: 'Day' };
const GROUPS = (Object.keys(GROUP_LABEL) as SummaryGroupBy[]).map((value) => ({ value, label: GROUP_LABEL[value] }));

interface Range {
  from: string;
  to: string;
}

/** Ranges a click away, ending on `today` (the core's local day); From and To take any other. */
function presets(today: string): { value: string; label: string; range: Range }[] {
  const monthStart = `${today.slice(0, 7)}-01`;
  const lastMonthEnd = addDaysIso(monthStart, -1);
  return [
    { value: 'month', label: 'This month', range: { from: monthStart, to: today } },
    { value: 'last-month', label: 'Last month', range: { from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd } },
    { value: '30d', label: 'Last 30 days', range: { from: addDaysIso(today, -29), to: today } },
  ];
}

/**
 * Counted spend of a range grouped by provider, model, project, agent or day: what `summary --from
 * --to --by` prints, through the same spendSummary method. Empty From and To ask for the method's
 * own default (this month to today), and show the days it chose.
 */
export function SpendSummaryCard({ today, names }: { today: string | undefined; names: ReadonlyMap<string, string> }) {
  const [by, setBy] = useState<SummaryGroupBy>('provider');
  const [range, setRange] = useState<Range>({ from: '', to: '' });
  const [draft, setDraft] = useState<Range>({ from: '', to: '' });
  const form = useFieldErrors<'from'>();
  const asked = { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}), groupBy: by };
  const summary = useCall('spendSummary', asked);
  const s = summary.data;

  // The fields show the days the method chose for an empty range, until the user types.
  const typed = useRef(false);
  useEffect(() => {
    if (s && !typed.current) setDraft({ from: s.from, to: s.to });
  }, [s]);

  const show = (next: Range) => {
    typed.current = true;
    form.edited('from');
    setDraft(next);
    setRange(next);
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!form.check({ from: dayRangeProblem(draft.from, draft.to) })) return;
    typed.current = true;
    setRange(draft);
  };
  const edit = (key: keyof Range) => (e: { target: { value: string } }) => {
    typed.current = true;
    form.edited('from');
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  };
  const quick = today ? presets(today) : [];
  const picked = s ? (quick.find((p) => p.range.from === s.from && p.range.to === s.to)?.value ?? '') : '';

  return (
    <Card title="Spend summary" className="summary-card" actions={<Choice label="Group by" options={GROUPS} value={by} onChange={setBy} />}>
      <form ref={form.formRef} className="form-row summary-range" onSubmit={apply} noValidate aria-label="Summary range">
        <Field label="From" error={form.errorOf('from')}>
          <input type="date" value={draft.from} onChange={edit('from')} />
        </Field>
        <Field label="To">
          <input type="date" value={draft.to} onChange={edit('to')} />
        </Field>
        <button type="submit" className="btn btn-secondary">
          Show
        </button>
        {quick.length > 0 ? <Choice label="Range" options={quick} value={picked} onChange={(v) => show(quick.find((p) => p.value === v)!.range)} /> : null}
      </form>
      <ErrorNote error={summary.error} onRetry={summary.reload} />
      {!s && summary.loading ? <Loading /> : null}
      {s ? <SummaryFigures s={s} names={names} stale={!summary.fresh} /> : null}
    </Card>
  );
}

/** A token count, or a dash where the group has none (fees, readings and billed buckets carry no tokens), as the usage rows show it. */
const tokens = (n: number) => (n ? formatCount(n) : '—');

/** A group's cost; a group of events without a price only is "Unpriced", never $0.00, and a mixed one says how many lack one. */
function GroupCost({ g }: { g: SpendSummary['groups'][number] }) {
  if (g.unpricedEvents > 0 && g.unpricedEvents === g.events) {
    return (
      <span className="text-warn" title="No price is known for these events: give the model a price under Prices">
        Unpriced
      </span>
    );
  }
  return (
    <>
      <Money usd={g.costUsd} />
      {g.unpricedEvents > 0 ? <span className="summary-provider text-warn">+ {formatCount(g.unpricedEvents)} unpriced</span> : null}
    </>
  );
}

function SummaryFigures({ s, names, stale }: { s: SpendSummary; names: ReadonlyMap<string, string>; stale: boolean }) {
  return (
    <>
      <p className="history-total" data-testid="summary-total">
        Total from {s.from} to {s.to}: <Money usd={s.totalUsd} />
        {s.unpricedEvents > 0 ? (
          <>
            {' · '}
            <ViewLink to={{ surface: 'window', view: 'prices' }} surface="window" className="text-warn" title="Give these models a price under Prices">
              {formatCount(s.unpricedEvents)} unpriced, not in the total
            </ViewLink>
          </>
        ) : null}
      </p>
      {s.groups.length === 0 ? (
        <EmptyState title="Nothing counted in this range">Pick other days, or another grouping.</EmptyState>
      ) : (
        // Its own scrolling box, as the usage rows': a day grouping of a long range stays inside the card.
        <div className="summary-rows">
          <Table stale={stale} columns={[GROUP_LABEL[s.groupBy], right('Cost'), right('Share'), right('Events'), secondary(right('Input')), secondary(right('Output'))]}>
            {s.groups.map((g) => (
              <tr key={`${g.provider ?? ''}/${g.key}`}>
                <td className={s.groupBy === 'day' ? 'num nowrap' : undefined}>
                  <span className={`clip${s.groupBy === 'model' && g.key ? ' mono' : ''}`} title={g.key}>
                    {summaryGroupLabel(s.groupBy, g, names)}
                  </span>
                  {/* A model is named with its provider (the CLI's provider column), on a line of its own to keep the table narrow. */}
                  {s.groupBy === 'model' && g.key && g.provider ? <span className="summary-provider">{providerName(g.provider, names)}</span> : null}
                </td>
                <td className="right">
                  <GroupCost g={g} />
                </td>
                <td className="right num">{formatPct(percentOf(g.costUsd, s.totalUsd))}</td>
                <td className="right num">{formatCount(g.events)}</td>
                <td className="right num">{tokens(g.inputTokens)}</td>
                <td className="right num">{tokens(g.outputTokens)}</td>
              </tr>
            ))}
          </Table>
        </div>
      )}
    </>
  );
}
