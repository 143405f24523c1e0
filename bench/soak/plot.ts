// A small line chart for the soak: panels stacked one above the other sharing the time axis, each
// with its series, axes, ticks and a legend, written as SVG and rasterized to PNG by sharp.
import sharp from 'sharp';

interface Series {
  label: string;
  color: string;
  /** [minutes, value] */
  points: [number, number][];
}

export interface Panel {
  title: string;
  unit: string;
  series: Series[];
}

const WIDTH = 1100;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 80, right: 280, top: 40, bottom: 50 };

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** About five round steps between 0 and `max`. */
function ticks(max: number): number[] {
  if (!(max > 0)) return [0];
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((candidate) => candidate >= rough) ?? rough;
  const out: number[] = [];
  for (let value = 0; value <= max + step / 2; value += step) out.push(Number(value.toPrecision(6)));
  return out;
}

function panelSvg(panel: Panel, top: number, minutes: number): string {
  const width = WIDTH - MARGIN.left - MARGIN.right;
  const height = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const values = panel.series.flatMap((series) => series.points.map(([, value]) => value));
  const yTicks = ticks(Math.max(...values, 0) * 1.1);
  const yMax = yTicks.at(-1) || 1;
  const xTicks = ticks(minutes);
  const xMax = xTicks.at(-1) || 1;
  const x = (t: number) => MARGIN.left + (t / xMax) * width;
  const y = (v: number) => top + MARGIN.top + height - (v / yMax) * height;
  const parts: string[] = [];
  parts.push(`<text x="${MARGIN.left}" y="${top + 24}" font-size="16" font-weight="bold">${xmlText(panel.title)}</text>`);
  for (const tick of yTicks) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + width}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(tick) + 4}" font-size="12" text-anchor="end">${tick}</text>`);
  }
  for (const tick of xTicks) {
    parts.push(`<line x1="${x(tick)}" x2="${x(tick)}" y1="${y(0)}" y2="${y(0) + 5}" stroke="#333"/>`);
    parts.push(`<text x="${x(tick)}" y="${y(0) + 20}" font-size="12" text-anchor="middle">${tick}</text>`);
  }
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + width}" y1="${y(0)}" y2="${y(0)}" stroke="#333"/>`);
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${y(0)}" y2="${top + MARGIN.top}" stroke="#333"/>`);
  parts.push(`<text x="${MARGIN.left + width / 2}" y="${y(0) + 40}" font-size="13" text-anchor="middle">minutes</text>`);
  parts.push(
    `<text x="20" y="${top + MARGIN.top + height / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 20 ${top + MARGIN.top + height / 2})">${xmlText(panel.unit)}</text>`,
  );
  panel.series.forEach((series, i) => {
    const path = series.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2"/>`);
    const legendY = top + MARGIN.top + 10 + i * 22;
    parts.push(
      `<line x1="${WIDTH - MARGIN.right + 20}" x2="${WIDTH - MARGIN.right + 44}" y1="${legendY}" y2="${legendY}" stroke="${series.color}" stroke-width="3"/>`,
    );
    parts.push(`<text x="${WIDTH - MARGIN.right + 50}" y="${legendY + 4}" font-size="13">${xmlText(series.label)}</text>`);
  });
  return parts.join('\n');
}

/** Writes `panels` over `minutes` as a PNG at `path`, with `title` on top. */
export async function plot(path: string, title: string, minutes: number, panels: Panel[]): Promise<void> {
  const height = 40 + panels.length * PANEL_HEIGHT;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="26" font-size="18" text-anchor="middle">${xmlText(title)}</text>`,
    ...panels.map((panel, i) => panelSvg(panel, 40 + i * PANEL_HEIGHT, minutes)),
    '</svg>',
  ].join('\n');
  await sharp(Buffer.from(svg)).png().toFile(path);
}
