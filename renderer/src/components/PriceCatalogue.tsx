import { useMemo, useState } from 'react';
import type { PriceEntryView, PriceList } from '../../../src/api/contract/pricing';
import { formatCount } from '../format/numbers';
import { fromNano, toNano } from '../format/money';
import { Card, EmptyState, Loading } from './Feedback';
import { Field } from './Field';
import { providerName } from './providers';
import { right, Table } from './Table';

/** A price per million tokens exactly as the catalogue has it: $0.075, not $0.08. */
export const exactUsd = (usd: string) => `$${fromNano(toNano(usd))}`;

/** A cache price, or the dash the list prints when that kind of token is billed as input. */
const orInput = (usd: string | null) => (usd === null ? '—' : exactUsd(usd));

/** What else is true of an entry, in the words of the list `prices` prints: yours, a tier, peak hours. */
function remarks(e: PriceEntryView): string {
  const out: string[] = [];
  if (e.origin === 'override') out.push('yours');
  if (!e.active) out.push('replaced by yours');
  for (const t of e.tiers) out.push(`over ${formatCount(t.aboveTokens)} tokens priced apart`);
  if (e.timeOfDay) out.push('peak and off-peak');
  if (e.earlier.length > 0) out.push('price changed');
  if (e.confidence === 'likely' || e.confidence === 'unconfirmed') out.push(e.confidence);
  return out.join(', ');
}

/** Does the entry match what was typed: its provider (slug or name), model or another name of it. */
function matches(e: PriceEntryView, text: string, names: ReadonlyMap<string, string>): boolean {
  if (!text) return true;
  return [e.provider, providerName(e.provider, names), e.model, ...e.aliases].some((s) => s.toLowerCase().includes(text));
}

/**
 * The whole price catalogue, as the `prices` list shows it: every bundled entry and your own
 * prices, per million tokens, narrowed by provider or by any part of a provider's or model's name.
 */
export function PriceCatalogue({ list, names }: { list: PriceList | undefined; names: ReadonlyMap<string, string> }) {
  const [provider, setProvider] = useState('');
  const [text, setText] = useState('');
  const entries = list?.entries ?? [];
  const providers = useMemo(() => [...new Set(entries.map((e) => e.provider))].sort((a, b) => providerName(a, names).localeCompare(providerName(b, names))), [entries, names]);
  const query = text.trim().toLowerCase();
  const shown = entries.filter((e) => (!provider || e.provider === provider) && matches(e, query, names));

  return (
    <Card title="Price catalogue">
      {!list ? (
        <Loading />
      ) : (
        <>
          <form className="form-row" onSubmit={(e) => e.preventDefault()} aria-label="Filter the price catalogue">
            <Field label="Provider">
              <select value={provider} onChange={(e) => setProvider(e.target.value)}>
                <option value="">All providers</option>
                {providers.map((p) => (
                  <option key={p} value={p}>
                    {providerName(p, names)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Provider or model contains" className="grow">
              <input type="search" autoComplete="off" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. mini" />
            </Field>
          </form>
          <p className="muted small" data-testid="price-catalogue-count">
            {shown.length === entries.length ? `${formatCount(entries.length)} prices` : `${formatCount(shown.length)} of ${formatCount(entries.length)} prices`}, in USD per million tokens; a dash means
            that kind of token is billed as input. Bundled prices as of {list.bundledAsOf}; look a model up above for its sources.
          </p>
          {shown.length === 0 ? (
            <EmptyState title="No price matches">Try another part of the name, or all providers.</EmptyState>
          ) : (
            <Table scroll columns={['Provider', 'Model', right('Input'), right('Output'), right('Cached input'), right('Cache write'), 'Notes']}>
              {shown.map((e) => (
                <tr key={`${e.origin}/${e.provider}/${e.model}`} className={e.active ? undefined : 'muted'}>
                  <td>{providerName(e.provider, names)}</td>
                  <td className="mono">{e.model}</td>
                  <td className="right num">{exactUsd(e.perMillion.input)}</td>
                  <td className="right num">{exactUsd(e.perMillion.output)}</td>
                  <td className="right num">{orInput(e.perMillion.cachedInput)}</td>
                  <td className="right num">{orInput(e.perMillion.cacheWrite)}</td>
                  <td className="small">{remarks(e)}</td>
                </tr>
              ))}
            </Table>
          )}
        </>
      )}
    </Card>
  );
}
