import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { DailySeries, SpendSummary, Status } from '../../../src/api/contract';
import { formatMoney, fromNano, sumUsd, toNano, toPlotNumber } from '../format/money';
import { daysOfMonth, axisDay } from '../format/time';
import { providerColor, providerName } from '../components/providers';
import { summaryGroupLabel } from '../components/summary-labels';
import type { themeColors } from './setup';

type Colors = ReturnType<typeof themeColors>;

/** Charts redraw on every live update; people who asked for less motion get none. */
function animation() {
  const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  return reduced ? (false as const) : { duration: 250 };
}

/** Axis ticks: "$0", "$1.50", "$0.005". */
function axisMoney(value: number | string): string {
  const n = typeof value === 'number' ? value : Number(value);
  // Ticks are chart positions, not amounts of record: formatting them from a float is fine.
  return formatMoney(n.toFixed(9));
}

function moneyTooltip(item: TooltipItem<'bar' | 'line' | 'doughnut'>): string {
  const raw = item.raw as number | { y: number } | null;
  const n = typeof raw === 'number' ? raw : (raw?.y ?? 0);
  return `${item.dataset.label ?? item.label}: ${formatMoney(n.toFixed(9))}`;
}

function baseScales(colors: Colors, stacked: boolean) {
  return {
    x: { stacked, grid: { display: false }, ticks: { color: colors.text, maxRotation: 0, autoSkipPadding: 12, font: { family: colors.font } }, border: { display: false } },
    y: {
      stacked,
      beginAtZero: true,
      grid: { color: colors.grid },
      border: { display: false },
      ticks: { color: colors.text, callback: axisMoney, maxTicksLimit: 6, font: { family: colors.font } },
    },
  };
}

function legend(colors: Colors) {
  return {
    position: 'bottom' as const,
    labels: {
      color: colors.text,
      boxWidth: 10,
      boxHeight: 10,
      usePointStyle: true,
      pointStyle: 'rectRounded' as const,
      font: { family: colors.font },
      // Providers first, then the budget and forecast lines, as the datasets are listed.
      sort: (a: { datasetIndex?: number }, b: { datasetIndex?: number }) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
    },
  };
}

/** A flat line across every day at one amount (a budget, where its reserve starts). */
function levelLine(label: string, length: number, usd: string, color: string, dash: number[], width: number) {
  return {
    label,
    // A stack of its own: in the stacked daily chart, lines must not add up with the bars or each other.
    stack: `line:${label}`,
    data: Array.from({ length }, () => toPlotNumber(usd)),
    borderColor: color,
    borderWidth: width,
    borderDash: dash,
    pointRadius: 0,
    pointHoverRadius: 0,
    fill: false,
  };
}

/** Which providers share the colours (see providerColor), and the spendable part of the daily budget. */
export interface ChartContext {
  providers?: readonly string[];
  /** Budget minus reserve: a bar above this line is in the reserve. */
  spendableUsd?: string | null;
}

/** Daily spend, stacked by provider, with the daily budget and the spendable line (budget minus reserve) drawn across. */
export function dailyChart(series: DailySeries, colors: Colors, names?: ReadonlyMap<string, string>, context: ChartContext = {}): ChartConfiguration<'bar' | 'line'> {
  const labels = series.days.map(axisDay);
  const all = [...(context.providers ?? []), ...series.providers.map((p) => p.provider)];
  const datasets: ChartConfiguration<'bar' | 'line'>['data']['datasets'] = series.providers.map((p) => ({
    type: 'bar' as const,
    label: providerName(p.provider, names),
    data: p.dailyUsd.map(toPlotNumber),
    backgroundColor: providerColor(p.provider, all),
    borderRadius: 3,
    borderSkipped: 'start' as const,
    maxBarThickness: 28,
    stack: 'spend',
    order: 2,
  }));
  if (series.dailyBudgetUsd) {
    datasets.push({ type: 'line' as const, order: 1, ...levelLine('Daily budget', series.days.length, series.dailyBudgetUsd, colors.budget, [6, 4], 2) });
    const spendable = context.spendableUsd;
    if (spendable && toNano(spendable) < toNano(series.dailyBudgetUsd)) {
      datasets.push({ type: 'line' as const, order: 1, ...levelLine('Spendable (reserve above)', series.days.length, spendable, colors.spendable, [2, 4], 1.5) });
    }
  }
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: animation(),
      interaction: { mode: 'index', intersect: false },
      scales: baseScales(colors, true),
      plugins: { legend: legend(colors), tooltip: { callbacks: { label: moneyTooltip } } },
    },
  };
}

/** Running total of a series over its days (BigInt sums, one number per day for the plot). */
export function cumulativeUsd(series: DailySeries): string[] {
  let acc = 0n;
  return series.days.map((_, d) => {
    for (const p of series.providers) acc += toNano(p.dailyUsd[d] ?? '0');
    return fromNano(acc);
  });
}

