import { useEffect, useRef } from 'react';
import type { ChartConfiguration, ChartType } from 'chart.js';
import { Chart } from './setup';

/**
 * One Chart.js chart on a canvas. Created on mount, updated in place when the config changes
 * (no flicker on live updates), destroyed on unmount so no chart outlives its view.
 */
export function ChartCanvas<T extends ChartType>({ config, label, height }: { config: ChartConfiguration<T>; label: string; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<T> | null>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const instance = new Chart(el, config);
    chart.current = instance;
    return () => {
      instance.destroy();
      chart.current = null;
    };
    // The chart is created once per type; later configs are applied by the effect below.
  }, [config.type]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    instance.data = config.data;
    if (config.options) instance.options = config.options;
    instance.update();
  }, [config]);

  // The series drawn, for assistive tech and end-to-end tests (a canvas has no DOM of its own).
  const series = config.data.datasets.map((d) => d.label ?? '').join(',');
  // Changes whenever the plotted values do: lets a test wait for a redraw without reading pixels.
  const total = config.data.datasets
    .flatMap((d) => d.data as unknown[])
    .reduce<number>((acc, v) => acc + (typeof v === 'number' ? v : 0), 0)
    .toFixed(6);
  // The colour of each series (a doughnut: of each slice), so a test can check one colour per provider.
  const colors: Record<string, unknown> = {};
  for (const d of config.data.datasets) {
    const bg = (d as { backgroundColor?: unknown }).backgroundColor;
    if (Array.isArray(bg)) (config.data.labels ?? []).forEach((l, i) => (colors[String(l)] = bg[i]));
    else if (typeof bg === 'string' && d.label) colors[d.label] = bg;
  }
  return (
    <div className="chart-box" style={height ? { height } : undefined} data-series={series} data-total={total} data-colors={JSON.stringify(colors)}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
