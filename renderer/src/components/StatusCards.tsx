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
  if (compact) {
    return (
      <CompactStat
        id="today"
        title="Today"
        health={day.health}
        spent={day.spentUsd}
        budget={day.budgetUsd}
        meter={
          day.budgetUsd ? (
            <BudgetMeter label="Today's spend against the daily budget" spent={day.spentUsd} budget={day.budgetUsd} reserve={day.reserveUsd} health={day.health} />
          ) : null
        }
        line={
          day.budgetUsd ? (
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
          )
        }
      />
    );
  }
  return (
    <section className={`stat stat-today health-${day.health ?? 'none'}`} aria-labelledby="today-title" data-testid="today-card">
      <header className="stat-head">
        <h2 id="today-title" className="stat-title">
          Today
        </h2>
        <HealthBadge health={day.health} />
      </header>
      <p className="stat-figure">
        <Money usd={day.spentUsd} className="stat-amount" />
        {day.budgetUsd ? (
          <span className="stat-of">
            of <Money usd={day.budgetUsd} />
          </span>
        ) : null}
      </p>
      {day.budgetUsd ? (
        <>
          <BudgetMeter label="Today's spend against the daily budget" spent={day.spentUsd} budget={day.budgetUsd} reserve={day.reserveUsd} health={day.health} />
          <dl className="stat-facts">
            <div>
              <dt>{left !== null && left.startsWith('-') ? 'Into reserve' : 'Left to spend'}</dt>
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
    </section>
  );
}

/** The month against its budget, with the forecast for the month's end. */
export function MonthCard({ month, onSetBudget, compact }: { month: Status['month']; onSetBudget?: () => void; compact?: boolean }) {
  if (compact) {
    return (
      <CompactStat
        id="month"
        title={monthName(month.month)}
        health={month.health}
        spent={month.spentUsd}
        budget={month.budgetUsd}
        meter={
          month.budgetUsd ? (
            <BudgetMeter
              label="This month's spend against the monthly budget"
              spent={month.spentUsd}
              budget={month.budgetUsd}
              reserve={month.reserveUsd}
              health={month.health}
              forecast={month.forecastUsd}
            />
          ) : null
        }
        line={
          <>
            Forecast <Money usd={month.forecastUsd} />
            {month.runsOutOn ? <span className="text-warn"> · budget runs out {shortDay(month.runsOutOn)}</span> : month.budgetUsd ? ' · within budget' : ''}
          </>
        }
      />
    );
  }
  return (
    <section className={`stat stat-month health-${month.health ?? 'none'}`} aria-labelledby="month-title" data-testid="month-card">
      <header className="stat-head">
        <h2 id="month-title" className="stat-title">
          {monthName(month.month)}
        </h2>
        <HealthBadge health={month.health} />
      </header>
      <p className="stat-figure">
        <Money usd={month.spentUsd} className="stat-amount" />
        {month.budgetUsd ? (
          <span className="stat-of">
            of <Money usd={month.budgetUsd} />
          </span>
        ) : null}
      </p>
      {month.budgetUsd ? (
        <BudgetMeter
          label="This month's spend against the monthly budget"
          spent={month.spentUsd}
          budget={month.budgetUsd}
          reserve={month.reserveUsd}
          health={month.health}
          forecast={month.forecastUsd}
        />
      ) : null}
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
    </section>
  );
}

/** The popover's one-glance version: title and health on the left, the figure on the right, a meter, one line. */
function CompactStat({
  id,
  title,
  health,
  spent,
  budget,
  meter,
  line,
}: {
  id: string;
  title: string;
  health: Status['day']['health'];
  spent: string;
  budget: string | null;
  meter: ReactNode;
  line: ReactNode;
}) {
  return (
    <section className={`stat stat-compact health-${health ?? 'none'}`} aria-labelledby={`${id}-title`} data-testid={`${id}-card`}>
      <header className="stat-head">
        <div className="stat-head-left">
          <h2 id={`${id}-title`} className="stat-title">
            {title}
          </h2>
          <HealthBadge health={health} />
        </div>
        <p className="stat-figure">
          <Money usd={spent} className="stat-amount" />
          {budget ? (
            <span className="stat-of">
              / <Money usd={budget} />
            </span>
          ) : null}
        </p>
      </header>
      {meter}
      <p className="stat-line">{line}</p>
    </section>
  );
}