/**
 * The month so far as a running total, the monthly budget (and where the reserve starts) as flat
 * lines, and the forecast drawn from today's total to the month's end.
 */
export function monthChart(series: DailySeries, month: Status['month'], today: string, colors: Colors): ChartConfiguration<'line'> {
  const days = daysOfMonth(month.month);
  const totals = cumulativeUsd(series);
  const byDay = new Map(series.days.map((d, i) => [d, totals[i]!]));
  const todayIndex = days.indexOf(today);
  // A running total per day up to today; days without a row keep the last total.
  let last = 0;
  const spent = days.map((d, i) => {
    if (todayIndex >= 0 && i > todayIndex) return null;
    const total = byDay.get(d);
    if (total !== undefined) last = toPlotNumber(total);
    return last;
  });
  const datasets: ChartConfiguration<'line'>['data']['datasets'] = [
    {
      label: 'Spent',
      data: spent,
      borderColor: colors.line,
      backgroundColor: `${colors.line}22`,
      fill: 'origin',
      tension: 0.25,
      pointRadius: 0,
      pointHoverRadius: 4,
      borderWidth: 2.5,
    },
  ];
  if (todayIndex >= 0) {
    const start = toPlotNumber(month.spentUsd);
    const end = toPlotNumber(month.forecastUsd);
    const steps = days.length - 1 - todayIndex;
    datasets.push({
      label: 'Forecast',
      data: days.map((_, i) => (i < todayIndex ? null : steps === 0 ? end : start + ((end - start) * (i - todayIndex)) / steps)),
      borderColor: colors.forecast,
      borderDash: [5, 5],
      borderWidth: 2,
      pointRadius: (ctx) => (ctx.dataIndex === days.length - 1 ? 4 : 0),
      pointBackgroundColor: colors.forecast,
      fill: false,
      tension: 0,
    });
  }
  if (month.budgetUsd) {
    datasets.push({
      label: 'Monthly budget',
      data: days.map(() => toPlotNumber(month.budgetUsd)),
      borderColor: colors.budget,
      borderWidth: 2,
      pointRadius: 0,
      pointHoverRadius: 0,
      fill: false,
    });
    if (month.reserveUsd && toNano(month.reserveUsd) > 0n) {
      const spendable = fromNano(toNano(month.budgetUsd) - toNano(month.reserveUsd));
      datasets.push(levelLine('Reserve starts', days.length, spendable, colors.spendable, [2, 4], 1.5));
    }
  }
  return {
    type: 'line',
    data: { labels: days.map(axisDay), datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: animation(),
      spanGaps: false,
      interaction: { mode: 'index', intersect: false },
      scales: baseScales(colors, false),
      plugins: { legend: legend(colors), tooltip: { callbacks: { label: moneyTooltip } } },
    },
  };
}

export interface Share {
  key: string;
  label: string;
  usd: string;
  color: string;
}

const MODEL_COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#db2777', '#ca8a04', '#4f46e5', '#64748b'];

/**
 * Shares from spendSummary (its groups add up exactly to the counted total): providers keep
 * their colours; models and projects show the top eight and "Other".
 */
export function summaryShares(summary: SpendSummary, names?: ReadonlyMap<string, string>, providers: readonly string[] = []): Share[] {
  const groups = summary.groups.filter((g) => toNano(g.costUsd) > 0n);
  if (summary.groupBy === 'provider') {
    const all = [...providers, ...groups.map((g) => g.key)];
    return groups.map((g) => ({ key: g.key, label: summaryGroupLabel('provider', g, names), usd: g.costUsd, color: providerColor(g.key, all) }));
  }
  const top = groups.slice(0, 8).map((g, i) => ({ key: `${g.provider ?? ''}/${g.key}`, label: summaryGroupLabel(summary.groupBy, g, names), usd: g.costUsd, color: MODEL_COLORS[i]! }));
  const rest = groups.slice(8);
  if (rest.length > 0) top.push({ key: 'other', label: `${rest.length} others`, usd: sumUsd(rest.map((g) => g.costUsd)), color: MODEL_COLORS[8]! });
  return top;
}

export function shareChart(shares: Share[], colors: Colors): ChartConfiguration<'doughnut'> {
  return {
    type: 'doughnut',
    data: {
      labels: shares.map((s) => s.label),
      datasets: [{ data: shares.map((s) => toPlotNumber(s.usd)), backgroundColor: shares.map((s) => s.color), borderColor: colors.surface, borderWidth: 2, hoverOffset: 4 }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      cutout: '68%',
      animation: animation(),
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: moneyTooltip } } },
    },
  };
}
