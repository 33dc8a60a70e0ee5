import { useMemo, useState, type FormEvent } from 'react';
import type { UsageRow } from '../../../../src/api/contract';
import { Card, EmptyState, ErrorNote, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { Money } from '../../components/Money';
import { ViewLink } from '../../components/ViewLink';
import { providerName, sourceLabel } from '../../components/providers';
import { ProviderSelect } from '../../components/ProviderSelect';
import { right, secondary, Table } from '../../components/Table';
import { dayRangeProblem, localDateTime } from '../../format/time';
import { formatCount } from '../../format/numbers';
import { useCall } from '../../hooks/useCall';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useProviderNames } from '../../hooks/useProviderNames';
import { SpendSummaryCard } from './SpendSummaryCard';

const SOURCES = ['billing_api', 'odometer', 'balance', 'subscription', 'manual', 'proxy', 'agent_log'];
const PAGE_SIZES = [50, 100, 200];

interface Filters {
  provider: string;
  model: string;
  project: string;
  source: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { provider: '', model: '', project: '', source: '', from: '', to: '' };

function compact(f: Filters) {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()])) as Partial<Filters>;
}

/**
 * Usage rows, newest first. Paged on the server by cursor (never all rows at once), so it stays
 * quick with a million rows: one page in memory, and a stack of the cursors that led here for
 * "Newer".
 */
