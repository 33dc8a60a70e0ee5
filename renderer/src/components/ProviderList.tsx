import type { ProviderStatus } from '../../../src/api/contract';
import { hoursBetween, relativeTime } from '../format/time';
import { providerFix } from './attention-links';
import { Icon } from './Icons';
import { ViewLink } from './ViewLink';
import { Money } from './Money';
import { providerName, sourceHint, sourceLabel } from './providers';

/** Readings are typed in by hand: after this long a figure is worth refreshing. */
const STALE_HOURS = 48;

/** Each provider: this month, today, where the figure comes from, how fresh it is, unpriced usage. */
/** With `surface`, each provider's name links to where its figures are fixed (key, readings, price…). */
export function ProviderList({ providers, asOf, names, compact, surface }: { providers: ProviderStatus[]; asOf: string; names?: ReadonlyMap<string, string>; compact?: boolean; surface?: 'popover' | 'window' }) {
  return (
    <ul className={`providers${compact ? ' providers-compact' : ''}`} aria-label="Providers">
      {providers.map((p) => {
        const age = hoursBetween(p.lastUpdatedAt, asOf);
        const stale = age === null || age > STALE_HOURS;
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
                <span className={`age${stale ? ' age-stale' : ''}`} title={p.lastUpdatedAt ?? 'never updated'}>
                  {p.lastUpdatedAt ? `updated ${relativeTime(p.lastUpdatedAt, asOf)}` : 'never updated'}
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
              <Money usd={p.monthSpentUsd} className="provider-month" />
              <span className="provider-today">
                <Money usd={p.todaySpentUsd} /> today
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
