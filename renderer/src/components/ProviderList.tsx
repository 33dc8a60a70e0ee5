import type { ProviderStatus } from '../../../src/api/contract';
import { providerFix } from './attention-links';
import { toNano } from '../format/money';
import { whenText } from '../format/time';
import { sourceAge } from './freshness';
import { Icon } from './Icons';
import { ViewLink } from './ViewLink';
import { Money } from './Money';
import { providerName, sourceHint, sourceLabel } from './providers';

/** Usage this month and none of it priced: the month's figure is unknown, never $0.00. */
export function isAllUnpriced(p: Pick<ProviderStatus, 'monthSpentUsd' | 'unpricedEvents'>): boolean {
  return p.unpricedEvents > 0 && toNano(p.monthSpentUsd) === 0n;
}

/** Each provider: this month, today, where the figure comes from, how fresh it is, unpriced usage. */
/** With `surface`, each provider's name links to where its figures are fixed (key, readings, price…). */
export function ProviderList({
  providers,
  asOf,
  timeZone,
  names,
  compact,
  surface,
}: {
  providers: ProviderStatus[];
  asOf: string;
  /** The ledger's, for the instant a figure's age is about (its tooltip). */
  timeZone?: string;
  names?: ReadonlyMap<string, string>;
  compact?: boolean;
  surface?: 'popover' | 'window';
}) {
  return (
    <ul className={`providers${compact ? ' providers-compact' : ''}`} aria-label="Providers">
      {providers.map((p) => {
        const age = sourceAge(p, asOf);
        const unpriced = isAllUnpriced(p);
        return (
          <li key={p.provider} className="provider" data-provider={p.provider}>
            <div className="provider-main">
              {surface ? (
                <ViewLink to={providerFix(p).to} surface={surface} className="provider-name provider-link" title={providerFix(p).label}>
                  {providerName(p.provider, names)}
                </ViewLink>
              ) : (
                <span className="provider-name">{providerName(p.provider, names)}</span>
              )}
              <span className="provider-meta">
                <span className={`source source-${p.source}`} title={sourceHint(p.source)}>
                  {sourceLabel(p.source)}
                </span>
                <span className={`age${age.stale ? ' age-stale' : ''}`} title={age.at ? whenText(age.at, timeZone) : undefined} data-stale={age.stale ? 'true' : undefined}>
                  {age.stale ? <Icon.warning className="icon-inline" /> : null}
                  {age.text}
                </span>
              </span>
              {p.unpricedEvents > 0 ? (
                <span className="unpriced" role="note">
                  <Icon.warning className="icon-inline" />
                  {p.unpricedEvents} unpriced {p.unpricedEvents === 1 ? 'event' : 'events'} not counted
                </span>
              ) : null}
            </div>
            <div className="provider-figures">
              {unpriced ? (
                <span className="provider-month provider-unpriced" title="No price is known for its models: add a price to count it.">
                  Unpriced
                </span>
              ) : (
                <Money usd={p.monthSpentUsd} className="provider-month" />
              )}
              <span className="provider-today">
                {unpriced ? 'not counted' : <><Money usd={p.todaySpentUsd} /> today</>}
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
