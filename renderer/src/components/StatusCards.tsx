import type { ReactNode } from 'react';
import type { Status } from '../../../src/api/contract';
import { formatMoney, subUsd, toNano } from '../format/money';
import { monthName, shortDay } from '../format/time';
import { BudgetMeter, HealthBadge } from './Health';
import { Money } from './Money';

/** Today against the daily budget: spent, what is left to spend, and the reserve shown apart. */
export function TodayCard({ day, onSetBudget, compact }: { day: Status['day']; onSetBudget?: () => void; compact?: boolean }) {
  const left = day.spendableUsd ? subUsd(day.spendableUsd, day.spentUsd) : null;
  const intoReserve = left !== null && left.startsWith('-');
  const meter = day.budgetUsd ? <BudgetMeter label="Today's spend against the daily budget" spent={day.spentUsd} budget={day.budgetUsd} reserve={day.reserveUsd} health={day.health} /> : null;
  if (compact) {
    return (
      <Stat id="today" title="Today" health={day.health} spent={day.spentUsd} budget={day.budgetUsd} compact>
        {meter}
        <p className="stat-line">
          {day.budgetUsd ? (
            <>
              {intoReserve ? (
                <span className="text-bad">
                  <Money usd={left!.slice(1)} /> into the reserve
                </span>
              ) : (
                <>
                  <Money usd={left} /> left to spend
                </>
              )}{' '}
              · <Money usd={day.reserveUsd} /> reserve held back
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
              <dt>{intoReserve ? 'Into reserve' : 'Left to spend'}</dt>
              <dd>
                <Money usd={left?.replace(/^-/, '') ?? null} />
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
          Forecast <Money usd={month.forecastUsd} />
          {month.runsOutOn ? <span className="text-warn"> · budget runs out {shortDay(month.runsOutOn)}</span> : month.budgetUsd ? ' · within budget' : ''}
        </p>
      </Stat>
    );
  }
  return (
    <Stat id="month" title={monthName(month.month)} health={month.health} spent={month.spentUsd} budget={month.budgetUsd}>
      {meter}
      <dl className="stat-facts">
        <div>
          <dt>Forecast</dt>
          <dd>
            <Money usd={month.forecastUsd} />
          </dd>
        </div>
        <div>
          <dt>{month.runsOutOn ? 'Budget runs out' : month.budgetUsd ? 'Budget lasts' : 'Monthly budget'}</dt>
          <dd className={month.runsOutOn ? 'text-warn' : undefined}>{month.runsOutOn ? shortDay(month.runsOutOn) : month.budgetUsd ? 'the month' : 'not set'}</dd>
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
 * content. Compact (the popover) puts title and health on the left and the figure on the right.
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
      {compact ? (
        <header className="stat-head">
          <div className="stat-head-left">{heading}</div>
          {figure}
        </header>
      ) : (
        <>
          <header className="stat-head">{heading}</header>
          {figure}
        </>
      )}
      {children}
    </section>
  );
}
