import type { ProviderStatus } from '../../../src/api/contract';
import type { CapView } from '../../../src/api/contract/budget';
import { formatMoney, percentOf, sumUsd, toNano } from '../format/money';
import { formatPct } from '../format/numbers';
import { whenText } from '../format/time';
import { sourceAge } from './freshness';
import { Icon } from './Icons';
import { Money } from './Money';
import { isAllUnpriced } from './ProviderList';
import { providerColor, providerName } from './providers';

/**
 * Each provider's pace at a glance (the popover): a small bar against its monthly cap when it has
 * one (health-coloured), else its share of the month (in its chart colour), then the month's figure
 * and how old it is. Providers without spend or a cap are left to the window.
 */
export function ProviderPace({
  providers,
  caps,
  asOf,
  timeZone,
  names,
}: {
  providers: ProviderStatus[];
  caps: readonly CapView[];
  asOf: string;
  /** The ledger's, for the instant a figure's age is about (its tooltip). */
  timeZone?: string;
  names?: ReadonlyMap<string, string>;
}) {
  const capOf = new Map(caps.map((c) => [c.provider, c]));
  const shown = providers.filter((p) => toNano(p.monthSpentUsd) > 0n || p.unpricedEvents > 0 || capOf.has(p.provider) || p.lastReadingAt);
  const total = sumUsd(providers.map((p) => p.monthSpentUsd));
  const slugs = providers.map((p) => p.provider);
  if (shown.length === 0) return null;
  // Largest first: the ones that move the month.
  const ordered = [...shown].sort((a, b) => (toNano(b.monthSpentUsd) > toNano(a.monthSpentUsd) ? 1 : toNano(b.monthSpentUsd) < toNano(a.monthSpentUsd) ? -1 : 0));
  return (
    <ul className="pace" aria-label="Providers this month">
      {ordered.map((p) => {
        const cap = capOf.get(p.provider);
        const unpriced = isAllUnpriced(p);
        const pct = cap ? percentOf(p.monthSpentUsd, cap.capUsd) : percentOf(p.monthSpentUsd, total);
        const color = providerColor(p.provider, slugs);
        const age = sourceAge(p, asOf);
        const name = providerName(p.provider, names);
        return (
          <li key={p.provider} className="pace-row" data-provider={p.provider} data-color={color}>
            <span className="pace-name" title={name}>
              <span className="swatch" style={{ background: color }} aria-hidden="true" />
              {name}
            </span>
            <span
              className={`pace-bar${cap ? ` pace-cap health-${cap.health ?? 'none'}` : ''}`}
              role="meter"
              aria-label={cap ? `${name} against its monthly cap` : `${name}'s share of the month`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.min(100, Math.round(pct ?? 0))}
              aria-valuetext={pct === null ? 'unknown' : cap ? `${formatPct(pct)} of its cap` : `${formatPct(pct)} of the month`}
            >
              <span className="pace-fill" style={{ width: `${Math.min(100, pct ?? 0)}%`, ...(cap ? {} : { background: color }) }} />
            </span>
            <span className="pace-figure">{unpriced ? <span className="provider-unpriced">Unpriced</span> : <Money usd={p.monthSpentUsd} />}</span>
            <span className="pace-age">
              <span className={`age${age.stale ? ' age-stale' : ''}`} title={age.at ? whenText(age.at, timeZone) : undefined} data-stale={age.stale ? 'true' : undefined}>
                {age.stale ? <Icon.warning className="icon-inline" /> : null}
                {age.text}
              </span>
              {cap ? <span className={`pace-of health-text-${cap.health ?? 'none'}`}> · {formatPct(pct)} of its {formatMoney(cap.capUsd)} cap</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