export function History() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [limit, setLimit] = useState(50);
  const [cursors, setCursors] = useState<string[]>([]);
  const form = useFieldErrors<'from'>();
  const before = cursors.at(-1);
  const page = useCall('history', { ...compact(filters), limit, ...(before ? { before } : {}) });
  const providers = useCall('providers', {}, { refreshOn: [] });
  const status = useCall('status', {}, { refreshOn: [] });
  const names = useProviderNames(providers.data);
  const providerChoices = useMemo(() => {
    const set = new Set<string>([...(status.data?.providers ?? []).map((p) => p.provider), ...(providers.data?.providers ?? []).filter((p) => p.configured).map((p) => p.provider)]);
    return [...set].sort();
  }, [status.data, providers.data]);

  // New filters or page size start again at the newest page.
  const apply = (event: FormEvent) => {
    event.preventDefault();
    // Said at From, as Export says it, rather than an empty "no rows match" for a range no day is in.
    if (!form.check({ from: dayRangeProblem(draft.from, draft.to) })) return;
    setCursors([]);
    setFilters(draft);
  };
  const reset = () => {
    form.edited();
    setCursors([]);
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
  };
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => {
    if (key === 'from' || key === 'to') form.edited('from');
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  };
  const rows = page.data?.rows ?? [];
  const pageIndex = cursors.length;
  const first = pageIndex * limit + 1;
  const filtered = Object.values(filters).some((v) => v.trim() !== '');

  return (
    <div className="stack">
      <SpendSummaryCard today={status.data?.day.date} names={names} />
      <Card>
        <form ref={form.formRef} className="filters" onSubmit={apply} noValidate aria-label="Filter usage rows">
          <Field label="Provider">
            <ProviderSelect providers={providerChoices.map((p) => ({ provider: p, name: providerName(p, names) }))} anyLabel="All providers" value={draft.provider} onChange={(provider) => setDraft((d) => ({ ...d, provider }))} />
          </Field>
          <Field label="Model">
            <input type="text" value={draft.model} onChange={set('model')} placeholder="part, e.g. gpt" />
          </Field>
          <Field label="Project">
            <input type="text" value={draft.project} onChange={set('project')} placeholder="any" />
          </Field>
          <Field label="Source">
            <select value={draft.source} onChange={set('source')}>
              <option value="">All sources</option>
              {SOURCES.map((s) => (
                <option key={s} value={s}>
                  {sourceLabel(s)}
                </option>
              ))}
            </select>
          </Field>
          <Field label="From" error={form.errorOf('from')}>
            <input type="date" value={draft.from} onChange={set('from')} />
          </Field>
          <Field label="To">
            <input type="date" value={draft.to} onChange={set('to')} />
          </Field>
          <div className="filters-actions">
            <button type="submit" className="btn btn-primary">
              Apply
            </button>
            <button type="button" className="btn btn-ghost" onClick={reset} disabled={!filtered && Object.values(draft).every((v) => v === '')}>
              Clear
            </button>
          </div>
        </form>
      </Card>
      <Card
        title={page.data && page.fresh ? `${formatCount(page.data.total)} ${page.data.total === 1 ? 'row' : 'rows'}${filtered ? ' match' : ''}` : 'Rows'}
        actions={
          <label className="inline-field">
            Rows per page
            <select value={limit} onChange={(e) => {
              setCursors([]);
              setLimit(Number(e.target.value));
            }}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <ErrorNote error={page.error} onRetry={page.reload} />
        {page.data && page.fresh && page.data.total > 0 ? (
          <p className="history-total" data-testid="history-total">
            {filtered ? 'Total of the matching rows' : 'Total of all rows'}: <Money usd={page.data.totalCostUsd} />
            {page.data.unpricedRows > 0 ? <span className="text-warn"> · {formatCount(page.data.unpricedRows)} unpriced, not in the total</span> : null}
          </p>
        ) : null}
        {!page.data && page.loading ? <Loading /> : null}
        {page.data && rows.length === 0 ? (
          filtered ? (
            <EmptyState title="No rows match these filters" action={<button type="button" className="btn btn-secondary" onClick={reset}>Clear the filters</button>} />
          ) : (
            <EmptyState title="No usage recorded yet">
              Rows appear when a provider syncs (add a key under Accounts & keys), when you enter readings, or when you{' '}
              <ViewLink to={{ surface: 'window', view: 'readings', action: 'record' }} surface="window" className="link">
                record usage by hand
              </ViewLink>
              .
            </EmptyState>
          )
        ) : null}
        {rows.length > 0 ? (
          // A box of its own (components.css): a narrow window scrolls the columns inside the card, with its scrollbar in view.
          <div className="history-rows">
            <UsageTable rows={rows} names={names} timeZone={status.data?.timezone} stale={!page.fresh} />
          </div>
        ) : null}
        {page.data && rows.length > 0 ? (
          <nav className="pager" aria-label="Pages">
            <span className="muted num">
              {formatCount(first)}–{formatCount(first + rows.length - 1)} of {formatCount(page.data.total)}
            </span>
            <div className="pager-buttons">
              <button type="button" className="btn btn-secondary" disabled={pageIndex === 0} onClick={() => setCursors([])}>
                Newest
              </button>
              <button type="button" className="btn btn-secondary" disabled={pageIndex === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                ← Newer
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                disabled={!page.data.nextCursor}
                onClick={() => page.data?.nextCursor && setCursors((c) => [...c, page.data!.nextCursor!])}
              >
                Older →
              </button>
            </div>
          </nav>
        ) : null}
      </Card>
    </div>
  );
}

function UsageTable({ rows, names, timeZone, stale }: { rows: UsageRow[]; names: ReadonlyMap<string, string>; timeZone: string | undefined; stale: boolean }) {
  return (
    // Cost comes before the detail (source, project, tokens): a narrow window that scrolls sideways still shows the money.
    <Table stale={stale} columns={['When', 'Provider', 'Model', right('Cost'), 'Source', 'Project', right('Input'), right('Output'), secondary(right('Cached'))]}>
      {rows.map((r) => (
        <tr key={r.id}>
          <td className="nowrap num" title={r.occurredAt}>
            {localDateTime(r.occurredAt, timeZone)}
          </td>
          <td className="nowrap">{providerName(r.provider, names)}</td>
          {/* A row with no model (a fee, a balance) shows the same dash as its other empty cells, not a monospace one. */}
          <td className={r.model ? 'mono' : undefined}>
            <span className="clip" title={r.model}>
              {r.model || <span className="muted">—</span>}
            </span>
          </td>
          <td className="right">
            {r.costUsd === null ? (
              <ViewLink to={{ surface: 'window', view: 'prices', action: 'price', model: r.model }} surface="window" className="text-warn" title="No price for this model: set one under Prices">
                unpriced
              </ViewLink>
            ) : (
              <Money usd={r.costUsd} />
            )}
          </td>
          <td>
            <span className={`source source-${r.source}`}>{sourceLabel(r.source)}</span>
          </td>
          <td>
            {/* Clipped inside the cell: a long project name never pushes the token counts off the card. */}
            <span className="clip" title={r.project}>
              {r.project || <span className="muted">—</span>}
            </span>
          </td>
          <td className="right num">{r.inputTokens ? formatCount(r.inputTokens) : '—'}</td>
          <td className="right num">{r.outputTokens ? formatCount(r.outputTokens) : '—'}</td>
          <td className="right num">{r.cachedInputTokens ? formatCount(r.cachedInputTokens) : '—'}</td>
        </tr>
      ))}
    </Table>
  );
}
