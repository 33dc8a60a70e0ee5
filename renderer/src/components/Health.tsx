import type { Status } from '../../../src/api/contract';
import { formatPct } from '../format/numbers';
import { percentOf, toNano } from '../format/money';

export type Health = NonNullable<Status['day']['health']>;

const LABEL: Record<Health, string> = {
  good: 'On track',
  warning: 'Getting close',
  critical: 'In the reserve',
  exceeded: 'Over budget',
};

export function healthLabel(health: Health | null | undefined): string {
  return health ? LABEL[health] : 'No budget';
}

export function HealthBadge({ health }: { health: Health | null | undefined }) {
  return (
    <span className={`badge health-${health ?? 'none'}`} data-health={health ?? 'none'}>
      <span className="dot" aria-hidden="true" />
      {healthLabel(health)}
    </span>
  );
}

/**
 * Spent against a budget, with the reserve drawn apart at the end of the track: the fill turns
 * the health colour, and a tick marks where spendable money ends and the reserve begins.
 */
export function BudgetMeter({
  spent,
  budget,
  reserve,
  health,
  forecast,
  label,
}: {
  spent: string;
  budget: string | null;
  reserve: string | null;
  health: Health | null;
  forecast?: string | null;
  label: string;
}) {
  const pct = percentOf(spent, budget);
  if (pct === null || !budget) return null;
  const reservePct = reserve ? (percentOf(reserve, budget) ?? 0) : 0;
  const forecastPct = forecast ? percentOf(forecast, budget) : null;
  const over = toNano(spent) > toNano(budget);
  return (
    <div
      className={`meter health-${health ?? 'none'}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.min(100, Math.round(pct))}
      aria-valuetext={`${formatPct(pct)} of the budget`}
    >
      <div className="meter-track">
        <div className="meter-reserve" style={{ width: `${reservePct}%` }} />
        <div className="meter-fill" style={{ width: `${Math.min(100, pct)}%` }} />
        {forecastPct !== null && forecastPct > pct ? (
          <div className="meter-forecast" style={{ left: `${Math.min(100, pct)}%`, width: `${Math.max(0, Math.min(100, forecastPct) - Math.min(100, pct))}%` }} />
        ) : null}
        {reservePct > 0 ? <div className="meter-tick" style={{ left: `${100 - reservePct}%` }} /> : null}
      </div>
      {over ? <span className="meter-over" aria-hidden="true">+{formatPct(pct - 100)}</span> : null}
    </div>
  );
}
