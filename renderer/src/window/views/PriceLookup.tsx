import { useState, type FormEvent } from 'react';
import type { PerMillionUsd, PriceEntryView, PriceList } from '../../../../src/api/contract/pricing';
import { Card, ErrorNote, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { exactUsd } from '../../components/PriceCatalogue';
import { providerName } from '../../components/providers';
import { right, Table } from '../../components/Table';
import { formatCount } from '../../format/numbers';
import { whenText } from '../../format/time';
import { useCall } from '../../hooks/useCall';

/** A price, or what a missing one means (billed as input). */
const perMillion = (usd: string | null) => (usd === null ? <span className="muted">as input</span> : exactUsd(usd));

/** One row per way a token is billed; a tier or the off-peak hours add a column each. */
function PriceTable({ columns }: { columns: { label: string; prices: PerMillionUsd }[] }) {
  const kinds: [string, (p: PerMillionUsd) => string | null][] = [
    ['Input', (p) => p.input],
    ['Output', (p) => p.output],
    ['Cached input', (p) => p.cachedInput],
    ['Cache write', (p) => p.cacheWrite],
  ];
  return (
    <Table columns={['USD per million tokens', ...columns.map((c) => right(c.label))]}>
      {kinds.map(([kind, of]) => (
        <tr key={kind}>
          <td>{kind}</td>
          {columns.map((c) => (
            <td key={c.label} className="right num">
              {perMillion(of(c.prices))}
            </td>
          ))}
        </tr>
      ))}
    </Table>
  );
}

/** What the catalogue (or the user's own price) says for one model, as `prices show MODEL` prints it. */
function PriceCard({ list, bundled }: { list: PriceList; bundled: PriceEntryView | undefined }) {
  const entry = list.entries[0];
  if (!entry) return null;
  const columns = [
    { label: entry.timeOfDay ? 'Peak' : 'Price', prices: entry.perMillion },
    ...entry.tiers.map((t) => ({ label: `Prompts over ${formatCount(t.aboveTokens)} tokens`, prices: t.perMillion })),
    ...(entry.timeOfDay ? [{ label: 'Off-peak', prices: entry.timeOfDay.offPeak }] : []),
  ];
  return (
    <div className="stack" data-testid="price-lookup-result">
      <p>
        <strong>{providerName(entry.provider)}</strong> <span className="mono">{entry.model}</span>
        {list.match ? <span className="muted small"> · {list.match.explanation}</span> : null}
      </p>
      <PriceTable columns={columns} />
      {entry.timeOfDay ? <p className="small muted">{entry.timeOfDay.rule}</p> : null}
      {entry.origin === 'override' ? (
        <p className="small">
          Your own price applies
          {bundled ? `; it replaces the bundled ${exactUsd(bundled.perMillion.input)} in / ${exactUsd(bundled.perMillion.output)} out per million tokens.` : '; the catalogue has no price of its own for it.'}
        </p>
      ) : (
        <p className="small muted">
          From {entry.source}, as of {whenText(entry.asOf)}.{entry.confidence !== 'confirmed' ? ` Confidence: ${entry.confidence}.` : ''} Your own price, set below, would replace it.
        </p>
      )}
      {entry.notes.map((n) => (
        <p key={n} className="small muted">
          {n}
        </p>
      ))}
    </div>
  );
}

/**
 * Look a model up in the price catalogue: its prices per million tokens (tiers and time of day
 * included), where they come from, and whether your own price replaces them.
 */
export function PriceLookup({ entries }: { entries: readonly PriceEntryView[] }) {
  const [draft, setDraft] = useState('');
  const [model, setModel] = useState('');
  const found = useCall('prices', { model }, { skip: !model, refreshOn: [] });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setModel(draft.trim());
  };
  const result = found.fresh ? found.data : undefined;
  const bundled = result?.entries[0] ? entries.find((e) => e.origin === 'bundled' && e.provider === result.entries[0]!.provider && e.model === result.entries[0]!.model) : undefined;
  const missing = found.error?.reason === 'no_price_for_model';
  return (
    <Card title="Look up a price">
      <form className="action-form" onSubmit={submit} aria-label="Look up a price">
        <div className="form-row">
          <Field label="Model name" className="grow" hint="As your usage names it; a snapshot or another name finds its entry.">
            <input type="text" autoComplete="off" spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} />
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-secondary" disabled={!draft.trim()}>
            Look up
          </button>
        </div>
      </form>
      {model && found.loading && !result ? <Loading /> : null}
      {missing ? (
        <p className="note note-info">Burnrate has no price for {model}: its usage stays unpriced until you set a price for it below.</p>
      ) : (
        <ErrorNote error={found.error} />
      )}
      {result ? <PriceCard list={result} bundled={bundled} /> : null}
    </Card>
  );
}
