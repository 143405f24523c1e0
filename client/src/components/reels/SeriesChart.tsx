// A line chart of one or two daily series (views, and watch time on a second axis) drawn with
// uPlot. uPlot and its stylesheet are imported when the first chart mounts, so neither is in any
// bundle a screen without charts loads. The canvas is a picture for sighted readers only: the
// figure is labelled with a summary and the same numbers are in a table next to it. The plot keeps
// time running left to right in every language, as its numbers do; what surrounds it mirrors.
import { createEffect, type JSX, onCleanup, onMount } from 'solid-js';
import type uPlot from 'uplot';
import { formatNumber, locale } from '../../i18n/index.ts';

export interface ChartLine {
  label: string;
  values: number[];
  /** A design token, e.g. `--color-primary`. */
  color: string;
  /** Drawn against a second axis on the other side. */
  secondAxis?: boolean;
  format?: (value: number) => string;
}

/** A token's colour as the canvas needs it (the tokens are light-dark() pairs only CSS resolves). */
function resolved(host: HTMLElement, token: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${token})`;
  host.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || 'currentColor';
}

/** Tick steps of a count axis. */
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 100_000, 1_000_000];

export function SeriesChart(props: { days: string[]; lines: ChartLine[]; label: string; height?: number }): JSX.Element {
  let host!: HTMLDivElement;
  let chart: uPlot | undefined;
  let disposed = false;
  let observer: ResizeObserver | undefined;

  async function draw() {
    const { default: UPlot } = await import('uplot');
    await import('uplot/dist/uPlot.min.css');
    if (disposed) return;
    chart?.destroy();
    const day = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const x = props.days.map((each) => Date.parse(`${each}T00:00:00Z`) / 1000);
    const second = props.lines.find((line) => line.secondAxis);
    const options: uPlot.Options = {
      width: Math.max(host.clientWidth, 280),
      height: props.height ?? 220,
      tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      cursor: { drag: { x: false, y: false } },
      // Names and colours only: the numbers of each day are in the table beside the chart.
      legend: { show: true, live: false },
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(max, 1)] },
        y2: { range: (_u, _min, max) => [0, Math.max(max, 1)] },
      },
      axes: [
        { values: (_u, splits) => splits.map((split) => day.format(new Date(split * 1000))), stroke: resolved(host, '--color-text-muted') },
        // Counts (and whole minutes on the second axis): whole-number ticks only (a series of ones
        // would otherwise be labelled 0, 0, 0, 1).
        { incrs: WHOLE, values: (_u, splits) => splits.map((split) => formatNumber(split)), stroke: resolved(host, '--color-text-muted') },
        ...(second === undefined
          ? []
          : [
              {
                scale: 'y2',
                side: 1 as const,
                grid: { show: false },
                incrs: WHOLE,
                values: (_u: uPlot, splits: number[]) => splits.map((split) => (second.format ?? formatNumber)(split)),
                stroke: resolved(host, '--color-text-muted'),
              },
            ]),
      ],
      series: [
        { value: (_u, value) => (value === null ? '' : day.format(new Date(value * 1000))) },
        ...props.lines.map((line) => ({
          label: line.label,
          scale: line.secondAxis ? 'y2' : 'y',
          stroke: resolved(host, line.color),
          width: 2,
          points: { show: props.days.length <= 31 },
          value: (_u: uPlot, value: number | null) => (value === null ? '' : (line.format ?? formatNumber)(value)),
        })),
      ],
    };
    chart = new UPlot(options, [x, ...props.lines.map((line) => line.values)], host);
  }

  onMount(() => {
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => chart?.setSize({ width: Math.max(host.clientWidth, 280), height: props.height ?? 220 }));
      observer.observe(host);
    }
  });
  // Drawn again when the figures or the language change (a refresh every minute redraws it).
  createEffect(() => {
    void props.days;
    void props.lines;
    void locale();
    void draw();
  });
  onCleanup(() => {
    disposed = true;
    observer?.disconnect();
    chart?.destroy();
  });
  return <div class="analytics-chart" dir="ltr" role="img" aria-label={props.label} ref={host} data-testid="series-chart" />;
}
