import type { ProviderStatus } from '../../../src/api/contract';
import { hoursBetween, relativeTime } from '../format/time';
import { Icon } from './Icons';
import { Money } from './Money';
import { providerName, sourceHint, sourceLabel } from './providers';

/** Readings are typed in by hand: after this long a figure is worth refreshing. */
const STALE_HOURS = 48;

/** Each provider: this month, today, where the figure comes from, how fresh it is, unpriced usage. */
export function ProviderList({ providers, asOf, names, compact }: { providers: ProviderStatus[]; asOf: string; names?: ReadonlyMap<string, string>; compact?: boolean }) {
  return (
    <ul className={`providers${compact ? ' providers-compact' : ''}`} aria-label="Providers">
      {providers.map((p) => {
        const age = hoursBetween(p.lastUpdatedAt, asOf);
        const stale = age === null || age > STALE_HOURS;
        return (
          <li key={p.provider} className="provider" data-provider={p.provider}>
            <div className="provider-main">
              <span className="provider-name">{providerName(p.provider, names)}</span>
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
