import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

/** Only what our charts use: stacked bars with a line, a cumulative line, doughnuts. */
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Filler, Legend, Tooltip);

export { Chart };

/** Colours come from the stylesheet's variables, so charts follow the theme. */
export function themeColors() {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text-muted', '#6b7280'),
    grid: v('--chart-grid', 'rgba(127,127,127,0.15)'),
    budget: v('--chart-budget', '#dc2626'),
    spendable: v('--chart-spendable', '#d97706'),
    forecast: v('--chart-forecast', '#7c3aed'),
    line: v('--accent', '#ea580c'),
    surface: v('--surface', '#ffffff'),
    font: v('--font-sans', 'system-ui, sans-serif'),
  };
}
