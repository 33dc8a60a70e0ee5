import type { ReactNode } from 'react';
import type { Status } from '../../../src/api/contract';
import { formatMoney, subUsd, toNano } from '../format/money';
import { monthName } from '../format/time';
import { BudgetMeter, HealthBadge } from './Health';
import { Money } from './Money';

/** Today against the daily budget: spent, what is left to spend, and the reserve shown apart. */
export function TodayCard({ day, onSetBudget, compact }: { day: Status['day']; onSetBudget?: () => void; compact?: boolean }) {
  const left = day.spendableUsd ? subUsd(day.spendableUsd, day.spentUsd) : null;
  // Past the whole budget, how far over it is says more than "into the reserve" (the reserve is gone).
  const over = day.budgetUsd && toNano(day.spentUsd) > toNano(day.budgetUsd) ? subUsd(day.spentUsd, day.budgetUsd) : null;
  const intoReserve = over === null && left !== null && left.startsWith('-');
  const meter = day.budgetUsd ? <BudgetMeter label="Today's spend against the daily budget" spent={day.spentUsd} budget={day.budgetUsd} reserve={day.reserveUsd} health={day.health} /> : null;
  if (compact) {
    return (
      <Stat id="today" title="Today" health={day.health} spent={day.spentUsd} budget={day.budgetUsd} compact>
        {meter}
        <p className="stat-line">
          {day.budgetUsd ? (
            <>
              {over ? (
                <span className="text-bad">
                  <Money usd={over} /> over the budget
                </span>
              ) : intoReserve ? (
                <>
                  <span className="text-bad">
                    <Money usd={left!.slice(1)} /> into the reserve
                  </span>{' '}
                  · <Money usd={day.reserveUsd} /> reserve held back
                </>
              ) : (
                <>
                  <Money usd={left} /> left to spend · <Money usd={day.reserveUsd} /> reserve held back
                </>
              )}
            </>
          ) : (
            'No daily budget yet'
          )}
        </p>
      </Stat>
    );
  }
  return (
    <Stat id="today" title="Today" health={day.health} spent={day.spentUsd} budget={day.budgetUsd}>
      {day.budgetUsd ? (
        <>
          {meter}
          <dl className="stat-facts">
            <div>
              <dt>{over ? 'Over the budget by' : intoReserve ? 'Into reserve' : 'Left to spend'}</dt>
              <dd className={over ? 'text-bad' : undefined}>
                <Money usd={over ?? left?.replace(/^-/, '') ?? null} />
              </dd>
            </div>
            <div>
              <dt>Reserve held back</dt>
              <dd>
                <Money usd={day.reserveUsd} />
              </dd>
            </div>
          </dl>
        </>
      ) : (
        <p className="stat-empty">
          No daily budget yet.{' '}
          {onSetBudget ? (
            <button type="button" className="link" onClick={onSetBudget}>
              Set one
            </button>
          ) : (
            'Set one'
          )}{' '}
          to see how today is going.
        </p>
      )}
    </Stat>
  );
}

/** The month against its budget, with the forecast for the month's end. */
export function MonthCard({ month, onSetBudget, compact }: { month: Status['month']; onSetBudget?: () => void; compact?: boolean }) {
  const monthOver = month.budgetUsd && toNano(month.spentUsd) > toNano(month.budgetUsd) ? subUsd(month.spentUsd, month.budgetUsd) : null;
  const meter = month.budgetUsd ? (
    <BudgetMeter
      label="This month's spend against the monthly budget"
      spent={month.spentUsd}
      budget={month.budgetUsd}
      reserve={month.reserveUsd}
      health={month.health}
      forecast={month.forecastUsd}
    />
  ) : null;
  if (compact) {
    return (
      <Stat id="month" title={monthName(month.month)} health={month.health} spent={month.spentUsd} budget={month.budgetUsd} compact>
        {meter}
        <p className="stat-line">
          {monthOver ? (
            <>
              <span className="text-bad">
                <Money usd={monthOver} /> over the budget
              </span>{' '}
              · forecast <Money usd={month.forecastUsd} />
            </>
          ) : (
            <>
              Forecast <Money usd={month.forecastUsd} />
              {month.runsOutOn ? <span className="text-warn"> · budget runs out {month.runsOutOn}</span> : month.budgetUsd ? ' · within budget' : ''}
            </>
          )}
        </p>
      </Stat>
    );
  }
  return (
    <Stat id="month" title={monthName(month.month)} health={month.health} spent={month.spentUsd} budget={month.budgetUsd}>
      {meter}
      {/* The forecast has a card of its own beside this one: here, what is left of the budget. */}
      <dl className="stat-facts">
        <div>
          <dt>{monthOver ? 'Over the budget by' : 'Left this month'}</dt>
          <dd className={monthOver ? 'text-bad' : undefined}>{month.budgetUsd ? <Money usd={monthOver ?? subUsd(month.budgetUsd, month.spentUsd)} /> : 'no budget set'}</dd>
        </div>
        <div>
          <dt>Reserve held back</dt>
          <dd>{month.reserveUsd ? <Money usd={month.reserveUsd} /> : '—'}</dd>
        </div>
      </dl>
      {!month.budgetUsd && onSetBudget ? (
        <p className="stat-empty">
          <button type="button" className="link" onClick={onSetBudget}>
            Set a monthly budget
          </button>
          {toNano(month.forecastUsd) > 0n ? ` to be warned before ${formatMoney(month.forecastUsd)} becomes a surprise.` : ' to be warned in time.'}
        </p>
      ) : null}
    </Stat>
  );
}

/**
 * The frame of a stat card: title, health and the figure spent (of the budget), then the card's own
 * content. Compact (the popover) is the same frame, smaller.
 */
function Stat({
  id,
  title,
  health,
  spent,
  budget,
  compact,
  children,
}: {
  id: 'today' | 'month';
  title: string;
  health: Status['day']['health'];
  spent: string;
  budget: string | null;
  compact?: boolean;
  children: ReactNode;
}) {
  const heading = (
    <>
      <h2 id={`${id}-title`} className="stat-title">
        {title}
      </h2>
      <HealthBadge health={health} />
    </>
  );
  const figure = (
    <p className="stat-figure">
      <Money usd={spent} className="stat-amount" />
      {budget ? (
        <span className="stat-of">
          {compact ? '/ ' : 'of '}
          <Money usd={budget} />
        </span>
      ) : null}
    </p>
  );
  return (
    <section className={`stat stat-${compact ? 'compact' : id} health-${health ?? 'none'}`} aria-labelledby={`${id}-title`} data-testid={`${id}-card`}>
      {/* The figure has a line of its own under title and health: a wide amount ($12,414.15) never runs into the pill. */}
      <header className="stat-head">{heading}</header>
      {figure}
      {children}
    </section>
  );
}
